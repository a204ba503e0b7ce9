package io.iottokens.keycloak.apikey.rest;

import org.keycloak.models.KeycloakSessionFactory;

import io.iottokens.keycloak.apikey.ApiKeyFeature;
import io.iottokens.keycloak.apikey.ApiKeyService;
import io.iottokens.keycloak.common.AdminResourceFactory;

/** Mounts {@code /admin/realms/{realm}/api-keys} ({@link ApiKeyAdminResource}). */
public final class ApiKeyAdminResourceProviderFactory extends AdminResourceFactory {

    private ApiKeyFeature feature;

    public ApiKeyAdminResourceProviderFactory() {
        super(ApiKeyFeature.OWNER_ID);
    }

    @Override
    protected Object resource(Admin admin) {
        return new ApiKeyAdminResource(admin.session(), admin.realm(), admin.auth(), admin.events(),
                new ApiKeyService(admin.session(), feature.config()));
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        feature = ApiKeyFeature.of(factory);
    }
}
