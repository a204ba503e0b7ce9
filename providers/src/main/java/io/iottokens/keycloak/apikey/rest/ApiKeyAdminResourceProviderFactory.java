package io.iottokens.keycloak.apikey.rest;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.ext.AdminRealmResourceProvider;
import org.keycloak.services.resources.admin.ext.AdminRealmResourceProviderFactory;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

import io.iottokens.keycloak.apikey.ApiKeyFeature;
import io.iottokens.keycloak.apikey.ApiKeyService;
import io.iottokens.keycloak.common.NoLifecycle;

/** Mounts {@code /admin/realms/{realm}/api-keys}; Keycloak authenticates the admin, the resource checks permissions. */
public final class ApiKeyAdminResourceProviderFactory implements AdminRealmResourceProviderFactory, AdminRealmResourceProvider, NoLifecycle<AdminRealmResourceProvider> {

    public static final String PROVIDER_ID = "api-keys";
    private ApiKeyFeature feature;

    @Override
    public AdminRealmResourceProvider create(KeycloakSession session) {
        return this;
    }

    @Override
    public Object getResource(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth, AdminEventBuilder adminEvent) {
        return new ApiKeyAdminResource(session, realm, auth, adminEvent, new ApiKeyService(session, feature.config()));
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        feature = ApiKeyFeature.of(factory);
    }

    @Override
    public void close() {
    }
}
