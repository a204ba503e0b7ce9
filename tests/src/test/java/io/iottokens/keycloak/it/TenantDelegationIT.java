package io.iottokens.keycloak.it;

import static io.iottokens.keycloak.it.support.Errors.assertError;
import static io.iottokens.keycloak.it.support.Errors.assertOAuthError;
import static io.iottokens.keycloak.it.support.Fixtures.app;
import static io.iottokens.keycloak.it.support.Fixtures.org;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import io.iottokens.keycloak.it.support.Api;
import io.iottokens.keycloak.it.support.Fixtures;
import io.iottokens.keycloak.it.support.Fixtures.App;
import io.iottokens.keycloak.it.support.Fixtures.Org;
import io.iottokens.keycloak.it.support.Jwts;
import io.iottokens.keycloak.it.support.KeycloakExtension;

/**
 * Tenant delegation (README "Tenant delegation"): two organizations, two applications; app A granted by org 1
 * (read-write) and org 2 (custom), app B by none.
 */
@ExtendWith(KeycloakExtension.class)
class TenantDelegationIT {

    private static final List<String> READ_WRITE = List.of("iot:assets:read", "iot:assets:write", "iot:files:read", "iot:files:write",
            "iot:events:read", "iot:events:write", "iot:timeseries:read", "iot:timeseries:write", "iot:dc:read", "iot:dc:write");
    private static final List<String> CUSTOM = List.of("iot:assets:read", "iot:timeseries:read");

    private record World(Org org1, Org org2, App a, App b, String admin1Token, String realmAdminToken, String memberToken) {
    }

    private static void join(Api api, Org org, String userId) {
        Api.Resp r = api.adminPost("/organizations/" + org.id() + "/members", "\"" + userId + "\"");
        assertEquals(201, r.status(), r.toString());
    }

    private static String user(Api api, Org member, String... roles) {
        String name = Api.unique("u");
        String id = api.createUser(name, name + "-pw", roles);
        if (member != null) {
            join(api, member, id);
        }
        return api.userToken(name, name + "-pw");
    }

    private static String grantsUrl(Api api, Org org, String clientId) {
        return api.server().realmUrl(Api.REALM) + "/tenant-delegation/tenants/" + org.alias() + "/grants" + (clientId == null ? "" : "/" + clientId);
    }

    private static World world(Api api) {
        Org org1 = org(api);
        Org org2 = org(api);
        App a = app(api);
        App b = app(api);
        // an application's own mapper: every tenant token, also each one of a batch, carries its claim
        Api.Resp mapper = api.adminPost("/clients/" + a.uuid() + "/protocol-mappers/models", Map.of("name", "platform", "protocol", "openid-connect",
                "protocolMapper", "oidc-hardcoded-claim-mapper", "config", Map.of("claim.name", "platform", "claim.value", "acme-iot",
                        "jsonType.label", "String", "access.token.claim", "true")));
        assertEquals(201, mapper.status(), mapper.toString());
        String admin1 = user(api, org1, "user", "tenant-admin");
        String realmAdmin = api.realmManagerToken();
        String member = user(api, org1, "user");
        assertEquals(201, api.putJson(grantsUrl(api, org1, a.clientId()), Map.of("accessLevel", "read-write"), admin1).status());
        Api.Resp custom = api.putJson(grantsUrl(api, org2, a.clientId()), Map.of("accessLevel", "custom", "scopes", CUSTOM), realmAdmin);
        assertEquals(201, custom.status(), custom.toString());
        return new World(org1, org2, a, b, admin1, realmAdmin, member);
    }

    private static Api.Resp exchange(Api api, App app, String subjectToken, String tenant, String scope) {
        Map<String, String> f = Fixtures.exchangeForm(app.clientId(), app.secret(), subjectToken);
        f.put("tenant", tenant);
        if (scope != null) {
            f.put("scope", scope);
        }
        return api.token(f);
    }

    private static Api.Resp batch(Api api, String appToken, List<String> tenants) {
        return api.postJson(api.server().realmUrl(Api.REALM) + "/tenant-delegation/tokens", Map.of("tenants", tenants), appToken);
    }

    private static String saId(Api api, App app) {
        return api.adminGet("/clients/" + app.uuid() + "/service-account-user").json().get("id").asText();
    }

