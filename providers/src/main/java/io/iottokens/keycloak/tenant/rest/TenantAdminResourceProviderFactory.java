package io.iottokens.keycloak.tenant.rest;

import org.keycloak.models.KeycloakSessionFactory;

import io.iottokens.keycloak.common.AdminResourceFactory;
import io.iottokens.keycloak.tenant.TenantFeature;
import io.iottokens.keycloak.tenant.TenantGrantService;

/** Mounts {@code /admin/realms/{realm}/tenant-grants} ({@link TenantAdminResource}). */
public final class TenantAdminResourceProviderFactory extends AdminResourceFactory {

    public static final String PROVIDER_ID = "tenant-grants";
    private TenantFeature feature;

    public TenantAdminResourceProviderFactory() {
        super(PROVIDER_ID);
    }

    @Override
    protected Object resource(Admin admin) {
        return new TenantAdminResource(admin, new TenantGrantService(admin.session(), feature));
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        feature = TenantFeature.of(factory);
    }
}
