package io.iottokens.keycloak.tenant;

import io.iottokens.keycloak.common.ExchangeProviderFactory;

/** Tenant tokens by token exchange; claims only requests with {@code tenant}. The node's state is the {@link TenantFeature}'s. */
public final class TenantTokenExchangeProviderFactory extends ExchangeProviderFactory {

    public TenantTokenExchangeProviderFactory() {
        super("iottokens-tenant", session -> new TenantTokenExchangeProvider(session, TenantFeature.of(session.getKeycloakSessionFactory())));
    }
}