    @Test
    void grantedApplicationsGetTenantTokensOthersGetNothing(Api api) throws Exception {
        World w = world(api);
        String tokenA = Fixtures.clientToken(api, w.a());

        Api.Resp one = exchange(api, w.a(), tokenA, w.org1().alias(), null);
        assertEquals(200, one.status(), one.toString());
        JWTClaimsSet c = Jwts.verify(api, one.json().get("access_token").asText());
        assertEquals(saId(api, w.a()), c.getSubject());
        assertEquals(w.a().clientId(), c.getStringClaim("azp"));
        assertEquals(w.org1().alias(), c.getStringClaim("ten"));
        assertEquals(w.org1().id(), c.getStringClaim("ten_id"));
        assertEquals(READ_WRITE, List.of(c.getStringClaim("scope").split(" ")));
        Jwts.assertLifetime(300, c, "tenant token default lifespan");
        assertEquals(READ_WRITE, List.of(one.json().get("scope").asText().split(" ")));

        // by id works as well as by alias; narrowing the scope is fine
        Api.Resp narrowed = exchange(api, w.a(), tokenA, w.org2().id(), "iot:assets:read");
        assertEquals(200, narrowed.status(), narrowed.toString());
        assertEquals("iot:assets:read", Jwts.verify(api, narrowed.json().get("access_token").asText()).getStringClaim("scope"));

        Api.Resp both = batch(api, tokenA, List.of(w.org1().alias(), w.org2().id()));
        assertEquals(200, both.status(), both.toString());
        JsonNode tokens = both.json().get("tokens");
        assertEquals(2, tokens.size());
        JWTClaimsSet t1 = Jwts.verify(api, tokens.get(0).get("access_token").asText());
        JWTClaimsSet t2 = Jwts.verify(api, tokens.get(1).get("access_token").asText());
        assertEquals(w.org1().id(), t1.getStringClaim("ten_id"));
        assertEquals(w.org2().id(), t2.getStringClaim("ten_id"));
        assertEquals(READ_WRITE, List.of(t1.getStringClaim("scope").split(" ")));
        assertEquals(CUSTOM, List.of(t2.getStringClaim("scope").split(" ")));
        assertEquals("acme-iot", c.getStringClaim("platform"));
        assertNotEquals(t1.getJWTID(), t2.getJWTID());
        // Keycloak's pipeline runs once per batch: every other claim of the second token is the first one's
        Map<String, Object> first = new HashMap<>(t1.getClaims());
        Map<String, Object> second = new HashMap<>(t2.getClaims());
        for (String perToken : List.of("jti", "iat", "exp", "ten", "ten_id", "scope")) {
            assertNotNull(second.remove(perToken), perToken);
            first.remove(perToken);
        }
        assertEquals(first, second);
        assertEquals("acme-iot", second.get("platform"));
        Jwts.assertLifetime(300, t2, "second token of a batch");
        // each token of the batch is an event of its own, with its token id, tenant and level
        Map<String, JsonNode> byToken = new HashMap<>();
        for (JsonNode e : api.adminGet("/events?type=TOKEN_EXCHANGE&client=" + w.a().clientId() + "&max=20").json()) {
            byToken.put(e.get("details").path("token_id").asText(), e.get("details"));
        }
        assertEquals(w.org1().id(), byToken.get(t1.getJWTID()).get("tenant_id").asText(), byToken.toString());
        assertEquals(w.org2().id(), byToken.get(t2.getJWTID()).get("tenant_id").asText(), byToken.toString());
        assertEquals("custom", byToken.get(t2.getJWTID()).get("access_level").asText());
        assertEquals("Bearer", tokens.get(1).get("token_type").asText());
        assertTrue(tokens.get(1).get("expires_in").asInt() > 290);

        // authorized tenants, one per page
        String listUrl = api.server().realmUrl(Api.REALM) + "/tenant-delegation/authorized-tenants";
        JsonNode p1 = api.get(listUrl + "?first=0&max=1", tokenA).json();
        JsonNode p2 = api.get(listUrl + "?first=1&max=1", tokenA).json();
        JsonNode p3 = api.get(listUrl + "?first=2&max=1", tokenA).json();
        assertEquals(1, p1.size());
        assertEquals(1, p2.size());
        assertEquals(0, p3.size());
        assertEquals(Set.of(w.org1().id(), w.org2().id()), Set.of(p1.get(0).get("id").asText(), p2.get(0).get("id").asText()));
        assertEquals("read-write", p1.get(0).get("accessLevel").asText());

        // app B: nothing
        String tokenB = Fixtures.clientToken(api, w.b());
        assertOAuthError(exchange(api, w.b(), tokenB, w.org1().alias(), null), 403, "access_denied");
        Api.Resp refusedBatch = batch(api, tokenB, List.of(w.org1().alias()));
        assertEquals(403, refusedBatch.status(), refusedBatch.toString());
        assertFalse(refusedBatch.body().contains("access_token"));
        assertEquals(0, api.get(listUrl, tokenB).json().size());
        // and A's batch is all or nothing: one tenant without a grant spoils it
        Org org3 = org(api);
        Api.Resp mixed = batch(api, tokenA, List.of(w.org1().alias(), org3.alias()));
        assertEquals(403, mixed.status(), mixed.toString());
        assertFalse(mixed.body().contains("access_token"));
    }

