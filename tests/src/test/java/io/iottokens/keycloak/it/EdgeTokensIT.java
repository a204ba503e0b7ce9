package io.iottokens.keycloak.it;

import static io.iottokens.keycloak.it.support.Errors.assertError;
import static io.iottokens.keycloak.it.support.Errors.assertOAuthError;
import static io.iottokens.keycloak.it.support.Revocations.developer;
import static io.iottokens.keycloak.it.support.Revocations.idToken;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;

import io.iottokens.keycloak.device.TestDeviceKeys;
import io.iottokens.keycloak.it.support.Api;
import io.iottokens.keycloak.it.support.Edge;
import io.iottokens.keycloak.it.support.Jwts;
import io.iottokens.keycloak.it.support.KeycloakExtension;
import io.iottokens.keycloak.it.support.Revocations.Developer;

/**
 * mimik's edge tokens (README "Devices and edge tokens"): a developer's ID token from {@code developer-console}
 * exchanged by {@code edge-cli} for a node-bound access token; associate / unassociate; key binding.
 */
@ExtendWith(KeycloakExtension.class)
class EdgeTokensIT {

    private static final String ID_TOKEN_TYPE = Edge.ID_TOKEN_TYPE;
    private static final Set<String> EDGE_SCOPES = Set.of("edge:mcm", "edge:clusters", "edge:account:associate",
            "edge:account:unassociate", "edge:read:accountkey");

    /** The edge exchange's form with a subject token of another type. */
    private static Map<String, String> exchangeForm(String subjectToken, String subjectType, String nodeId) {
        Map<String, String> f = Edge.exchangeForm(subjectToken, nodeId);
        f.put("subject_token_type", subjectType);
        return f;
    }

    private static Api.Resp edgeToken(Api api, String idToken, String nodeId) {
        return Edge.exchange(api, idToken, nodeId);
    }

    private static String devicesUrl(Api api, String path) {
        return api.server().realmUrl(Api.REALM) + "/devices" + path;
    }

    private static Api.Resp associate(Api api, String edgeToken, String what) {
        return api.postJson(devicesUrl(api, "/" + what), Map.of(), edgeToken);
    }

    private static void assertRefused(Api.Resp r, String error, String... descriptionContains) {
        assertOAuthError(r, 400, error, descriptionContains);
    }

