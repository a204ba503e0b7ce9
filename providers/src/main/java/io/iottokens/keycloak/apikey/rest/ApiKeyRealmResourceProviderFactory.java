package io.iottokens.keycloak.apikey.rest;

import java.util.List;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.services.resource.RealmResourceProvider;
import org.keycloak.services.resource.RealmResourceProviderFactory;

import io.iottokens.keycloak.apikey.ApiKeyConfig;
import io.iottokens.keycloak.apikey.ApiKeyFeature;
import io.iottokens.keycloak.apikey.ApiKeyService;
import io.iottokens.keycloak.common.NoLifecycle;
import io.iottokens.keycloak.common.RealmResources;

/** Mounts {@code /realms/{realm}/api-keys}; declares and owns the API key feature's server options ({@link ApiKeyFeature}). */
public final class ApiKeyRealmResourceProviderFactory implements RealmResourceProviderFactory, ApiKeyFeature.Owner, NoLifecycle<RealmResourceProvider> {

    private ApiKeyFeature feature;

    @Override
    public ApiKeyFeature apiKeys() {
        return feature;
    }

    @Override
    public String getId() {
        return ApiKeyFeature.OWNER_ID;
    }

    @Override
    public RealmResourceProvider create(KeycloakSession session) {
        ApiKeyService service = new ApiKeyService(session, feature.config());
        return RealmResources.of(() -> new ApiKeyResource(session, service));
    }

    @Override
    public void init(Config.Scope scope) {
        feature = new ApiKeyFeature(scope);
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        feature.start(factory);
    }

    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        return ApiKeyConfig.metadata();
    }
}
