package io.iottokens.keycloak.edge;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.protocol.oidc.TokenExchangeProvider;
import org.keycloak.protocol.oidc.TokenExchangeProviderFactory;

/** Registers the edge-token exchange ahead of Keycloak's standard exchange (order 10); it only claims edge requests. */
public final class EdgeTokenExchangeProviderFactory implements TokenExchangeProviderFactory {

    public static final String PROVIDER_ID = "iottokens-edge";

    @Override
    public TokenExchangeProvider create(KeycloakSession session) {
        return new EdgeTokenExchangeProvider(session);
    }

    @Override
    public int order() {
        return 100;
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

    @Override
    public String getId() {
        return PROVIDER_ID;
    }
}
