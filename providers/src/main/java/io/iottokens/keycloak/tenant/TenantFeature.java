package io.iottokens.keycloak.tenant;

import org.keycloak.Config;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderFactory;
import org.keycloak.services.resource.RealmResourceProvider;

import io.iottokens.keycloak.common.FeatureResourceFactory;

/**
 * Tenant delegation on this node: its server options ({@link TenantConfig}), the access levels
 * ({@link TenantLevels}), the grants the token path remembers ({@link TenantGrantCache}) and the applications' tokens
 * it has verified ({@link StatelessTokens}), and the cleanup when a client, organization or realm is removed. One
 * instance per node, owned by the provider factory where the options are declared (the {@code tenant-delegation}
 * realm resource, so the options are {@code --spi-realm-restapi-extension--tenant-delegation--*}); the token
 * exchange, the grant type and the admin resource find it with {@link #of}.
 */
public final class TenantFeature implements FeatureResourceFactory.Feature {

    /** The provider id of the factory that owns the feature (the realm resource {@code /realms/{realm}/tenant-delegation}). */
    public static final String OWNER_ID = "tenant-delegation";

    /** Implemented by the owning factory. */
    public interface Owner {
        TenantFeature tenants();
    }

    private final TenantConfig config;
    private final TenantLevels levels;
    private final TenantGrantCache grants = new TenantGrantCache();
    private final StatelessTokens tokens = new StatelessTokens();

    /** Reads the options; a broken value stops the server with the option's name. */
    public TenantFeature(Config.Scope scope) {
        this(TenantConfig.from(scope));
    }

    public TenantFeature(TenantConfig config) {
        this.config = config;
        this.levels = new TenantLevels(config);
    }

    /** The feature as the other tenant factories find it in their {@code postInit}. */
    public static TenantFeature of(KeycloakSessionFactory factory) {
        ProviderFactory<?> owner = factory.getProviderFactory(RealmResourceProvider.class, OWNER_ID);
        if (owner instanceof Owner o) {
            return o.tenants();
        }
        throw new IllegalStateException("The tenant delegation feature's provider (realm resource '" + OWNER_ID + "') is not deployed");
    }

    public TenantConfig config() {
        return config;
    }

    public TenantLevels levels() {
        return levels;
    }

    TenantGrantCache grants() {
        return grants;
    }

    public StatelessTokens tokens() {
        return tokens;
    }

    /** Removes grants with their client, organization or realm (from the owner's postInit). */
    @Override
    public void start(KeycloakSessionFactory factory) {
        factory.register(event -> {
            if (event instanceof ClientModel.ClientRemovedEvent e) {
                new TenantGrantService(e.getKeycloakSession(), this).clientRemoved(e.getClient().getId());
            } else if (event instanceof OrganizationModel.OrganizationRemovedEvent e) {
                new TenantGrantService(e.getKeycloakSession(), this).tenantRemoved(e.getOrganization().getId());
            } else if (event instanceof RealmModel.RealmRemovedEvent e) {
                new TenantGrantService(e.getKeycloakSession(), this).realmRemoved(e.getRealm().getId());
            }
        });
    }
}
