package io.iottokens.keycloak.purposed.rest;

import java.util.List;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.services.resource.RealmResourceProvider;
import org.keycloak.services.resource.RealmResourceProviderFactory;

import io.iottokens.keycloak.common.NoLifecycle;
import io.iottokens.keycloak.common.RealmResources;
import io.iottokens.keycloak.purposed.PurposedConfig;
import io.iottokens.keycloak.purposed.PurposedFeature;

/**
 * Mounts {@code /realms/{realm}/purposed-tokens}; declares the feature's server options ({@link PurposedConfig}) and
 * owns the node's {@link PurposedFeature} (the store's cleanup and expiry sweep).
 */
public final class PurposedTokensResourceProviderFactory implements RealmResourceProviderFactory, NoLifecycle<RealmResourceProvider> {

    private PurposedFeature feature;

    @Override
    public String getId() {
        return PurposedFeature.OWNER_ID;
    }

    @Override
    public RealmResourceProvider create(KeycloakSession session) {
        return RealmResources.of(() -> new PurposedTokensResource(session));
    }

    @Override
    public void init(Config.Scope config) {
        feature = new PurposedFeature(config);
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        feature.start(factory);
    }

    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        return PurposedConfig.metadata();
    }
}
