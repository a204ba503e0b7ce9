package io.iottokens.keycloak.it;

import static io.iottokens.keycloak.it.support.Revocations.active;
import static io.iottokens.keycloak.it.support.Revocations.appToken;
import static io.iottokens.keycloak.it.support.Revocations.deletePurposed;
import static io.iottokens.keycloak.it.support.Revocations.developer;
import static io.iottokens.keycloak.it.support.Revocations.edgeExchange;
import static io.iottokens.keycloak.it.support.Revocations.edgeTokens;
import static io.iottokens.keycloak.it.support.Revocations.grant;
import static io.iottokens.keycloak.it.support.Revocations.idToken;
import static io.iottokens.keycloak.it.support.Revocations.node;
import static io.iottokens.keycloak.it.support.Revocations.packBearerUse;
import static io.iottokens.keycloak.it.support.Revocations.purposed;
import static io.iottokens.keycloak.it.support.Revocations.purposedActive;
import static io.iottokens.keycloak.it.support.Revocations.refreshEdge;
import static io.iottokens.keycloak.it.support.Revocations.revoke;
import static io.iottokens.keycloak.it.support.Revocations.tenant;
import static io.iottokens.keycloak.it.support.Revocations.tenantBatch;
import static io.iottokens.keycloak.it.support.Revocations.tenantExchange;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

import io.iottokens.keycloak.device.TestDeviceKeys;
import io.iottokens.keycloak.it.support.Api;
import io.iottokens.keycloak.it.support.Devices;
import io.iottokens.keycloak.it.support.KeycloakExtension;
import io.iottokens.keycloak.it.support.Race;
import io.iottokens.keycloak.it.support.Revocations;
import io.iottokens.keycloak.it.support.Revocations.Developer;
import io.iottokens.keycloak.it.support.Revocations.EdgeTokens;
import io.iottokens.keycloak.it.support.Revocations.Tenant;

/**
 * After a delete, revoke, unassociate or forget has answered 2xx, nothing issued before the answer works: bearer use at
 * the pack's endpoints (401), refresh ({@code invalid_grant}), RFC 7662 introspection with and without a hint
 * ({@code active: false}), the purposed introspection. Each case shows the success first, then the refusal, then rounds
 * of at least 32 concurrent requests mixing the change with uses, refreshes and mints, after which everything issued
 * before the change's answer is refused.
 */
@ExtendWith(KeycloakExtension.class)
class RevocationHoldsIT {

    private static final int ROUND = 32;

    // ---- purposed tokens --------------------------------------------------------------------------

    @Test
    void aDeletedPurposedTokenAndTheTokensIssuedFromItAreInactive(Api api) throws Exception {
        String name = Api.unique("owner");
        api.createUser(name, name + "-pw", "user");
        String owner = api.userToken(name, name + "-pw");

        JsonNode p = purposed(api, owner, List.of("upp:verify"));
        String token = p.get("token").asText();
        assertTrue(purposedActive(api, token), "a live purposed token verifies");
        assertEquals(401, packBearerUse(api, token), "never a bearer token");
        assertEquals(204, deletePurposed(api, owner, p.get("id").asText()).status());
        assertFalse(purposedActive(api, token), "deleted: inactive at once");
        assertFalse(active(api, token, null), "nor is it active for Keycloak's own introspection");
        assertEquals(404, deletePurposed(api, owner, p.get("id").asText()).status(), "deleted is final");

        // a bootstrap token and the tokens devices got from it; deleting it races bootstraps and verifications
        JsonNode boot = purposed(api, owner, List.of("thing:bootstrap"));
        List<TestDeviceKeys> keys = new ArrayList<>();
        List<String> devices = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            keys.add(TestDeviceKeys.ec());
            devices.add(Devices.registeredDevice(api, keys.get(i)));
        }
        Api.Resp first = bootstrap(api, boot.get("token").asText(), devices.get(0), keys.get(0));
        assertEquals(200, first.status(), first.toString());
        String firstVerification = first.json().at("/verification/token").asText();
        assertTrue(purposedActive(api, firstVerification), "a token issued from the bootstrap token verifies");