    @Test
    void badRequestsAreRefusedCorrectly(Api api) {
        World w = world(api);
        String tokenA = Fixtures.clientToken(api, w.a());
        List<String> six = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            six.add(org(api).alias());
        }
        assertError(batch(api, tokenA, six), 400, "invalid_request", "at most 5");
        assertError(batch(api, tokenA, List.of(w.org1().alias(), w.org1().id())), 400, "invalid_request");
        assertEquals(400, batch(api, tokenA, List.of()).status());
        assertEquals(400, api.postJson(api.server().realmUrl(Api.REALM) + "/tenant-delegation/tokens", Map.of("tenants", "x"), tokenA).status());
        assertEquals(403, batch(api, tokenA, List.of("no-such-tenant")).status());
        assertEquals(403, exchange(api, w.a(), tokenA, "no-such-tenant", null).status());

        // a tenant of another realm
        String other = "other-" + UUID.randomUUID().toString().substring(0, 8);
        assertEquals(201, api.postJson(api.server().adminUrl("").replaceAll("/realms/?$", "/realms"),
                Map.of("realm", other, "enabled", true, "organizationsEnabled", true), api.adminToken()).status());
        Api.Resp foreignOrg = api.postJson(api.server().adminUrl(other) + "/organizations", Map.of("name", "foreign", "alias", "foreign",
                "domains", List.of(Map.of("name", other + ".example.com"))), api.adminToken());
        assertEquals(201, foreignOrg.status(), foreignOrg.toString());
        String foreignId = foreignOrg.header("Location").orElseThrow().replaceAll(".*/", "");
        assertEquals(403, exchange(api, w.a(), tokenA, foreignId, null).status());
        assertEquals(403, batch(api, tokenA, List.of(foreignId)).status());
        api.delete(api.server().adminUrl(other), api.adminToken());

        // a public client, another client's subject token, a user token as the app
        Map<String, String> pub = Fixtures.exchangeForm("iot-api", null, tokenA);
        pub.put("tenant", w.org1().alias());
        assertOAuthError(api.token(pub), 400, "unauthorized_client");
        Api.Resp foreignSubject = exchange(api, w.a(), Fixtures.clientToken(api, w.b()), w.org1().alias(), null);
        assertEquals(400, foreignSubject.status(), foreignSubject.toString());
        assertEquals(403, batch(api, w.memberToken(), List.of(w.org1().alias())).status(), "a user's token is not an application");

        // a forged, a revoked and an unrelated subject token
        String[] parts = tokenA.split("\\.");
        assertEquals(400, exchange(api, w.a(), parts[0] + "." + parts[1] + ".AAAA", w.org1().alias(), null).status());
        String revoked = Fixtures.clientToken(api, w.a());
        assertEquals(200, exchange(api, w.a(), revoked, w.org1().alias(), null).status());
        assertEquals(200, api.postForm(api.server().realmUrl(Api.REALM) + "/protocol/openid-connect/revoke", Map.of("client_id", w.a().clientId(),
                "client_secret", w.a().secret(), "token", revoked, "token_type_hint", "access_token"), null).status());
        Api.Resp afterRevoke = exchange(api, w.a(), revoked, w.org1().alias(), null);
        assertEquals(400, afterRevoke.status(), "a revoked subject token: " + afterRevoke);
        assertEquals(401, batch(api, revoked, List.of(w.org1().alias())).status(), "nor is it a bearer token for the batch");
        assertEquals(401, batch(api, parts[0] + "." + parts[1] + ".AAAA", List.of(w.org1().alias())).status());

