package io.iottokens.keycloak.it;

import static io.iottokens.keycloak.it.support.Errors.assertError;
import static io.iottokens.keycloak.it.support.Errors.assertOAuthError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import io.iottokens.keycloak.it.support.Api;
import io.iottokens.keycloak.it.support.Edge;
import io.iottokens.keycloak.it.support.Fixtures;
import io.iottokens.keycloak.it.support.Fixtures.User;
import io.iottokens.keycloak.it.support.KeycloakExtension;
import io.iottokens.keycloak.it.support.Revocations;

/** Purposed tokens (README "Purposed tokens"; the API in docs/openapi.yaml): create, list, delete, state verification, the token-endpoint route. */
@ExtendWith(KeycloakExtension.class)
class PurposedTokensIT {

    private static User owner(Api api) {
        return Fixtures.user(api, "owner", "user");
    }

    private static String url(Api api, String path) {
        return api.server().realmUrl(Api.REALM) + "/purposed-tokens" + path;
    }

    private static Api.Resp create(Api api, User o, Object body) {
        return api.postJson(url(api, ""), body, o.token());
    }

    /** ubirch's example asks for 200 years; purposed tokens live at most the realm's maximum (30 days in realm-config). */
    private static final long WEEK = 7 * 24 * 3600;

    private static Map<String, Object> body(User o, List<String> identities, List<String> groups, List<String> origins, List<String> scopes) {
        Map<String, Object> b = new LinkedHashMap<>(Map.of("tenantId", o.id()));
        b.putAll(Fixtures.purposedClaim("King Dude - Concert", identities, groups, scopes, WEEK));
        if (groups == null) {
            b.remove("targetGroups");
        }
        b.put("notBefore", null);
        b.put("originDomains", origins);
        return b;
    }

    private static String group(Api api, User member) {
        String id = Fixtures.group(api, "kitchen");
        if (member != null) {
            Fixtures.joinGroup(api, member.id(), id);
        }
        return id;
    }

    /** Header, signature (nimbus, against /purposed-tokens/jwk) and claims; returns the claims. */
    private static JWTClaimsSet verify(Api api, String token) throws Exception {
        SignedJWT jwt = SignedJWT.parse(token);
        JWSHeader h = jwt.getHeader();
        assertEquals(JWSAlgorithm.ES256, h.getAlgorithm());
        assertEquals("JWT", h.getType().toString());
        assertNotNull(h.getKeyID());
        JWKSet jwks = JWKSet.parse(api.get(url(api, "/jwk"), null).body());
        ECKey key = (ECKey) jwks.getKeyByKeyId(h.getKeyID());
        assertNotNull(key, "the signing key is published at /purposed-tokens/jwk");
        assertTrue(jwt.verify(new ECDSAVerifier(key)), "signature verifies with nimbus-jose-jwt");
        return jwt.getJWTClaimsSet();
    }

    private static JsonNode introspect(Api api, String token, String hint) {
        return Revocations.introspect(api, token, hint);
    }

    private static boolean active(Api api, String token) {
        return introspect(api, token, "purposed_token").get("active").asBoolean();
    }