        List<String> issued = new CopyOnWriteArrayList<>(List.of(firstVerification, first.json().at("/anchoring/token").asText()));
        List<Callable<Integer>> tasks = new ArrayList<>();
        tasks.add(() -> deletePurposed(api, owner, boot.get("id").asText()).status());
        for (int i = 1; i < devices.size(); i++) {
            int d = i;
            tasks.add(() -> {
                Api.Resp r = bootstrap(api, boot.get("token").asText(), devices.get(d), keys.get(d));
                if (r.status() == 200) {
                    issued.add(r.json().at("/verification/token").asText());
                    issued.add(r.json().at("/anchoring/token").asText());
                }
                return r.status();
            });
        }
        while (tasks.size() < ROUND) {
            tasks.add(() -> purposedActive(api, firstVerification) ? 1 : 0);
        }
        List<Integer> results = Race.all(tasks);
        assertEquals(204, results.get(0), "the delete answered");
        for (int i = 1; i < devices.size(); i++) {
            assertTrue(results.get(i) == 200 || results.get(i) == 403, "a bootstrap racing the delete succeeds or is refused: " + results);
        }
        for (String t : issued) {
            assertFalse(purposedActive(api, t), "every token issued from the deleted bootstrap token is inactive");
        }
        TestDeviceKeys lateKey = TestDeviceKeys.ec();
        assertEquals(403, bootstrap(api, boot.get("token").asText(), Devices.registeredDevice(api, lateKey), lateKey).status(),
                "the deleted bootstrap token bootstraps nothing");
        JsonNode other = purposed(api, owner, List.of("upp:verify"));
        assertTrue(purposedActive(api, other.get("token").asText()), "the owner's other tokens are untouched");
    }

    private static Api.Resp bootstrap(Api api, String token, String device, TestDeviceKeys key) throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("token", token);
        m.put("identity", device);
        m.put("timestamp", System.currentTimeMillis() / 1000);
        String body = Api.JSON.writeValueAsString(m);
        return api.send(HttpRequest.newBuilder(URI.create(api.server().realmUrl(Api.REALM) + "/purposed-tokens/bootstrap"))
                .header("Content-Type", "application/json").header("X-Signature", key.sign(body, false))
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    // ---- tenant grants ------------------------------------------------------------------------------

    @Test
    void aRevokedTenantGrantsTokensAreRefusedEverywhere(Api api) throws Exception {
        Tenant t = tenant(api);
        assertEquals(201, grant(api, t, "read-write").status());
        String app = appToken(api, t);
        String exchanged = tenantToken(tenantExchange(api, t, app));
        String batched = tenantToken(tenantBatch(api, t, app));
        for (String token : List.of(exchanged, batched)) {
            assertTrue(active(api, token, null), "a tenant token introspects active");
            JsonNode answer = Revocations.introspect(api, token, null);
            assertEquals(t.alias(), answer.path("ten").asText(), "introspection answers the tenant (ten): " + answer);
            assertEquals(t.orgId(), answer.path("ten_id").asText(), "and its id (ten_id): " + answer);
            assertTrue(active(api, token, "access_token"), "also with token_type_hint=access_token");
            assertEquals(403, packBearerUse(api, token), "a tenant token is no credential at the pack's endpoints (403 naming its kind)");
        }

        assertEquals(204, revoke(api, t).status());
        for (String token : List.of(exchanged, batched)) {
            assertFalse(active(api, token, null), "revoked: inactive");
            assertFalse(active(api, token, "access_token"), "revoked: inactive with the hint");
            assertEquals(401, packBearerUse(api, token), "revoked: not even a token any more");
        }
        assertEquals(403, tenantExchange(api, t, app).status(), "no new token either");
        assertEquals(403, tenantBatch(api, t, app).status());
        assertEquals(404, revoke(api, t).status(), "revoked is final");

        // granted again: new tokens work, the old ones stay dead (they are older than the grant)
        Thread.sleep(1100);
        assertEquals(201, grant(api, t, "limited").status());
        String fresh = tenantToken(tenantExchange(api, t, app));
        assertTrue(active(api, fresh, null), "a token of the new grant");
        assertFalse(active(api, exchanged, null), "a token of the revoked grant stays inactive after a new grant");
        // putting the same grant again changes nothing; changing it retires the tokens issued under the previous one
        assertEquals(200, grant(api, t, "limited").status());
        assertTrue(active(api, fresh, null), "an unchanged grant keeps its tokens");
        Thread.sleep(1100);
        assertEquals(200, grant(api, t, "read-write").status());
        assertFalse(active(api, fresh, null), "a changed grant: tokens of the previous one are inactive");
        assertTrue(active(api, tenantToken(tenantExchange(api, t, app)), null), "tokens of the changed grant work");

        // rounds: the revoke races mints (exchange, batch), introspections and bearer uses of earlier tokens
        for (int round = 0; round < 2; round++) {
            if (round > 0) {
                assertEquals(201, grant(api, t, "read-write").status());
            }
            String appNow = appToken(api, t);
            List<String> before = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                before.add(tenantToken(tenantExchange(api, t, appNow)));
            }
            List<String> minted = new CopyOnWriteArrayList<>();
            List<Callable<Integer>> tasks = new ArrayList<>();
            tasks.add(() -> revoke(api, t).status());
            for (int i = 0; i < 8; i++) {
                tasks.add(() -> keep(minted, tenantExchange(api, t, appNow)));
                tasks.add(() -> keep(minted, tenantBatch(api, t, appNow)));
            }
            for (int i = 0; tasks.size() < ROUND; i++) {
                String token = before.get(i % before.size());
                tasks.add(i % 2 == 0 ? () -> active(api, token, null) ? 1 : 0 : () -> packBearerUse(api, token));
            }
            List<Integer> results = Race.all(tasks);
            assertEquals(204, results.get(0), "the revoke answered");
            for (int i = 1; i <= 16; i++) {
                assertTrue(results.get(i) == 200 || results.get(i) == 403, "a mint racing the revoke succeeds or is refused: " + results);
            }
            List<String> all = new ArrayList<>(before);
            all.addAll(minted);
            for (String token : all) {
                assertFalse(active(api, token, null), "round " + round + ": every token of the revoked grant is inactive");
                assertFalse(active(api, token, "access_token"));
                assertEquals(401, packBearerUse(api, token));
            }
            assertEquals(403, tenantExchange(api, t, appNow).status());
            Thread.sleep(1100); // the next round's grant is a new one, a second later than every token of this one
        }
    }

    private static String tenantToken(Api.Resp r) {
        assertEquals(200, r.status(), r.toString());
        JsonNode tokens = r.json().get("tokens");
        return (tokens == null ? r.json() : tokens.get(0)).get("access_token").asText();
    }

    private static int keep(List<String> minted, Api.Resp r) {
        if (r.status() == 200) {
            minted.add(tenantToken(r));
        }
        return r.status();
    }

    // ---- edge: unassociate, forget --------------------------------------------------------------------

    @Test
    void anUnassociatedNodesEdgeTokensAreRefusedEverywhere(Api api) throws Exception {
        releasedNodeRefusesEverything(api, (c) -> node(api, c.current().access(), "unassociate"), 200);
    }

    @Test
    void aForgottenNodesEdgeTokensAreRefusedEverywhere(Api api) throws Exception {
        releasedNodeRefusesEverything(api, (c) -> api.delete(api.server().realmUrl(Api.REALM) + "/devices/" + c.node(), c.ownerLogin()), 204);
    }

    @Test
    void anAdministratorsDeleteOfANodeEndsItsEdgeTokens(Api api) {
        Developer dev = developer(api);
        String id = idToken(api, dev);
        String n = Api.unique("node");
        EdgeTokens e = edgeTokens(api, id, n);
        assertEquals(200, node(api, e.access(), "associate").status());
        assertEquals(204, api.adminDelete("/devices/" + n).status());
        assertEdgeDead(api, e);
        EdgeTokens again = edgeTokens(api, id, n);
        assertEquals(200, node(api, again.access(), "associate").status(), "a fresh token associates the node anew");
    }

    /** What a release sees: the node, the owner's login token and the current (associated) edge session. */
    private record Case(String node, String ownerLogin, EdgeTokens current) {
    }

    private static void releasedNodeRefusesEverything(Api api, Function<Case, Api.Resp> release, int released) throws Exception {
        Developer dev = developer(api);
        String id = idToken(api, dev);
        String login = api.userToken(dev.username(), dev.password());
        String n = Api.unique("node");

        // success: bearer use, refresh, introspection of access and refresh token
        EdgeTokens e = edgeTokens(api, id, n);
        assertEquals(200, node(api, e.access(), "associate").status());
        Api.Resp refreshed = refreshEdge(api, e.refresh());
        assertEquals(200, refreshed.status(), refreshed.toString());
        EdgeTokens r = new EdgeTokens(refreshed.json().get("access_token").asText(), refreshed.json().get("refresh_token").asText());
        for (EdgeTokens t : List.of(e, r)) {
            assertEquals(200, node(api, t.access(), "associate").status(), "bearer use");
            assertTrue(active(api, t.access(), null));
            assertTrue(active(api, t.access(), "access_token"));
        }
        // (a refresh token is introspected active only by the client it was issued to; edge-cli is public and cannot)

        Api.Resp done = release.apply(new Case(n, login, e));
        assertEquals(released, done.status(), done.toString());
        assertFalse(api.adminGet("/devices/" + n).json().hasNonNull("ownerId"), "the node is free");
        assertEdgeDead(api, e);
        assertEdgeDead(api, r);

        // a fresh exchange after the answer works, next to the dead ones
        EdgeTokens fresh = edgeTokens(api, id, n);
        assertEquals(200, node(api, fresh.access(), "associate").status());
        assertTrue(active(api, fresh.access(), null));
        assertEquals(401, node(api, e.access(), "associate").status(), "the old one stays dead after the node is associated again");

        // rounds: the release races refreshes, introspections, bearer uses and mints of the node's edge sessions
        EdgeTokens owner = fresh;
        for (int round = 0; round < 2; round++) {
            List<EdgeTokens> before = new ArrayList<>(List.of(owner));
            for (int i = 0; i < 5; i++) {
                before.add(edgeTokens(api, id, n));
            }
            List<EdgeTokens> derived = new CopyOnWriteArrayList<>();
            List<Callable<Integer>> tasks = new ArrayList<>();
            EdgeTokens holder = owner;
            tasks.add(() -> release.apply(new Case(n, login, holder)).status());
            for (int i = 0; tasks.size() < ROUND; i++) {
                EdgeTokens t = before.get(i % before.size());
                switch (i % 5) {
                    case 0, 1 -> tasks.add(() -> {
                        Api.Resp rr = refreshEdge(api, t.refresh());
                        if (rr.status() == 200) {
                            derived.add(new EdgeTokens(rr.json().get("access_token").asText(), rr.json().get("refresh_token").asText()));
                        }
                        return rr.status();
                    });
                    case 2 -> tasks.add(() -> active(api, t.access(), null) ? 1 : 0);
                    case 3 -> tasks.add(() -> node(api, t.access(), "associate").status());
                    default -> tasks.add(() -> edgeExchange(api, id, n).status());
                }
            }
            List<Integer> results = Race.all(tasks);
            assertEquals(released, results.get(0), "the release answered: " + results);
            assertFalse(api.adminGet("/devices/" + n).json().hasNonNull("ownerId"), "no use of an earlier token associated it again");
            List<EdgeTokens> all = new ArrayList<>(before);
            all.addAll(derived);
            for (EdgeTokens t : all) {
                assertEdgeDead(api, t);
            }
            owner = edgeTokens(api, id, n);
            assertEquals(200, node(api, owner.access(), "associate").status(), "round " + round + ": a fresh token works after the answer");
        }
    }

    /** Every use of the session's tokens is refused: bearer 401, refresh invalid_grant, introspection inactive (all hints). */
    private static void assertEdgeDead(Api api, EdgeTokens t) {
        assertEquals(401, node(api, t.access(), "associate").status(), "bearer use refused");
        assertEquals(401, node(api, t.access(), "unassociate").status(), "bearer use refused");
        Api.Resp refresh = refreshEdge(api, t.refresh());
        assertEquals(400, refresh.status(), refresh.toString());
        assertEquals("invalid_grant", refresh.json().get("error").asText(), refresh.toString());
        assertFalse(active(api, t.access(), null), "introspection: inactive");
        assertFalse(active(api, t.access(), "access_token"), "introspection (access_token hint): inactive");
        assertFalse(active(api, t.refresh(), "refresh_token"), "introspection (refresh_token hint): inactive");
    }
}