        // widened scope
        assertOAuthError(exchange(api, w.a(), tokenA, w.org2().alias(), "iot:assets:read iot:timeseries:write"), 400, "invalid_scope");
    }

    @Test
    void onlyTenantAdminsGrantAndRevokingStopsTokens(Api api) throws Exception {
        World w = world(api);
        // a member without tenant-admin: 403; a tenant admin of org 1 on org 2: 404
        assertEquals(403, api.putJson(grantsUrl(api, w.org1(), w.b().clientId()), Map.of("accessLevel", "limited"), w.memberToken()).status());
        assertEquals(404, api.putJson(grantsUrl(api, w.org2(), w.b().clientId()), Map.of("accessLevel", "limited"), w.admin1Token()).status());
        assertEquals(404, api.get(grantsUrl(api, w.org2(), null), w.admin1Token()).status());
        assertEquals(401, api.get(grantsUrl(api, w.org1(), null), null).status());

        // bad grant bodies
        record Bad(Object body, String field) {
        }
        for (Bad bad : List.of(new Bad(Map.of("accessLevel", "everything"), "accessLevel"), new Bad(Map.of("accessLevel", "custom"), "scopes"),
                new Bad(Map.of("accessLevel", "custom", "scopes", List.of("iot:nuclear:launch")), "scopes"),
                new Bad(Map.of("accessLevel", "limited", "scopes", List.of("iot:assets:read")), "scopes"),
                new Bad(Map.of("level", "limited"), "level"))) {
            assertError(api.putJson(grantsUrl(api, w.org1(), w.b().clientId()), bad.body(), w.admin1Token()), 400, "invalid_request", bad.field());
        }
        assertEquals(400, api.putJson(grantsUrl(api, w.org1(), "iot-api"), Map.of("accessLevel", "limited"), w.admin1Token()).status(),
                "a public client is not an application");
        assertEquals(404, api.putJson(grantsUrl(api, w.org1(), "no-such-app"), Map.of("accessLevel", "limited"), w.admin1Token()).status());

        // list, change (200), admin events
        JsonNode grants = api.get(grantsUrl(api, w.org1(), null), w.admin1Token()).json();
        assertEquals(1, grants.size());
        assertEquals(w.a().clientId(), grants.get(0).get("clientId").asText());
        Api.Resp changed = api.putJson(grantsUrl(api, w.org1(), w.a().clientId()), Map.of("accessLevel", "limited"), w.admin1Token());
        assertEquals(200, changed.status(), changed.toString());
        assertFalse(changed.json().get("scopes").toString().contains("iot:timeseries:write"), "limited: no time-series writes");
        String tokenA = Fixtures.clientToken(api, w.a());
        assertFalse(Jwts.verify(api, exchange(api, w.a(), tokenA, w.org1().alias(), null).json().get("access_token").asText())
                .getStringClaim("scope").contains("iot:timeseries:write"));
        JsonNode events = api.adminGet("/admin-events?resourceTypes=CUSTOM&max=200").json();
        boolean seen = false;
        for (JsonNode e : events) {
            seen |= e.get("resourcePath").asText().equals("tenant-delegation/tenants/" + w.org1().id() + "/grants/" + w.a().clientId());
        }
        assertTrue(seen, "grant changes are admin events");

        // revoke -> the next exchange is refused
        assertEquals(204, api.delete(grantsUrl(api, w.org1(), w.a().clientId()), w.admin1Token()).status());
        assertEquals(404, api.delete(grantsUrl(api, w.org1(), w.a().clientId()), w.admin1Token()).status());
        assertEquals(403, exchange(api, w.a(), tokenA, w.org1().alias(), null).status());
        assertEquals(200, exchange(api, w.a(), tokenA, w.org2().alias(), null).status(), "the other tenant's grant stands");

        // deleting the organization removes its grants; disabling the client stops tokens; deleting it removes its grants
        assertEquals(204, api.adminDelete("/organizations/" + w.org2().id()).status());
        assertEquals(0, api.get(api.server().realmUrl(Api.REALM) + "/tenant-delegation/authorized-tenants", tokenA).json().size());
        assertEquals(403, exchange(api, w.a(), tokenA, w.org2().id(), null).status(), "no token for a deleted organization, cached or not");
        Org org3 = org(api);
        assertEquals(201, api.putJson(grantsUrl(api, org3, w.a().clientId()), Map.of("accessLevel", "limited"), w.realmAdminToken()).status());
        JsonNode client = api.adminGet("/clients/" + w.a().uuid()).json();
        ((com.fasterxml.jackson.databind.node.ObjectNode) client).put("enabled", false);
        assertEquals(204, api.adminPut("/clients/" + w.a().uuid(), client).status());
        Api.Resp disabled = exchange(api, w.a(), tokenA, org3.alias(), null);
        assertNotEquals(200, disabled.status(), disabled.toString());
        assertNotEquals(200, batch(api, tokenA, List.of(org3.alias())).status());
        assertEquals(204, api.adminDelete("/clients/" + w.a().uuid()).status());
        assertEquals(0, api.get(grantsUrl(api, org3, null), w.realmAdminToken()).json().size());
        Set<String> none = new HashSet<>();
        api.get(grantsUrl(api, w.org1(), null), w.admin1Token()).json().forEach(g -> none.add(g.get("clientId").asText()));
        assertTrue(none.isEmpty(), none.toString());
    }

    @Test
    void tenantTokensFollowTheApplicationsSignatureAlgorithm(Api api) throws Exception {
        World w = world(api);
        JsonNode client = api.adminGet("/clients/" + w.a().uuid()).json();
        com.fasterxml.jackson.databind.node.ObjectNode es256 = client.deepCopy();
        es256.with("attributes").put("access.token.signed.response.alg", "ES256");
        assertEquals(204, api.adminPut("/clients/" + w.a().uuid(), es256).status());
        String tokenA = Fixtures.clientToken(api, w.a());
        assertEquals("ES256", SignedJWT.parse(tokenA).getHeader().getAlgorithm().getName(), "the app's own token");

        String single = exchange(api, w.a(), tokenA, w.org1().alias(), null).json().get("access_token").asText();
        JsonNode tokens = batch(api, tokenA, List.of(w.org1().alias(), w.org2().alias())).json().get("tokens");
        for (String t : List.of(single, tokens.get(0).get("access_token").asText(), tokens.get(1).get("access_token").asText())) {
            assertEquals("ES256", SignedJWT.parse(t).getHeader().getAlgorithm().getName());
            assertEquals(w.a().clientId(), Jwts.verify(api, t).getStringClaim("azp"));
        }
        // app B keeps the realm's default (RS256)
        assertEquals("RS256", SignedJWT.parse(Fixtures.clientToken(api, w.b())).getHeader().getAlgorithm().getName());
    }

    @Test
    void theRealmCanRedefineALevelAndEveryTokenIsAnEvent(Api api) throws Exception {
        World w = world(api);
        String tokenA = Fixtures.clientToken(api, w.a());
        JsonNode realm = api.adminGet("").json();
        com.fasterxml.jackson.databind.node.ObjectNode changed = realm.deepCopy();
        changed.with("attributes").put("iottokens.tenant.levels", "{\"read-write\": \"iot:assets:read iot:assets:write\"}");
        assertEquals(204, api.adminPut("", changed).status());
        try {
            Api.Resp r = exchange(api, w.a(), tokenA, w.org1().alias(), null);
            assertEquals(200, r.status(), r.toString());
            assertEquals("iot:assets:read iot:assets:write", Jwts.verify(api, r.json().get("access_token").asText()).getStringClaim("scope"),
                    "the level is resolved when the token is issued, so the existing grant follows the realm's map");
        } finally {
            assertEquals(204, api.adminPut("", realm).status());
        }
        // the server option (--spi-realm-restapi-extension--tenant-delegation--levels, set by the test harness)
        // widened data-contextualization; a custom grant may name the new scope too
        Api.Resp dc = api.putJson(grantsUrl(api, w.org1(), w.a().clientId()), Map.of("accessLevel", "data-contextualization"), w.admin1Token());
        assertEquals(List.of("iot:dc:read", "iot:dc:write", "iot:dc:admin"), Api.JSON.convertValue(dc.json().get("scopes"), List.class));
        assertEquals("iot:dc:read iot:dc:write iot:dc:admin",
                Jwts.verify(api, exchange(api, w.a(), tokenA, w.org1().alias(), null).json().get("access_token").asText()).getStringClaim("scope"));
        assertEquals(200, api.putJson(grantsUrl(api, w.org1(), w.a().clientId()), Map.of("accessLevel", "custom", "scopes", List.of("iot:dc:admin")),
                w.admin1Token()).status());
        JsonNode events = api.adminGet("/events?type=TOKEN_EXCHANGE&client=" + w.a().clientId() + "&max=10").json();
        assertTrue(events.size() >= 1, events.toString());
        JsonNode details = events.get(0).get("details");
        assertEquals(w.org1().alias(), details.get("tenant").asText());
        assertEquals(w.org1().id(), details.get("tenant_id").asText());
        assertEquals("data-contextualization", details.get("access_level").asText(), "newest first");
        boolean readWrite = false;
        for (JsonNode e : events) {
            readWrite |= "read-write".equals(e.get("details").path("access_level").asText());
        }
        assertTrue(readWrite, "the earlier read-write token is an event too: " + events);
    }
}
