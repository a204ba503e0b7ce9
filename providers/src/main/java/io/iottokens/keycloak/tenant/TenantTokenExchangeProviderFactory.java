package io.iottokens.keycloak.tenant;

import io.iottokens.keycloak.common.ExchangeProviderFactory;

/** Tenant tokens by token exchange; claims only requests with {@code tenant}. */
public final class TenantTokenExchangeProviderFactory extends ExchangeProviderFactory {

    public TenantTokenExchangeProviderFactory() {
        super("iottokens-tenant", TenantTokenExchangeProvider::new);
    }
}
