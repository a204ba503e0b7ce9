package io.iottokens.keycloak.edge;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.representations.AccessToken;

import io.iottokens.keycloak.common.BearerPolicy;
import io.iottokens.keycloak.common.PackGrantTypeFactory;
import io.iottokens.keycloak.common.TokenKind;
import io.iottokens.keycloak.device.DeviceReleased;

/**
 * The grant type in every edge token's {@code jti} (kept on refresh): refused by Keycloak's own bearer endpoints;
 * elsewhere (the pack's endpoints, refresh, introspection) valid only while the node has not been let go since the
 * token's session was opened, and for refresh and introspection only while the node is free or the token's user's
 * ({@link EdgeSessions#current}). It also ends the edge sessions of a node the registry lets go: the device feature
 * publishes {@link DeviceReleased} inside the release's transaction and knows nothing of edge sessions.
 */
public final class EdgeTokenGrantTypeFactory extends PackGrantTypeFactory {

    public EdgeTokenGrantTypeFactory() {
        super(TokenKind.EDGE_GRANT, "ie");
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        factory.register(event -> {
            if (event instanceof DeviceReleased r) {
                EdgeSessions.end(r.session(), r.realm(), r.formerOwnerId(), r.deviceId());
            }
        });
    }

    @Override
    protected boolean credentialStillValid(KeycloakSession session, RealmModel realm, AccessToken token, UserSessionModel userSession) {
        // refresh and introspection: only the owner's token speaks for an owned node; the pack's endpoints answer 409 themselves
        return EdgeSessions.current(session, realm, userSession, !BearerPolicy.atPackEndpoint(session));
    }
}
