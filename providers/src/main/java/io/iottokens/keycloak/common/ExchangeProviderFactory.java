package io.iottokens.keycloak.common;

import java.util.function.Function;

import org.keycloak.models.KeycloakSession;
import org.keycloak.protocol.oidc.TokenExchangeProvider;
import org.keycloak.protocol.oidc.TokenExchangeProviderFactory;

/**
 * The pack's token-exchange providers: asked before Keycloak's standard exchange (order {@value #ORDER} &gt; 10),
 * each claims only its own requests in {@code supports}, so every other exchange reaches Keycloak unchanged.
 */
public abstract class ExchangeProviderFactory implements TokenExchangeProviderFactory, NoLifecycle<TokenExchangeProvider> {

    public static final int ORDER = 100;

    private final String id;
    private final Function<KeycloakSession, TokenExchangeProvider> create;

    protected ExchangeProviderFactory(String id, Function<KeycloakSession, TokenExchangeProvider> create) {
        this.id = id;
        this.create = create;
    }

    @Override
    public TokenExchangeProvider create(KeycloakSession session) {
        return create.apply(session);
    }

    @Override
    public int order() {
        return ORDER;
    }

    @Override
    public String getId() {
        return id;
    }
}
