package io.iottokens.keycloak.common;

import java.util.function.Function;

import org.keycloak.models.KeycloakSession;
import org.keycloak.protocol.oidc.TokenExchangeProvider;
import org.keycloak.protocol.oidc.TokenExchangeProviderFactory;

/**
 * The pack's token-exchange providers: asked before Keycloak's standard exchange (order {@value #ORDER} &gt; 10),
 * each claims only its own requests in {@code supports}, so every other exchange reaches Keycloak unchanged.
 */
public abstract class ExchangeProviderFactory extends OrderedFactory<TokenExchangeProvider> implements TokenExchangeProviderFactory {

    public static final int ORDER = 100;

    protected ExchangeProviderFactory(String id, Function<KeycloakSession, TokenExchangeProvider> create) {
        super(id, ORDER, create);
    }
}
