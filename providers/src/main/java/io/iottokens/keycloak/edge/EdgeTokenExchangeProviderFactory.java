package io.iottokens.keycloak.edge;

import io.iottokens.keycloak.common.ExchangeProviderFactory;

/** Edge tokens by token exchange; claims only edge requests of edge-enabled clients. */
public final class EdgeTokenExchangeProviderFactory extends ExchangeProviderFactory {

    public static final String PROVIDER_ID = "iottokens-edge";

    public EdgeTokenExchangeProviderFactory() {
        super(PROVIDER_ID, EdgeTokenExchangeProvider::new);
    }
}