    @Test
    void theSeedsThreeExamplesGiveTokensOfTheSeedsShape(Api api) throws Exception {
        User o = owner(api);
        String device = Edge.ownedNode(api, o.name(), o.password());
        String issuer = api.server().realmUrl(Api.REALM);

        // 1. verification token for a list of devices
        Api.Resp r = create(api, o, body(o, List.of(device), null, List.of("http://verification.dev.ubirch.com"), List.of("upp:verify")));
        assertEquals(201, r.status(), r.toString());
        JsonNode jwtClaim = r.json().get("jwtClaim");
        String id = r.json().get("id").asText();
        assertEquals(id, jwtClaim.get("jwtId").asText());
        JsonNode content = Api.JSON.readTree(jwtClaim.get("content").asText());
        assertEquals(List.of("scp", "pur", "tgp", "tid", "ord"), iterate(content.fieldNames()), "content is the claim JSON, in the order of README \"Purposed tokens\"");
        assertEquals(issuer, jwtClaim.get("issuer").asText());
        assertEquals(o.id(), jwtClaim.get("subject").asText());
        assertTrue(jwtClaim.get("audience").isArray());
        JWTClaimsSet c = verify(api, r.json().get("token").asText());
        assertEquals(issuer, c.getIssuer());
        assertEquals(o.id(), c.getSubject());
        assertEquals(id, c.getJWTID());
        assertEquals("King Dude - Concert", c.getStringClaim("pur"));
        assertEquals(List.of(device), c.getStringListClaim("tid"));
        assertEquals(List.of(), c.getStringListClaim("tgp"), "tgp stays an array, also empty");
        assertEquals(List.of("http://verification.dev.ubirch.com"), c.getStringListClaim("ord"));
        assertEquals(List.of("upp:verify"), c.getStringListClaim("scp"));
        assertEquals(List.of("iot-platform"), c.getAudience(), "upp:verify maps to iot-platform in realm-config");
        assertEquals(WEEK, (c.getExpirationTime().getTime() - c.getIssueTime().getTime()) / 1000);
        assertEquals(jwtClaim.get("expiration").asLong(), c.getExpirationTime().getTime() / 1000);
        assertNull(c.getNotBeforeTime());
        assertTrue(active(api, r.json().get("token").asText()));

        // 2. wildcard
        Map<String, Object> wildcard = body(o, List.of("*"), null, List.of("http://verification.dev.ubirch.com"), List.of("upp:verify"));
        wildcard.put("expiration", null);
        Api.Resp w = create(api, o, wildcard);
        assertEquals(201, w.status(), w.toString());
        JWTClaimsSet wc = verify(api, w.json().get("token").asText());
        assertEquals(List.of("*"), wc.getStringListClaim("tid"));
        assertEquals(30 * 24 * 3600, (wc.getExpirationTime().getTime() - wc.getIssueTime().getTime()) / 1000,
                "expiration null: the realm's maximum lifetime");
        assertEquals(wc.getExpirationTime().getTime() / 1000, w.json().at("/jwtClaim/expiration").asLong());

        // 3. bootstrap token for a tenant group (the group given by name)
        String groupId = group(api, o);
        String groupName = api.adminGet("/groups/" + groupId).json().get("name").asText();
        Map<String, Object> boot = body(o, List.of(), List.of(groupName), List.of(), List.of("thing:bootstrap"));
        boot.put("purpose", "Kitchen_Carlos");
        Api.Resp b = create(api, o, boot);
        assertEquals(201, b.status(), b.toString());
        JWTClaimsSet bc = verify(api, b.json().get("token").asText());
        assertEquals(List.of(groupId), bc.getStringListClaim("tgp"), "groups named by name are written as ids");
        assertEquals(List.of(), bc.getStringListClaim("tid"));
        assertEquals(List.of(issuer), bc.getAudience(), "bootstrap tokens are consumed by the realm itself");

        JsonNode list = api.get(url(api, ""), o.token()).json();
        assertEquals(3, list.size());
        assertEquals("bootstrap", list.get(0).get("category").asText(), "newest first");
        assertEquals("purposed_claim", list.get(2).get("category").asText());
        assertEquals(o.id(), list.get(0).get("ownerId").asText());
        for (JsonNode t : list) {
            assertFalse(t.has("token"), "the token value is never stored nor listed");
        }
    }

