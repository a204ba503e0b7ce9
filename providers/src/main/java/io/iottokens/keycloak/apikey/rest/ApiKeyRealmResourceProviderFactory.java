package io.iottokens.keycloak.apikey.rest;

import org.keycloak.models.KeycloakSession;

import io.iottokens.keycloak.apikey.ApiKeyConfig;
import io.iottokens.keycloak.apikey.ApiKeyFeature;
import io.iottokens.keycloak.apikey.ApiKeyService;
import io.iottokens.keycloak.common.FeatureResourceFactory;

/** Mounts {@code /realms/{realm}/api-keys}; declares and owns the API key feature's server options ({@link ApiKeyFeature}). */
public final class ApiKeyRealmResourceProviderFactory extends FeatureResourceFactory<ApiKeyFeature> implements ApiKeyFeature.Owner {

    public ApiKeyRealmResourceProviderFactory() {
        super(ApiKeyFeature.OWNER_ID, ApiKeyFeature::new, ApiKeyConfig::metadata);
    }

    @Override
    public ApiKeyFeature apiKeys() {
        return feature();
    }

    @Override
    protected Object resource(KeycloakSession session, ApiKeyFeature feature) {
        return new ApiKeyResource(session, new ApiKeyService(session, feature.config()));
    }
}
