package io.iottokens.keycloak.purposed;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.protocol.oidc.TokenExchangeProvider;
import org.keycloak.protocol.oidc.TokenExchangeProviderFactory;

/** Registers the purposed-token exchange ahead of Keycloak's standard exchange; it claims only its own token type. */
public final class PurposedTokenExchangeProviderFactory implements TokenExchangeProviderFactory {

    @Override
    public TokenExchangeProvider create(KeycloakSession session) {
        return new PurposedTokenExchangeProvider(session);
    }

    @Override
    public int order() {
        return 100;
    }

    @Override
    public String getId() {
        return "iottokens-purposed";
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