    @Test
    void theMimikFlowAssociatesTheNodeWithTheDeveloperAndOnlyOneAccountAtATime(Api api) throws Exception {
        Developer first = developer(api);
        Developer second = developer(api);
        String node = Api.unique("node");

        Api.Resp issued = edgeToken(api, idToken(api, first), node);
        assertEquals(200, issued.status(), issued.toString());
        assertEquals("urn:ietf:params:oauth:token-type:access_token", issued.json().get("issued_token_type").asText());
        assertEquals("Bearer", issued.json().get("token_type").asText(), "a node without a registered key gets a plain bearer token");
        String edge = issued.json().get("access_token").asText();
        JWTClaimsSet claims = Jwts.verify(api, edge);
        assertEquals(first.id(), claims.getSubject());
        assertEquals(node, claims.getStringClaim("node_id"));
        assertEquals("edge-cli", claims.getStringClaim("azp"));
        Set<String> scopes = Set.of(claims.getStringClaim("scope").split(" "));
        assertTrue(scopes.containsAll(EDGE_SCOPES), scopes.toString());
        assertTrue(scopes.contains("openid"), scopes.toString());
        assertNull(claims.getClaim("cnf"));
        Jwts.assertLifetime(3600, claims, "edge-cli access token lifespan");

        Api.Resp associated = associate(api, edge, "associate");
        assertEquals(200, associated.status(), associated.toString());
        assertEquals(first.id(), associated.json().at("/result/accountId").asText());
        assertEquals("successfully associated", associated.json().get("status").asText());
        assertEquals(200, associate(api, edge, "associate").status(), "associating again is harmless");

        // the owner sees the node among their devices; the second developer does not
        String firstLogin = api.userToken(first.username(), first.password());
        assertEquals(403, api.get(devicesUrl(api, "/" + node), edge).status(), "an edge token is no credential for the owner's views");
        JsonNode owned = api.get(devicesUrl(api, "/" + node), firstLogin).json();
        assertEquals(node, owned.get("id").asText());
        assertTrue(owned.hasNonNull("associatedAt"));

        // another account's edge token for this node: the contract's 409 at the node's endpoints, inactive elsewhere
        String secondEdge = edgeToken(api, idToken(api, second), node).json().get("access_token").asText();
        assertError(associate(api, secondEdge, "associate"), 409, "conflict");
        assertFalse(api.introspect(secondEdge).json().get("active").asBoolean(), "another account's token does not speak for an owned node");
        assertEquals(404, api.get(devicesUrl(api, "/" + node), api.userToken(second.username(), second.password())).status(),
                "another account's node is not revealed");
        assertEquals(409, associate(api, secondEdge, "unassociate").status(), "nor can the other account let it go");
        assertEquals(first.id(), api.adminGet("/devices/" + node).json().get("ownerId").asText());

        Api.Resp released = associate(api, edge, "unassociate");
        assertEquals(200, released.status(), released.toString());
        assertEquals("successfully unassociated", released.json().get("status").asText());
        assertEquals(404, api.get(devicesUrl(api, "/" + node), firstLogin).status());
        assertEquals(401, associate(api, edge, "associate").status(), "the released node's edge tokens are dead");
        assertEquals(401, associate(api, secondEdge, "associate").status(), "so is every edge token of the node issued before the release");

        // two accounts with fresh tokens for the free node: one wins, and the other's token no longer speaks for it
        String firstAgain = edgeToken(api, idToken(api, first), node).json().get("access_token").asText();
        secondEdge = edgeToken(api, idToken(api, second), node).json().get("access_token").asText();
        Api.Resp now = associate(api, secondEdge, "associate");
        assertEquals(200, now.status(), now.toString());
        assertEquals(second.id(), now.json().at("/result/accountId").asText());
        Api.Resp taken = associate(api, firstAgain, "associate");
        assertEquals(409, taken.status(), "the node is the second's now: " + taken);
        assertFalse(api.introspect(firstAgain).json().get("active").asBoolean(), "and the first's token no longer speaks for it");
        assertEquals(second.id(), api.adminGet("/devices/" + node).json().get("ownerId").asText());
    }

    @Test
    void theOwnerUnassociatesTheNodeWithTheirLoginTokenAndItsEdgeTokensStopWorking(Api api) throws Exception {
        Developer owner = developer(api);
        Developer stranger = developer(api);
        String node = Api.unique("node");
        Api.Resp issued = edgeToken(api, idToken(api, owner), node);
        assertEquals(200, issued.status(), issued.toString());
        String edge = issued.json().get("access_token").asText();
        String refreshToken = issued.json().get("refresh_token").asText();
        assertEquals(200, associate(api, edge, "associate").status());
        String url = devicesUrl(api, "/" + node + "/unassociate");
        String ownerLogin = api.userToken(owner.username(), owner.password());

        // nobody else can: no token 401, the node's edge token and the owner's API-key token 403, another account 404
        assertError(api.postJson(url, Map.of(), null), 401, "invalid_token");
        assertError(api.postJson(url, Map.of(), edge), 403, "access_denied");
        Api.Resp key = api.createApiKey(ownerLogin, Map.of("memo", "unassociate", "duration", "1d"));
        assertEquals(201, key.status(), key.toString());
        String keyToken = api.apiKeyGrant("iot-api", key.json().get("key").asText(), key.json().get("secret").asText(), null)
                .json().get("access_token").asText();
        assertError(api.postJson(url, Map.of(), keyToken), 403, "access_denied");
        assertError(api.postJson(url, Map.of(), api.userToken(stranger.username(), stranger.password())), 404, "not_found");
        assertEquals(owner.id(), api.adminGet("/devices/" + node).json().get("ownerId").asText(), "nothing changed");
        assertTrue(api.introspect(edge).json().get("active").asBoolean(), "the node's edge token still works");

        // the owner: 200 with the device as it is now, no association
        Api.Resp done = api.postJson(url, Map.of(), ownerLogin);
        assertEquals(200, done.status(), done.toString());
        assertEquals(node, done.json().get("id").asText());
        assertFalse(done.json().has("associatedAt"), done.toString());
        assertFalse(done.json().has("ownerId"), "the owner's view never shows ownerId: " + done);
        assertEquals(0, done.json().get("groups").size());
        assertTrue(done.header("Cache-Control").orElse("").contains("no-store"), done.headers().toString());
        JsonNode device = api.adminGet("/devices/" + node).json();
        assertFalse(device.has("ownerId") || device.has("associatedAt"), device.toString());

        // the node's edge session ended: its access token and its refresh token are refused
        assertFalse(api.introspect(edge).json().get("active").asBoolean(), "the edge token is dead");
        assertEquals(401, associate(api, edge, "associate").status(), "the edge token no longer speaks for the node");
        assertOAuthError(api.refresh("edge-cli", refreshToken), 400, "invalid_grant");

        // not associated any more: nobody's, so a 404 (also for the former owner; no existence leak)
        assertError(api.postJson(url, Map.of(), ownerLogin), 404, "not_found");
        assertEquals(404, api.get(devicesUrl(api, "/" + node), ownerLogin).status());
    }

