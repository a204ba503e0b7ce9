package io.iottokens.keycloak.apikey;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.protocol.oidc.grants.OAuth2GrantType;
import org.keycloak.protocol.oidc.grants.OAuth2GrantTypeFactory;

import io.iottokens.keycloak.apikey.ApiKeyFeature;
import io.iottokens.keycloak.common.NoLifecycle;

/** Registers the API key grant on the standard token endpoint. Options live on the {@code api-keys} realm resource. */
public final class ApiKeyGrantTypeFactory implements OAuth2GrantTypeFactory, NoLifecycle<OAuth2GrantType> {

    private ApiKeyFeature feature;

    @Override
    public String getId() {
        return ApiKeyGrantType.GRANT_TYPE;
    }

    /** Two characters, unique among grants: it is encoded into every token's jti. */
    @Override
    public String getShortcut() {
        return "ak";
    }

    @Override
    public OAuth2GrantType create(KeycloakSession session) {
        return new ApiKeyGrantType(new ApiKeyService(session, feature.config()), feature.throttle(), feature.sessions());
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        feature = ApiKeyFeature.of(factory);
    }
}
