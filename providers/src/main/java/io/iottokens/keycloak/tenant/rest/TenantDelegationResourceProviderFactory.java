package io.iottokens.keycloak.tenant.rest;

import java.util.List;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.services.resource.RealmResourceProvider;
import org.keycloak.services.resource.RealmResourceProviderFactory;

import io.iottokens.keycloak.common.NoLifecycle;
import io.iottokens.keycloak.common.RealmResources;
import io.iottokens.keycloak.tenant.TenantConfig;
import io.iottokens.keycloak.tenant.TenantFeature;

/**
 * Mounts {@code /realms/{realm}/tenant-delegation}; declares the feature's server options ({@link TenantConfig}) and
 * owns the node's {@link TenantFeature} (levels, caches, the cleanup with a client, organization or realm).
 */
public final class TenantDelegationResourceProviderFactory implements RealmResourceProviderFactory, TenantFeature.Owner,
        NoLifecycle<RealmResourceProvider> {

    private TenantFeature feature;

    @Override
    public TenantFeature tenants() {
        return feature;
    }

    @Override
    public String getId() {
        return TenantFeature.OWNER_ID;
    }

    @Override
    public RealmResourceProvider create(KeycloakSession session) {
        return RealmResources.of(() -> new TenantDelegationResource(session, feature));
    }

    @Override
    public void init(Config.Scope config) {
        feature = new TenantFeature(config);
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        feature.start(factory);
    }

    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        return TenantConfig.metadata();
    }
}
