package io.iottokens.keycloak.it;

import static io.iottokens.keycloak.it.support.Errors.assertOAuthError;
import static io.iottokens.keycloak.it.support.Errors.assertOAuthErrorExactly;
import static io.iottokens.keycloak.it.support.Fixtures.app;
import static io.iottokens.keycloak.it.support.Fixtures.org;
import static io.iottokens.keycloak.it.support.Revocations.developer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jwt.JWTClaimsSet;

import io.iottokens.keycloak.it.support.Api;
import io.iottokens.keycloak.it.support.Edge;
import io.iottokens.keycloak.it.support.Fixtures;
import io.iottokens.keycloak.it.support.Fixtures.App;
import io.iottokens.keycloak.it.support.Fixtures.Org;
import io.iottokens.keycloak.it.support.Jwts;
import io.iottokens.keycloak.it.support.KeycloakExtension;
import io.iottokens.keycloak.it.support.Revocations.Developer;

/**
 * The boundaries of tenant and edge tokens (issue 12): both carry the platform audience and introspect active for
 * {@code iot-platform}; a disabled tenant gets nothing; a tenant reference names one organization, id first; an ID
 * token of a logged-out session buys no edge session; a tenant token is no credential at the pack, and an
 * application's own token makes no API keys or purposed tokens. Each test shows the allowed path first.
 */
@ExtendWith(KeycloakExtension.class)
class TenantEdgeBoundariesIT {

    private static final String PLATFORM = "iot-platform";
    private static final String CALLBACK = Edge.CALLBACK;
    private static final String GENERIC_SUBJECT_REFUSAL = "subject_token is not a valid, current ID token of this realm for an allowed client";

    // ---- helpers (this file only) -----------------------------------------------------------------

    private static String delegation(Api api) {
        return api.server().realmUrl(Api.REALM) + "/tenant-delegation";
    }

    /** A realm administrator grants {@code level} of {@code ref} (id or alias) to the app: the grant record. */
    private static JsonNode grant(Api api, String adminToken, String ref, App app, String level) {
        Api.Resp r = api.putJson(delegation(api) + "/tenants/" + ref + "/grants/" + app.clientId(), Map.of("accessLevel", level), adminToken);
        assertTrue(r.status() == 201 || r.status() == 200, r.toString());
        return r.json();
    }

    private static String appToken(Api api, App app) {
        return Fixtures.clientToken(api, app);
    }

    private static Api.Resp exchange(Api api, App app, String subjectToken, String tenant) {
        Map<String, String> f = Fixtures.exchangeForm(app.clientId(), app.secret(), subjectToken);
        f.put("tenant", tenant);
        return api.token(f);
    }

    /** An application granted two new tenants by a realm administrator, and its own token. */
    private record Granted(App app, Org first, Org second, String own) {
    }

    private static Granted granted(Api api, String firstLevel, String secondLevel) {
        String admin = api.realmManagerToken();
        App app = app(api);
        Org first = org(api);
        Org second = org(api);
        grant(api, admin, first.alias(), app, firstLevel);
        grant(api, admin, second.alias(), app, secondLevel);
        return new Granted(app, first, second, appToken(api, app));
    }

    private static Api.Resp batch(Api api, String bearer, List<String> tenants) {
        return api.postJson(delegation(api) + "/tokens", Map.of("tenants", tenants), bearer);
    }

    private static List<String> listed(Api api, String bearer, String query) {
        Api.Resp r = api.get(delegation(api) + "/authorized-tenants" + query, bearer);
        assertEquals(200, r.status(), r.toString());
        List<String> ids = new ArrayList<>();
        r.json().forEach(t -> ids.add(t.get("id").asText()));
        return ids;
    }

    /** RFC 7662 introspection as a given confidential client. */
    private static JsonNode introspectAs(Api api, App client, String token) {
        Api.Resp r = api.postForm(api.tokenUrl(Api.REALM) + "/introspect", Map.of("client_id", client.clientId(),
                "client_secret", client.secret(), "token", token), null);
        assertEquals(200, r.status(), r.toString());
        return r.json();
    }

    /** The verified token's {@code aud}. */
    private static List<String> audience(Api api, String token) throws Exception {
        List<String> aud = Jwts.verify(api, token).getAudience();
        return aud == null ? List.of() : aud;
    }

