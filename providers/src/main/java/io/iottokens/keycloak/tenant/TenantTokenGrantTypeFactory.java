package io.iottokens.keycloak.tenant;

import io.iottokens.keycloak.common.PackGrantTypeFactory;
import io.iottokens.keycloak.common.TokenKind;

/** The grant type in every tenant token's {@code jti}: such tokens are refused by Keycloak's own bearer endpoints. */
public final class TenantTokenGrantTypeFactory extends PackGrantTypeFactory {

    public TenantTokenGrantTypeFactory() {
        super(TokenKind.TENANT_GRANT, "it");
    }
}