    @Test
    void associateNeedsAnEdgeTokenWithTheRightScope(Api api) {
        Developer d = developer(api);
        assertEquals(401, api.postJson(devicesUrl(api, "/associate"), Map.of(), null).status());
        String login = api.userToken(d.username(), d.password());
        Api.Resp plain = associate(api, login, "associate");
        assertEquals(403, plain.status(), "a login token has no node_id: " + plain);

        Map<String, String> narrow = exchangeForm(idToken(api, d), ID_TOKEN_TYPE, Api.unique("node"));
        narrow.put("scope", "edge:mcm");
        Api.Resp issued = api.token(narrow);
        assertEquals(200, issued.status(), issued.toString());
        assertError(associate(api, issued.json().get("access_token").asText(), "associate"), 403, "insufficient_scope");
    }

    @Test
    void theExchangeRefusesEverythingButACurrentIdTokenOfDeveloperConsole(Api api) throws Exception {
        Developer d = developer(api);
        String node = Api.unique("node");
        Api.Resp login = api.codeFlow("developer-console", Edge.CALLBACK, d.username(), d.password(), "openid");
        String accessToken = login.json().get("access_token").asText();
        String idToken = login.json().get("id_token").asText();

        assertRefused(edgeToken(api, accessToken, node), "invalid_grant");
        assertRefused(api.token(exchangeForm(accessToken, "urn:ietf:params:oauth:token-type:access_token", node)),
                "invalid_request", "subject_token_type");
        assertRefused(edgeToken(api, idToken, null), "invalid_request", "node_id");
        assertRefused(edgeToken(api, idToken, "no spaces allowed"), "invalid_request", "node_id");

        // an ID token of another client of this realm
        String otherClient = api.passwordGrant("iot-api", d.username(), d.password(), "openid").json().get("id_token").asText();
        assertRefused(edgeToken(api, otherClient, node), "invalid_grant");
        // an ID token of another realm (master)
        String otherRealm = api.postForm(api.tokenUrl("master"), Map.of("grant_type", "password", "client_id", "admin-cli",
                "username", "admin", "password", api.server().adminPassword(), "scope", "openid"), null).json().get("id_token").asText();
        assertRefused(edgeToken(api, otherRealm, node), "invalid_grant");
        // a tampered one
        String[] parts = idToken.split("\\.");
        String tampered = parts[0] + "." + parts[1].substring(0, parts[1].length() - 2) + "AA." + parts[2];
        assertRefused(edgeToken(api, tampered, node), "invalid_grant");
        // a disabled developer
        api.adminPut("/users/" + d.id(), Map.of("enabled", false));
        assertRefused(edgeToken(api, idToken, node), "invalid_grant");
        api.adminPut("/users/" + d.id(), Map.of("enabled", true));
        assertEquals(200, edgeToken(api, idToken, node).status(), "the same ID token works once the user is enabled again");
        assertFalse(api.adminGet("/devices/" + node).status() == 200, "nothing was registered by the refusals or the exchange");
    }