    @Test
    void everyRuleOfTheSeedIsEnforcedWithTheFieldNamed(Api api) {
        User o = owner(api);
        User other = owner(api);
        String mine = Edge.ownedNode(api, o.name(), o.password());
        String theirs = Edge.ownedNode(api, other.name(), other.password());
        String myGroup = group(api, o);
        String notMyGroup = group(api, other);
        List<String> origins = List.of("https://app.example.com");

        record Case(String field, int status, Map<String, Object> body) {
        }
        List<Case> cases = new ArrayList<>();
        java.util.function.BiFunction<String, Object, Map<String, Object>> with = (k, v) -> {
            Map<String, Object> b = body(o, List.of(mine), List.of(myGroup), origins, List.of("upp:verify"));
            if (v == REMOVE) {
                b.remove(k);
            } else {
                b.put(k, v);
            }
            return b;
        };
        cases.add(new Case("purpose", 400, with.apply("purpose", "short")));
        cases.add(new Case("purpose", 400, with.apply("purpose", REMOVE)));
        cases.add(new Case("purpose", 400, with.apply("purpose", 123456)));
        cases.add(new Case("scopes", 400, with.apply("scopes", List.of())));
        cases.add(new Case("scopes", 400, with.apply("scopes", REMOVE)));
        cases.add(new Case("scopes", 400, with.apply("scopes", List.of("upp:verify", "admin:everything"))));
        cases.add(new Case("targetIdentities", 400, with.apply("targetIdentities", List.of(theirs))));
        cases.add(new Case("targetIdentities", 400, with.apply("targetIdentities", List.of("no-such-device"))));
        cases.add(new Case("targetIdentities", 400, with.apply("targetIdentities", List.of("*", mine))));
        cases.add(new Case("targetIdentities", 400, with.apply("targetIdentities", "*")));
        cases.add(new Case("targetGroups", 400, with.apply("targetGroups", List.of(notMyGroup))));
        cases.add(new Case("targetGroups", 400, with.apply("targetGroups", List.of("no-such-group"))));
        cases.add(new Case("originDomains", 400, with.apply("originDomains", List.of("ftp://files.example.com"))));
        cases.add(new Case("originDomains", 400, with.apply("originDomains", List.of("https://app.example.com/path"))));
        cases.add(new Case("originDomains", 400, with.apply("originDomains", List.of("app.example.com"))));
        cases.add(new Case("originDomains", 400, with.apply("originDomains", List.of("https://user@app.example.com"))));
        cases.add(new Case("expiration", 400, with.apply("expiration", -5)));
        cases.add(new Case("expiration", 400, with.apply("expiration", 0)));
        cases.add(new Case("expiration", 400, with.apply("expiration", "soon")));
        cases.add(new Case("notBefore", 400, with.apply("notBefore", -1)));
        Map<String, Object> inconsistent = with.apply("notBefore", 7200);
        inconsistent.put("expiration", 3600);
        cases.add(new Case("notBefore", 400, inconsistent));
        cases.add(new Case("tenantId", 403, with.apply("tenantId", other.id())));
        cases.add(new Case("bogus", 400, with.apply("bogus", true)));

        for (Case c : cases) {
            assertError(create(api, o, c.body()), c.status(), c.status() == 403 ? "access_denied" : "invalid_request", c.field());
        }
        Api.Resp notJson = api.send(HttpRequest.newBuilder(URI.create(url(api, ""))).header("Authorization", "Bearer " + o.token())
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"purpose\":")));
        assertEquals(400, notJson.status(), notJson.toString());
        Api.Resp huge = create(api, o, Map.of("purpose", "x".repeat(70_000)));
        assertEquals(413, huge.status(), huge.toString());
        assertEquals(401, api.postJson(url(api, ""), body(o, List.of("*"), null, origins, List.of("upp:verify")), null).status());
        assertEquals(0, api.get(url(api, ""), o.token()).json().size(), "no refused request stored anything");

        // and the valid twin of the refused bodies goes through, tenantId optional
        Map<String, Object> ok = with.apply("tenantId", REMOVE);
        ok.put("notBefore", 0);
        Api.Resp created = create(api, o, ok);
        assertEquals(201, created.status(), created.toString());
    }

    private static final Object REMOVE = new Object();

    @Test
    void listDeleteAndStateVerification(Api api) throws Exception {
        User o = owner(api);
        User other = owner(api);
        String device = Edge.ownedNode(api, o.name(), o.password());
        String groupId = group(api, o);
        List<String> origins = List.of("https://app.example.com");
        List<String> tokens = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Api.Resp r = create(api, o, body(o, List.of("*"), null, origins, List.of("upp:anchor")));
            assertEquals(201, r.status(), r.toString());
            tokens.add(r.json().get("token").asText());
            ids.add(r.json().get("id").asText());
        }
        Api.Resp theirs = create(api, other, body(other, List.of("*"), null, origins, List.of("upp:anchor")));
        assertEquals(201, theirs.status());

        // paging: 2 + 1, only the caller's
        JsonNode page1 = api.get(url(api, "?first=0&max=2"), o.token()).json();
        JsonNode page2 = api.get(url(api, "?first=2&max=2"), o.token()).json();
        assertEquals(2, page1.size());
        assertEquals(1, page2.size());
        Set<String> listed = new java.util.HashSet<>();
        page1.forEach(t -> listed.add(t.get("id").asText()));
        page2.forEach(t -> listed.add(t.get("id").asText()));
        assertEquals(Set.copyOf(ids), listed);
        assertEquals(400, api.get(url(api, "?max=1000"), o.token()).status());

        // delete = revoke; the others stay active; someone else's id is a 404
        assertEquals(404, api.delete(url(api, "/" + theirs.json().get("id").asText()), o.token()).status());
        assertTrue(active(api, theirs.json().get("token").asText()), "the failed delete changed nothing");
        assertEquals(204, api.delete(url(api, "/" + ids.get(0)), o.token()).status());
        assertEquals(404, api.delete(url(api, "/" + ids.get(0)), o.token()).status());
        assertFalse(active(api, tokens.get(0)), "deleted -> inactive");
        JsonNode stillActive = introspect(api, tokens.get(1), "purposed_token");
        assertTrue(stillActive.get("active").asBoolean());
        assertEquals("upp:anchor", stillActive.get("scope").asText());
        assertEquals(o.id(), stillActive.get("sub").asText());
        assertEquals("purposed_claim", stillActive.get("category").asText());

        // state: a device that changed hands and a group left make tokens inactive
        Api.Resp forDevice = create(api, o, body(o, List.of(device), null, origins, List.of("upp:verify")));
        // (upp:anchor: its audience is iot-platform, the introspecting client; a bootstrap token's is the realm itself)
        Api.Resp forGroup = create(api, o, body(o, List.of(), List.of(groupId), origins, List.of("upp:anchor")));
        assertTrue(active(api, forDevice.json().get("token").asText()));
        assertTrue(active(api, forGroup.json().get("token").asText()));
        assertEquals(204, api.delete(api.server().realmUrl(Api.REALM) + "/devices/" + device, o.token()).status());
        assertFalse(active(api, forDevice.json().get("token").asText()), "the device is no longer the owner's");
        assertEquals(204, api.adminDelete("/users/" + o.id() + "/groups/" + groupId).status());
        assertFalse(active(api, forGroup.json().get("token").asText()), "the owner left the group");

        // a tampered token, Keycloak's own introspection, and no token at all
        String t = tokens.get(1);
        String tampered = t.substring(0, t.lastIndexOf('.') + 1) + "AAAA" + t.substring(t.lastIndexOf('.') + 5);
        assertFalse(active(api, tampered));
        assertFalse(introspect(api, t, null).get("active").asBoolean(), "not an access token for Keycloak's own introspection");
    }

    @Test
    void aPurposedTokenIsNeverABearerTokenForThePacksResources(Api api) {
        User o = owner(api);
        String token = create(api, o, body(o, List.of("*"), null, List.of(), List.of("user:getinfo"))).json().get("token").asText();
        String realm = api.server().realmUrl(Api.REALM);
        for (String path : List.of("/purposed-tokens", "/api-keys", "/devices")) {
            Api.Resp r = api.get(realm + path, token);
            assertEquals(401, r.status(), path + " " + r);
        }
        assertEquals(401, api.get(realm + "/protocol/openid-connect/userinfo", token).status());
    }

    @Test
    void theTokenEndpointRouteGivesTheSameToken(Api api) throws Exception {
        User o = owner(api);
        String device = Edge.ownedNode(api, o.name(), o.password());
        // a confidential client exchanges the login token the user got from it (azp = the client)
        String appId = Api.unique("purposed-app");
        String secret = java.util.UUID.randomUUID().toString();
        assertEquals(201, api.adminPost("/clients", Map.of("clientId", appId, "publicClient", false, "secret", secret,
                "standardFlowEnabled", false, "directAccessGrantsEnabled", true)).status());
        Api.Resp login = api.token(Map.of("grant_type", "password", "client_id", appId, "client_secret", secret,
                "username", o.name(), "password", o.password()));
        assertEquals(200, login.status(), login.toString());
        Map<String, Object> details = new LinkedHashMap<>(body(o, List.of(device), null, List.of("https://app.example.com"), List.of("upp:verify")));
        details.put("type", "purposed_token");

        Map<String, String> f = new LinkedHashMap<>();
        f.put("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange");
        f.put("client_id", appId);
        f.put("client_secret", secret);
        f.put("subject_token", login.json().get("access_token").asText());
        f.put("subject_token_type", "urn:ietf:params:oauth:token-type:access_token");
        f.put("requested_token_type", "urn:iottokens:params:oauth:token-type:purposed");
        f.put("authorization_details", Api.JSON.writeValueAsString(List.of(details)));
        Api.Resp r = api.token(f);
        assertEquals(200, r.status(), r.toString());
        assertEquals("urn:iottokens:params:oauth:token-type:purposed", r.json().get("issued_token_type").asText());
        assertEquals("N_A", r.json().get("token_type").asText());
        JWTClaimsSet c = verify(api, r.json().get("access_token").asText());
        assertEquals(o.id(), c.getSubject());
        assertEquals(List.of(device), c.getStringListClaim("tid"));
        assertEquals(List.of("upp:verify"), c.getStringListClaim("scp"));
        assertEquals("King Dude - Concert", c.getStringClaim("pur"));
        assertEquals(c.getJWTID(), r.json().at("/authorization_details/0/id").asText());
        assertTrue(active(api, r.json().get("access_token").asText()));
        assertEquals(1, api.get(url(api, ""), o.token()).json().size(), "stored like a REST-created token");

        // the same rules, as OAuth errors
        details.put("targetIdentities", List.of("someone-elses"));
        f.put("authorization_details", Api.JSON.writeValueAsString(List.of(details)));
        assertOAuthError(api.token(f), 400, "invalid_authorization_details", "targetIdentities");
        f.put("authorization_details", "[{\"type\":\"payment_initiation\"}]");
        assertOAuthError(api.token(f), 400, "invalid_authorization_details");
        f.remove("authorization_details");
        assertOAuthError(api.token(f), 400, "invalid_authorization_details");

        // a subject token issued to another client, and a public client
        User other = owner(api);
        String foreign = api.codeFlow("developer-console", Edge.CALLBACK, other.name(), other.password(), "openid").json().get("access_token").asText();
        f.put("authorization_details", Api.JSON.writeValueAsString(List.of(Map.of("type", "purposed_token", "purpose", "another one",
                "targetIdentities", List.of("*"), "scopes", List.of("upp:verify")))));
        f.put("subject_token", foreign);
        Api.Resp notForMe = api.token(f);
        assertEquals(400, notForMe.status(), notForMe.toString());
        Map<String, String> pub = new LinkedHashMap<>(f);
        pub.put("client_id", "iot-api");
        pub.remove("client_secret");
        pub.put("subject_token", other.token());
        assertOAuthError(api.token(pub), 400, "unauthorized_client");
        assertEquals(0, api.get(url(api, ""), other.token()).json().size());
    }

    private static List<String> iterate(java.util.Iterator<String> it) {
        List<String> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