    private static void setEnabled(Api api, Org org, boolean enabled) {
        ObjectNode rep = (ObjectNode) api.adminGet("/organizations/" + org.id()).json();
        rep.put("enabled", enabled);
        Api.Resp r = api.adminPut("/organizations/" + org.id(), rep);
        assertEquals(204, r.status(), r.toString());
    }

    private static Api.Resp edgeExchange(Api api, String idToken, String node) {
        return Edge.exchange(api, idToken, node);
    }

    private static void assertGenericSubjectRefusal(Api.Resp r, String what) {
        assertOAuthErrorExactly(r, 400, "invalid_grant", GENERIC_SUBJECT_REFUSAL, what);
    }

    private static Map<String, Object> purposedBody(String ownerId) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("tenantId", ownerId);
        b.put("purpose", "boundary check");
        b.put("targetIdentities", List.of("*"));
        b.put("originDomains", List.of());
        b.put("expiration", 3600);
        b.put("scopes", List.of("user:getinfo"));
        return b;
    }

    private static void assertRefusedAsCredential(Api.Resp r, String what) {
        assertTrue(r.status() == 401 || r.status() == 403, what + ": " + r);
        assertFalse(r.body().contains("access_token"), what + " minted nothing: " + r);
        assertFalse(r.body().contains("\"secret\""), what + " made no key: " + r);
    }

    // ---- 1. the platform audience -----------------------------------------------------------------

    @Test
    void tenantTokensCarryThePlatformAudienceAndIntrospectActiveForThePlatform(Api api) throws Exception {
        String admin = api.realmManagerToken();
        // an application without any client scope of its own: nothing but the pack puts an audience in
        App bare = app(api, "app", Map.of("defaultClientScopes", List.of(), "optionalClientScopes", List.of()));
        App other = app(api);
        Org org = org(api);
        grant(api, admin, org.alias(), bare, "read-write");
        String own = appToken(api, bare);

        Api.Resp single = exchange(api, bare, own, org.alias());
        assertEquals(200, single.status(), single.toString());
        Api.Resp batch = batch(api, own, List.of(org.id()));
        assertEquals(200, batch.status(), batch.toString());
        String exchanged = single.json().get("access_token").asText();
        String batched = batch.json().at("/tokens/0/access_token").asText();
        for (String t : List.of(exchanged, batched)) {
            assertTrue(audience(api, t).contains(PLATFORM), "aud " + audience(api, t));
            JsonNode introspected = api.introspect(t).json();
            assertTrue(introspected.get("active").asBoolean(), "iot-platform's introspection: " + introspected);
            assertEquals(bare.clientId(), introspected.get("client_id").asText(), introspected.toString());
        }

        // the audience rule still holds: a client outside the token's audience learns nothing
        assertFalse(introspectAs(api, other, exchanged).get("active").asBoolean(), "introspected by a client not in aud");

        // the realm setting names the audiences; the default comes back when it is removed
        JsonNode realm = api.adminGet("").json();
        ObjectNode changed = realm.deepCopy();
        changed.with("attributes").put("iottokens.tenant.audience", PLATFORM + " " + other.clientId());
        assertEquals(204, api.adminPut("", changed).status());
        try {
            String t = exchange(api, bare, own, org.alias()).json().get("access_token").asText();
            assertTrue(audience(api, t).containsAll(List.of(PLATFORM, other.clientId())), "aud " + audience(api, t));
            assertTrue(introspectAs(api, other, t).get("active").asBoolean(), "now in aud, so it may introspect");
        } finally {
            assertEquals(204, api.adminPut("", realm).status());
        }
        assertFalse(audience(api, exchange(api, bare, own, org.alias()).json().get("access_token").asText()).contains(other.clientId()));
    }

    @Test
    void edgeTokensCarryThePlatformAudienceAndIntrospectActiveForThePlatform(Api api) throws Exception {
        Developer d = developer(api);
        String idToken = api.codeFlow("developer-console", CALLBACK, d.username(), d.password(), "openid").json().get("id_token").asText();
        Api.Resp issued = edgeExchange(api, idToken, Api.unique("node"));
        assertEquals(200, issued.status(), issued.toString());
        String edge = issued.json().get("access_token").asText();
        assertTrue(audience(api, edge).contains(PLATFORM), "aud " + audience(api, edge));
        JsonNode introspected = api.introspect(edge).json();
        assertTrue(introspected.get("active").asBoolean(), introspected.toString());
        assertEquals("edge-cli", introspected.get("client_id").asText());

        App stranger = app(api);
        assertFalse(introspectAs(api, stranger, edge).get("active").asBoolean(), "introspected by a client not in aud");
    }

    // ---- 2. disabled tenants ----------------------------------------------------------------------

    @Test
    void aDisabledTenantGetsNoTokensAndIsNotListed(Api api) {
        Granted g = granted(api, "read-write", "limited");
        App app = g.app();
        String own = g.own();

        assertEquals(200, exchange(api, app, own, g.first().alias()).status());
        assertEquals(200, batch(api, own, List.of(g.first().alias(), g.second().alias())).status());
        assertEquals(Set.of(g.first().id(), g.second().id()), Set.copyOf(listed(api, own, "")));

        setEnabled(api, g.first(), false);
        try {
            assertOAuthError(exchange(api, app, own, g.first().alias()), 403, "access_denied");
            assertEquals(403, exchange(api, app, own, g.first().id()).status(), "by id as well");
            Api.Resp both = batch(api, own, List.of(g.second().alias(), g.first().alias()));
            assertEquals(403, both.status(), both.toString());
            assertFalse(both.body().contains("access_token"), "all or nothing");
            assertEquals(List.of(g.second().id()), listed(api, own, ""));
            assertEquals(List.of(g.second().id()), listed(api, own, "?first=0&max=1"), "pages hold enabled tenants only");
            assertEquals(List.of(), listed(api, own, "?first=1&max=1"));
            assertEquals(200, exchange(api, app, own, g.second().alias()).status(), "the other tenant is unaffected");
        } finally {
            setEnabled(api, g.first(), true);
        }
        assertEquals(200, exchange(api, app, own, g.first().alias()).status(), "enabled again, its grant stands");
        assertEquals(Set.of(g.first().id(), g.second().id()), Set.copyOf(listed(api, own, "")));
    }

    // ---- 3. one tenant per reference ---------------------------------------------------------------

    @Test
    void aTenantReferenceNamesOneOrganizationIdFirst(Api api) throws Exception {
        String admin = api.realmManagerToken();
        App app = app(api);
        Org a = org(api);
        Org b = org(api, a.id()); // B's alias is A's id
        JsonNode record = grant(api, admin, b.id(), app, "limited");
        assertEquals(b.id(), record.get("tenantId").asText());
        String own = appToken(api, app);

        Api.Resp byId = exchange(api, app, own, b.id());
        assertEquals(200, byId.status(), byId.toString());
        assertEquals(b.id(), Jwts.verify(api, byId.json().get("access_token").asText()).getStringClaim("ten_id"));

        // A's id names A, which granted nothing, never B through its alias
        Api.Resp ambiguous = exchange(api, app, own, a.id());
        assertEquals(403, ambiguous.status(), ambiguous.toString());
        assertEquals(403, batch(api, own, List.of(a.id())).status());
        // the tenant admin's side resolves the same way: A's id is A
        assertEquals(404, api.get(delegation(api) + "/tenants/" + a.id() + "/grants/" + app.clientId(), admin).status(), "A has no grant");
        assertEquals(b.id(), api.get(delegation(api) + "/tenants/" + b.id() + "/grants/" + app.clientId(), admin).json().get("tenantId").asText());

        // once A grants, A's id gives A's token, and both tenants in one batch are two different tenants
        assertEquals(a.id(), grant(api, admin, a.id(), app, "read-write").get("tenantId").asText());
        Api.Resp forA = exchange(api, app, own, a.id());
        assertEquals(200, forA.status(), forA.toString());
        JWTClaimsSet aClaims = Jwts.verify(api, forA.json().get("access_token").asText());
        assertEquals(a.id(), aClaims.getStringClaim("ten_id"));
        Api.Resp both = batch(api, own, List.of(a.id(), b.id()));
        assertEquals(200, both.status(), both.toString());
        assertEquals(a.id(), both.json().at("/tokens/0/tenant_id").asText());
        assertEquals(b.id(), both.json().at("/tokens/1/tenant_id").asText());
    }

    // ---- 4. edge sessions need a signed-in developer -----------------------------------------------

    @Test
    void anIdTokenWhoseSessionLoggedOutBuysNoEdgeSession(Api api) {
        Developer d = developer(api);
        String node = Api.unique("node");

        // logout at the end-session endpoint (what the developer console does with its refresh token)
        Api.Resp login = api.codeFlow("developer-console", CALLBACK, d.username(), d.password(), "openid");
        assertEquals(200, login.status(), login.toString());
        String idToken = login.json().get("id_token").asText();
        assertEquals(200, edgeExchange(api, idToken, node).status(), "signed in: exchanged");
        Api.Resp logout = api.postForm(api.server().realmUrl(Api.REALM) + "/protocol/openid-connect/logout",
                Map.of("client_id", "developer-console", "refresh_token", login.json().get("refresh_token").asText()), null);
        assertEquals(204, logout.status(), logout.toString());
        assertGenericSubjectRefusal(edgeExchange(api, idToken, node), "an ID token after logout");

        // an administrator signing the user out ends the session as well
        String second = api.codeFlow("developer-console", CALLBACK, d.username(), d.password(), "openid").json().get("id_token").asText();
        assertEquals(200, edgeExchange(api, second, node).status(), "a new sign-in: exchanged");
        assertEquals(204, api.adminPost("/users/" + d.id() + "/logout", Map.of()).status());
        assertGenericSubjectRefusal(edgeExchange(api, second, node), "an ID token after the admin's sign-out");

        // revoking the console's refresh token (RFC 7009) ends its client session
        Api.Resp third = api.codeFlow("developer-console", CALLBACK, d.username(), d.password(), "openid");
        String thirdId = third.json().get("id_token").asText();
        assertEquals(200, edgeExchange(api, thirdId, node).status());
        assertEquals(200, api.postForm(api.server().realmUrl(Api.REALM) + "/protocol/openid-connect/revoke", Map.of("client_id", "developer-console",
                "token", third.json().get("refresh_token").asText(), "token_type_hint", "refresh_token"), null).status());
        assertGenericSubjectRefusal(edgeExchange(api, thirdId, node), "an ID token after its refresh token was revoked");
    }

    // ---- 5. tenant tokens are no credentials at the pack ------------------------------------------

    @Test
    void aTenantTokenIsNoCredentialAtThePack(Api api) {
        Granted g = granted(api, "read-write", "read-write");
        App app = g.app();
        String own = g.own();
        String realm = api.server().realmUrl(Api.REALM);
        String name = Api.unique("person");
        String personId = api.createUser(name, name + "-pw", "user");
        String person = api.userToken(name, name + "-pw");

        // allowed: the application's own token at its endpoints, a person's at theirs
        assertEquals(200, batch(api, own, List.of(g.first().alias())).status());
        assertEquals(2, listed(api, own, "").size());
        Api.Resp exchanged = exchange(api, app, own, g.first().alias());
        assertEquals(200, exchanged.status(), exchanged.toString());
        assertEquals(201, api.createApiKey(person, Map.of("memo", "a person's key")).status());
        assertEquals(201, api.postJson(realm + "/purposed-tokens", purposedBody(personId), person).status());
        assertEquals(200, api.get(realm + "/devices", person).status());

        // refused: tenant tokens of both routes, as bearer everywhere at the pack and as the next subject token
        List<String> tenantTokens = List.of(exchanged.json().get("access_token").asText(),
                batch(api, own, List.of(g.first().alias())).json().at("/tokens/0/access_token").asText());
        for (String t : tenantTokens) {
            assertRefusedAsCredential(batch(api, t, List.of(g.second().alias())), "POST /tenant-delegation/tokens");
            assertRefusedAsCredential(api.get(realm + "/tenant-delegation/authorized-tenants", t), "GET /authorized-tenants");
            assertRefusedAsCredential(api.createApiKey(t, Map.of("memo", "minted by a tenant token")), "POST /api-keys");
            assertRefusedAsCredential(api.get(realm + "/api-keys", t), "GET /api-keys");
            assertRefusedAsCredential(api.postJson(realm + "/purposed-tokens", purposedBody(personId), t), "POST /purposed-tokens");
            assertRefusedAsCredential(api.get(realm + "/devices", t), "GET /devices");
            assertRefusedAsCredential(api.putJson(realm + "/tenant-delegation/tenants/" + g.second().alias() + "/grants/" + app.clientId(),
                    Map.of("accessLevel", "limited"), t), "PUT a grant");
            Api.Resp userinfo = api.get(realm + "/protocol/openid-connect/userinfo", t);
            assertTrue(userinfo.status() == 401 || userinfo.status() == 403, "Keycloak's userinfo: " + userinfo);
            assertOAuthError(exchange(api, app, t, g.second().alias()), 400, "invalid_request");
        }
        // the application's own token still works after all that
        assertEquals(200, exchange(api, app, own, g.second().alias()).status());
        assertEquals(200, batch(api, own, List.of(g.first().alias(), g.second().alias())).status());
        assertEquals(1, api.get(realm + "/api-keys", person).json().size(), "the person's own key, nothing more");
    }

    @Test
    void anApplicationsOwnTokenMakesNoApiKeysOrPurposedTokens(Api api) {
        App app = app(api);
        String own = appToken(api, app);
        String saId = api.adminGet("/clients/" + app.uuid() + "/service-account-user").json().get("id").asText();
        String realm = api.server().realmUrl(Api.REALM);
        String name = Api.unique("person");
        String personId = api.createUser(name, name + "-pw", "user");
        String person = api.userToken(name, name + "-pw");

        assertEquals(201, api.createApiKey(person, Map.of("memo", "a person's key")).status(), "a person makes keys");
        assertEquals(201, api.postJson(realm + "/purposed-tokens", purposedBody(personId), person).status(), "and purposed tokens");
        assertEquals(List.of(), listed(api, own, ""), "the app's token is good at its own endpoints (no tenant granted it yet)");

        Api.Resp key = api.createApiKey(own, Map.of("memo", "a never-expiring key for the service account"));
        assertEquals(403, key.status(), key.toString());
        assertFalse(key.body().contains("\"secret\""));
        Api.Resp purposed = api.postJson(realm + "/purposed-tokens", purposedBody(saId), own);
        assertEquals(403, purposed.status(), purposed.toString());
        assertFalse(purposed.body().contains("\"token\""));
        assertEquals(403, api.get(realm + "/api-keys", own).status());
        assertEquals(403, api.get(realm + "/purposed-tokens", own).status());
        assertEquals(403, api.get(realm + "/devices", own).status());
    }

    /**
     * With the platform audience, {@code iot-platform} (whose secret every resource server shares) is in the tenant
     * token's {@code aud}; the purposed-token exchange takes only a person's login token issued to the requesting
     * client, so neither iot-platform nor the application turns a tenant token (or the application's own token) into
     * a purposed token of the service account. The allowed path is PurposedBoundariesIT's.
     */
    @Test
    void aTenantTokenIsNoSubjectForPurposedTokens(Api api) throws Exception {
        String admin = api.realmManagerToken();
        App app = app(api);
        Org org = org(api);
        grant(api, admin, org.alias(), app, "read-write");
        String own = appToken(api, app);
        String tenantToken = exchange(api, app, own, org.alias()).json().get("access_token").asText();
        String saId = api.adminGet("/clients/" + app.uuid() + "/service-account-user").json().get("id").asText();
        App platformApp = new App(PLATFORM, api.platformSecret(), Fixtures.clientUuid(api, PLATFORM));
        for (Object[] attempt : List.of(new Object[] {platformApp, tenantToken}, new Object[] {app, tenantToken}, new Object[] {app, own})) {
            App requester = (App) attempt[0];
            String subject = (String) attempt[1];
            Api.Resp r = api.token(Fixtures.purposedExchangeForm(requester.clientId(), requester.secret(), subject, purposedBody(saId)));
            assertTrue(r.status() == 400 || r.status() == 403, requester.clientId() + ": " + r);
            assertFalse(r.body().contains("access_token"), requester.clientId() + ": " + r);
        }
    }
}
