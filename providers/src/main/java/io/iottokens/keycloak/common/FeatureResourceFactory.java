package io.iottokens.keycloak.common;

import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.services.resource.RealmResourceProvider;
import org.keycloak.services.resource.RealmResourceProviderFactory;

/**
 * The realm resource {@code /realms/{realm}/<id>} of a feature, which also declares the feature's server options
 * ({@code --spi-realm-restapi-extension--<id>--*}) and owns the node's state of the feature: read from the options
 * at start ({@code init}, where a broken value stops the server), started once the server is up ({@code postInit}:
 * listeners, sweeps), and handed to each request's resource.
 */
public abstract class FeatureResourceFactory<F extends FeatureResourceFactory.Feature>
        implements RealmResourceProviderFactory, NoLifecycle<RealmResourceProvider> {

    /** A feature's node-wide state. */
    public interface Feature {
        /** Registers what the feature does outside requests (listeners, timers). */
        void start(KeycloakSessionFactory factory);
    }

    private final String id;
    private final Function<Config.Scope, F> read;
    private final Supplier<List<ProviderConfigProperty>> metadata;
    private F feature;

    protected FeatureResourceFactory(String id, Function<Config.Scope, F> read, Supplier<List<ProviderConfigProperty>> metadata) {
        this.id = id;
        this.read = read;
        this.metadata = metadata;
    }

    /** The JAX-RS resource serving one request. */
    protected abstract Object resource(KeycloakSession session, F feature);

    /** The node's state of the feature (after {@code init}). */
    protected final F feature() {
        return feature;
    }

    @Override
    public final String getId() {
        return id;
    }

    @Override
    public final RealmResourceProvider create(KeycloakSession session) {
        return RealmResources.of(() -> resource(session, feature));
    }

    @Override
    public final void init(Config.Scope scope) {
        feature = read.apply(scope);
    }

    @Override
    public final void postInit(KeycloakSessionFactory factory) {
        feature.start(factory);
    }

    @Override
    public final List<ProviderConfigProperty> getConfigMetadata() {
        return metadata.get();
    }
}
