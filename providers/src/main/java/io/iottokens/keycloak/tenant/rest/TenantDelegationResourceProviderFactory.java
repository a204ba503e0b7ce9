package io.iottokens.keycloak.tenant.rest;

import org.keycloak.models.KeycloakSession;

import io.iottokens.keycloak.common.FeatureResourceFactory;
import io.iottokens.keycloak.tenant.TenantConfig;
import io.iottokens.keycloak.tenant.TenantFeature;

/**
 * Mounts {@code /realms/{realm}/tenant-delegation}; declares the feature's server options ({@link TenantConfig}) and
 * owns the node's {@link TenantFeature} (levels, caches, the cleanup with a client, organization or realm).
 */
public final class TenantDelegationResourceProviderFactory extends FeatureResourceFactory<TenantFeature> implements TenantFeature.Owner {

    public TenantDelegationResourceProviderFactory() {
        super(TenantFeature.OWNER_ID, TenantFeature::new, TenantConfig::metadata);
    }

    @Override
    public TenantFeature tenants() {
        return feature();
    }

    @Override
    protected Object resource(KeycloakSession session, TenantFeature feature) {
        return new TenantDelegationResource(session, feature);
    }
}
