package io.iottokens.keycloak.it;

import static io.iottokens.keycloak.it.support.Errors.assertOAuthError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;

import io.iottokens.keycloak.it.support.Api;
import io.iottokens.keycloak.it.support.Revocations;
import io.iottokens.keycloak.it.support.TwoNodes;

/**
 * Two Keycloak nodes in one cluster on PostgreSQL (as {@link ApiKeysClusterIT}): a tenant grant revoked, a purposed
 * token deleted or a node unassociated on one node, and right after the answer the other node refuses the tokens
 * issued before, although it used (and cached) them a moment earlier: introspection inactive, refresh invalid_grant,
 * bearer use 401.
 */
class RevocationClusterIT {

    @RegisterExtension
    static final TwoNodes cluster = new TwoNodes("iottokens_revocation");

    @Test
    void revokedOnOneNodeRefusedOnTheOtherRightAfterTheAnswer(Api a, Api b) throws Exception {

        // a tenant grant: tokens minted on both nodes, used on node 2 (its grant cache is warm), revoked on node 1
        Revocations.Tenant t = Revocations.tenant(a);
        assertEquals(201, Revocations.grant(a, t, "read-write").status());
        String fromA = Revocations.tenantExchange(a, t, Revocations.appToken(a, t)).json().get("access_token").asText();
        String appOnB = Revocations.appToken(b, t);
        String fromB = Revocations.tenantExchange(b, t, appOnB).json().get("access_token").asText();
        for (String token : List.of(fromA, fromB)) {
            assertTrue(Revocations.active(b, token, null), "active on node 2");
            assertTrue(Revocations.active(b, token, "access_token"));
        }
        assertEquals(204, Revocations.revoke(a, t).status());
        for (String token : List.of(fromA, fromB)) {
            assertFalse(Revocations.active(b, token, null), "revoked on node 1: inactive on node 2 at once");
            assertFalse(Revocations.active(b, token, "access_token"));
            assertEquals(401, Revocations.packBearerUse(b, token));
        }
        assertEquals(403, Revocations.tenantExchange(b, t, appOnB).status(), "node 2 mints nothing more");

        // a purposed token: verified on node 2, deleted on node 1
        String name = Api.unique("owner");
        a.createUser(name, name + "-pw", "user");
        String owner = a.userToken(name, name + "-pw");
        JsonNode p = Revocations.purposed(a, owner, List.of("upp:verify"));
        String purposed = p.get("token").asText();
        assertTrue(Revocations.purposedActive(b, purposed));
        assertEquals(204, Revocations.deletePurposed(a, owner, p.get("id").asText()).status());
        assertFalse(Revocations.purposedActive(b, purposed), "deleted on node 1: inactive on node 2 at once");

        // an edge session opened and refreshed on node 2, its node unassociated on node 1
        Revocations.Developer dev = Revocations.developer(a);
        String idToken = Revocations.idToken(b, dev);
        String n = Api.unique("node");
        Revocations.EdgeTokens e = Revocations.edgeTokens(b, idToken, n);
        assertEquals(200, Revocations.node(b, e.access(), "associate").status());
        Api.Resp refreshed = Revocations.refreshEdge(b, e.refresh());
        assertEquals(200, refreshed.status(), refreshed.toString());
        String refreshedAccess = refreshed.json().get("access_token").asText();
        assertTrue(Revocations.active(b, refreshedAccess, null));
        assertEquals(200, Revocations.node(a, refreshedAccess, "unassociate").status());
        assertOAuthError(Revocations.refreshEdge(b, e.refresh()), 400, "invalid_grant"); // unassociated on node 1: node 2 refreshes nothing
        for (String token : List.of(e.access(), refreshedAccess)) {
            assertFalse(Revocations.active(b, token, null), "inactive on node 2");
            assertFalse(Revocations.active(b, token, "access_token"));
            assertEquals(401, Revocations.node(b, token, "associate").status(), "refused as bearer on node 2");
        }
        assertFalse(Revocations.active(b, e.refresh(), "refresh_token"));
        Revocations.EdgeTokens fresh = Revocations.edgeTokens(b, idToken, n);
        assertEquals(200, Revocations.node(b, fresh.access(), "associate").status(), "a fresh token works on node 2");
    }
}