    @Test
    void anExpiredIdTokenIsRefused(Api api) throws Exception {
        Developer d = developer(api);
        JsonNode client = api.adminGet("/clients?clientId=developer-console").json().get(0);
        String path = "/clients/" + client.get("id").asText();
        JsonNode original = api.adminGet(path).json();
        com.fasterxml.jackson.databind.node.ObjectNode shortLived = original.deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) shortLived.get("attributes")).put("access.token.lifespan", "1");
        assertEquals(204, api.adminPut(path, shortLived).status());
        String idToken;
        try {
            idToken = idToken(api, d);
        } finally {
            assertEquals(204, api.adminPut(path, original).status());
        }
        Thread.sleep(2100);
        assertRefused(edgeToken(api, idToken, Api.unique("node")), "invalid_grant");
    }

    @Test
    void aNodeWithARegisteredKeyNeedsItsSignedActorTokenAndGetsAKeyBoundToken(Api api) throws Exception {
        for (TestDeviceKeys key : List.of(TestDeviceKeys.ec(), TestDeviceKeys.ed25519())) {
            Developer d = developer(api);
            String node = Api.unique("bound");
            String body = Api.JSON.writeValueAsString(Map.of("publicKey", key.jwk));
            Api.Resp registered = api.send(HttpRequest.newBuilder(URI.create(devicesUrl(api, "/" + node + "/key")))
                    .header("Content-Type", "application/json").header("X-Signature", key.sign(body, false))
                    .POST(HttpRequest.BodyPublishers.ofString(body)));
            assertEquals(201, registered.status(), registered.toString());
            String thumbprint = registered.json().get("keyThumbprint").asText();
            String idToken = idToken(api, d);
            String issuer = api.server().realmUrl(Api.REALM);

            assertRefused(edgeToken(api, idToken, node), "invalid_request", "actor_token");
            TestDeviceKeys stranger = "EdDSA".equals(key.alg()) ? TestDeviceKeys.ed25519() : TestDeviceKeys.ec();
            TestDeviceKeys otherType = "EdDSA".equals(key.alg()) ? TestDeviceKeys.ec() : TestDeviceKeys.ed25519();
            assertRefused(exchangeWithActor(api, idToken, node, otherType.jws(Map.of(), actorClaims(node, issuer, 60))), "invalid_grant", "must be signed with");
            assertRefused(exchangeWithActor(api, idToken, node, stranger.jws(Map.of(), actorClaims(node, issuer, 60))), "invalid_grant", "signature");
            assertRefused(exchangeWithActor(api, idToken, node, key.jws(Map.of(), actorClaims("other-node", issuer, 60))), "invalid_grant", "sub");
            assertRefused(exchangeWithActor(api, idToken, node, key.jws(Map.of(), actorClaims(node, "https://elsewhere.example", 60))), "invalid_grant", "aud");
            assertRefused(exchangeWithActor(api, idToken, node, key.jws(Map.of(), actorClaims(node, issuer, -10))), "invalid_grant", "expired");
            assertRefused(exchangeWithActor(api, idToken, node, key.jws(Map.of(), actorClaims(node, issuer, 3600))), "invalid_grant", "exp");

            String actor = key.jws(Map.of(), actorClaims(node, issuer, 60));
            Api.Resp issued = exchangeWithActor(api, idToken, node, actor);
            assertEquals(200, issued.status(), issued.toString());
            assertEquals("DPoP", issued.json().get("token_type").asText());
            String edge = issued.json().get("access_token").asText();
            JWTClaimsSet claims = Jwts.verify(api, edge);
            assertEquals(node, claims.getStringClaim("node_id"));
            assertEquals(thumbprint, claims.getJSONObjectClaim("cnf").get("jkt"));
            assertRefused(exchangeWithActor(api, idToken, node, actor), "invalid_grant", "used already");

            // the copied token is useless without the node's key: Keycloak demands a DPoP proof signed by it
            String associateUrl = devicesUrl(api, "/associate");
            assertEquals(401, api.postJson(associateUrl, Map.of(), edge).status(), "as a plain bearer token");
            assertEquals(401, dpopPost(api, associateUrl, edge, stranger).status(), "with a proof of another key");
            Api.Resp ok = dpopPost(api, associateUrl, edge, key);
            assertEquals(200, ok.status(), ok.toString());
            assertEquals(d.id(), ok.json().at("/result/accountId").asText());

            // refresh keeps the binding and needs the node's proof as well
            String refreshToken = issued.json().get("refresh_token").asText();
            Map<String, String> refresh = Map.of("grant_type", "refresh_token", "client_id", "edge-cli", "refresh_token", refreshToken);
            assertEquals(400, api.token(refresh).status(), "refresh without the node's DPoP proof");
            Api.Resp refreshed = api.send(HttpRequest.newBuilder(URI.create(api.tokenUrl(Api.REALM)))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("DPoP", key.dpop("POST", api.tokenUrl(Api.REALM), null))
                    .POST(HttpRequest.BodyPublishers.ofString(Api.form(refresh))));
            assertEquals(200, refreshed.status(), refreshed.toString());
            JWTClaimsSet again = Jwts.verify(api, refreshed.json().get("access_token").asText());
            assertEquals(node, again.getStringClaim("node_id"));
            assertEquals(thumbprint, again.getJSONObjectClaim("cnf").get("jkt"));
        }
    }

    @Test
    void keycloaksStandardTokenExchangeIsUntouched(Api api) {
        Developer d = developer(api);
        String accessToken = api.codeFlow("developer-console", Edge.CALLBACK, d.username(), d.password(), "openid")
                .json().get("access_token").asText();
        // edge-cli without node_id and with an access token: the standard provider answers, in its own words
        Api.Resp standard = api.token(exchangeForm(accessToken, "urn:ietf:params:oauth:token-type:access_token", null));
        assertEquals(400, standard.status(), standard.toString());
        assertTrue(standard.json().get("error_description").asText().contains("Standard token exchange is not enabled"), standard.toString());

        // and a client with standard token exchange enabled still exchanges as before
        String clientId = Api.unique("exchanger");
        String secret = UUID.randomUUID().toString();
        assertEquals(201, api.adminPost("/clients", Map.of("clientId", clientId, "publicClient", false, "secret", secret,
                "directAccessGrantsEnabled", true, "attributes", Map.of("standard.token.exchange.enabled", "true"))).status());
        String own = api.token(Map.of("grant_type", "password", "client_id", clientId, "client_secret", secret,
                "username", d.username(), "password", d.password())).json().get("access_token").asText();
        Api.Resp exchanged = api.token(Map.of("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange", "client_id", clientId,
                "client_secret", secret, "subject_token", own, "subject_token_type", "urn:ietf:params:oauth:token-type:access_token"));
        assertEquals(200, exchanged.status(), exchanged.toString());
    }

    private static Map<String, Object> actorClaims(String node, String audience, long expiresIn) {
        long now = System.currentTimeMillis() / 1000;
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("iss", node);
        c.put("sub", node);
        c.put("aud", audience);
        c.put("iat", now);
        c.put("exp", now + expiresIn);
        c.put("jti", UUID.randomUUID().toString());
        return c;
    }

    private static Api.Resp exchangeWithActor(Api api, String idToken, String node, String actor) {
        Map<String, String> f = exchangeForm(idToken, ID_TOKEN_TYPE, node);
        f.put("actor_token", actor);
        f.put("actor_token_type", "urn:ietf:params:oauth:token-type:jwt");
        return api.token(f);
    }

    private static Api.Resp dpopPost(Api api, String url, String token, TestDeviceKeys key) throws Exception {
        return api.send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "DPoP " + token)
                .header("DPoP", key.dpop("POST", url, token))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")));
    }
}
