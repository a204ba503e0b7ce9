package io.iottokens.keycloak.purposed;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.protocol.oidc.TokenIntrospectionProvider;
import org.keycloak.protocol.oidc.TokenIntrospectionProviderFactory;

/** Introspection of purposed tokens, chosen by Keycloak for {@code token_type_hint=purposed_token}. */
public final class PurposedIntrospectionProviderFactory implements TokenIntrospectionProviderFactory {

    @Override
    public TokenIntrospectionProvider create(KeycloakSession session) {
        return new PurposedIntrospectionProvider(session);
    }

    @Override
    public String getId() {
        return PurposedIntrospectionProvider.TOKEN_TYPE;
    }

    @Override
    public void init(Config.Scope config) {
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    public void close() {
    }
}
