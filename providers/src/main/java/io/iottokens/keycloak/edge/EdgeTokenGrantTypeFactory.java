package io.iottokens.keycloak.edge;

import io.iottokens.keycloak.common.PackGrantTypeFactory;
import io.iottokens.keycloak.common.TokenKind;

/** The grant type in every edge token's {@code jti} (kept on refresh): refused by Keycloak's own bearer endpoints. */
public final class EdgeTokenGrantTypeFactory extends PackGrantTypeFactory {

    public EdgeTokenGrantTypeFactory() {
        super(TokenKind.EDGE_GRANT, "ie");
    }
}
