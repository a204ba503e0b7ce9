package io.iottokens.keycloak.purposed;

import io.iottokens.keycloak.common.ExchangeProviderFactory;

/** Purposed tokens by token exchange; claims only requests for the purposed token type. */
public final class PurposedTokenExchangeProviderFactory extends ExchangeProviderFactory {

    public PurposedTokenExchangeProviderFactory() {
        super("iottokens-purposed", PurposedTokenExchangeProvider::new);
    }
}
