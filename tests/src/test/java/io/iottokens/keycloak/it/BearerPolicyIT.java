package io.iottokens.keycloak.it;

import static io.iottokens.keycloak.it.support.Errors.assertOAuthError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import io.iottokens.keycloak.it.support.Api;
import io.iottokens.keycloak.it.support.Edge;
import io.iottokens.keycloak.it.support.Fixtures;
import io.iottokens.keycloak.it.support.Jwts;
import io.iottokens.keycloak.it.support.KeycloakExtension;

/**
 * The bearer policy as a matrix: every REST endpoint and token-exchange route of the pack (and the Keycloak APIs a
 * pack token could be carried to) against every kind of token, each cell its own test. An allowed cell is proven by
 * its success status; a refused cell by 401/403 (400 at the token endpoint) and by the object it would have made not
 * existing. The same matrix is the README's "Bearer policy" table: {@link #readmeTableIsTheTestedMatrix} fails when
 * the two differ.
 */
@ExtendWith(KeycloakExtension.class)
class BearerPolicyIT {

    /** Columns: the kinds of bearer a caller can hold. Forged and foreign tokens carry the most privileged real claims. */
    enum Kind {
        LOGIN("login"), API_KEY("API key"), RESTRICTED_API_KEY("API key, roles [user]"), SERVICE_ACCOUNT("service account"),
        TENANT("tenant"), EDGE("edge"), PURPOSED("purposed"), OTHER_REALM("other realm's login"),
        ALG_NONE("forged: alg none"), HS256_PUBLIC_KEY("forged: HS256 with the realm's public key"),
        EMBEDDED_JWK("forged: own key in jwk header"), JKU("forged: own key behind jku"), TAMPERED("forged: payload changed");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    /** The fixture: one token of every kind, all of the same powerful people and application. */
    private record World(Map<Kind, String> tokens, String orgAlias, String appClientId, String appSecret, String adminName) {
    }

    private static World world;

    private static synchronized World world(Api api) throws Exception {
        if (world != null) {
            return world;
        }
        // a person who is a realm administrator (realm-management view-users, manage-users, manage-realm, manage-clients)
        String name = Api.unique("boss");
        String userId = api.createUser(name, name + "-pw", "user");
        JsonNode rm = api.adminGet("/clients?clientId=realm-management").json().get(0);
        List<JsonNode> roles = new ArrayList<>();
        for (String r : List.of("view-users", "manage-users", "manage-realm", "manage-clients")) {
            roles.add(api.adminGet("/clients/" + rm.get("id").asText() + "/roles/" + r).json());
        }
        assertEquals(204, api.adminPost("/users/" + userId + "/role-mappings/clients/" + rm.get("id").asText(), roles).status());
        String login = api.userToken(name, name + "-pw");

        Map<Kind, String> t = new LinkedHashMap<>();
        t.put(Kind.LOGIN, login);
        t.put(Kind.API_KEY, keyToken(api, login, Map.of("memo", "full", "duration", "1d")));
        t.put(Kind.RESTRICTED_API_KEY, keyToken(api, login, Map.of("memo", "restricted", "duration", "1d", "roles", List.of("user"))));

        // an application with a service account that may view users, granted by a tenant
        Fixtures.App app = Fixtures.app(api, "policy-app", Map.of());
        String clientId = app.clientId();
        String secret = app.secret();
        String appUuid = app.uuid();
        String saId = api.adminGet("/clients/" + appUuid + "/service-account-user").json().get("id").asText();
        assertEquals(204, api.adminPost("/users/" + saId + "/role-mappings/clients/" + rm.get("id").asText(),
                List.of(api.adminGet("/clients/" + rm.get("id").asText() + "/roles/view-users").json())).status());
        String sa = clientCredentials(api, clientId, secret);
        t.put(Kind.SERVICE_ACCOUNT, sa);

        String alias = Fixtures.org(api, Api.unique("policy-org")).alias();
        Api.Resp grant = api.putJson(api.server().realmUrl(Api.REALM) + "/tenant-delegation/tenants/" + alias + "/grants/" + clientId,
                Map.of("accessLevel", "read-write"), login);
        assertEquals(201, grant.status(), grant.toString());
        Api.Resp tenant = tenantExchange(api, clientId, secret, sa, alias);
        assertEquals(200, tenant.status(), tenant.toString());
        t.put(Kind.TENANT, tenant.json().get("access_token").asText());

        t.put(Kind.EDGE, Edge.edgeToken(api, name, name + "-pw", Api.unique("policy-node")));

        Api.Resp purposed = api.postJson(api.server().realmUrl(Api.REALM) + "/purposed-tokens", purposedBody("bearer policy fixture"), login);
        assertEquals(201, purposed.status(), purposed.toString());
        t.put(Kind.PURPOSED, purposed.json().get("token").asText());

        t.put(Kind.OTHER_REALM, otherRealmToken(api));
        forgeries(api, login, t);
        world = new World(t, alias, clientId, secret, name);
        return world;
    }

    private static String keyToken(Api api, String login, Map<String, Object> body) {
        Api.Resp key = api.createApiKey(login, body);
        assertEquals(201, key.status(), key.toString());
        Api.Resp grant = api.apiKeyGrant("iot-api", key.json().get("key").asText(), key.json().get("secret").asText(), null);
        assertEquals(200, grant.status(), grant.toString());
        return grant.json().get("access_token").asText();
    }

    private static String clientCredentials(Api api, String clientId, String secret) {
        return Fixtures.clientToken(api, clientId, secret);
    }

    private static Api.Resp tenantExchange(Api api, String clientId, String secret, String subject, String tenant) {
        Map<String, String> f = Fixtures.exchangeForm(clientId, secret, subject);
        f.put("tenant", tenant);
        return api.token(f);
    }

    private static Map<String, Object> purposedBody(String purpose) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("purpose", purpose);
        b.put("targetIdentities", List.of("*"));
        b.put("expiration", 3600);
        b.put("scopes", List.of("upp:verify"));
        return b;
    }

    /** A user of a realm of its own, signed in with that realm's admin-cli. */
    private static String otherRealmToken(Api api) {
        String realm = Api.unique("other");
        Map<String, Object> user = Map.of("username", "mallory", "enabled", true, "email", "mallory@example.test", "firstName", "M", "lastName", "M",
                "emailVerified", true, "credentials", List.of(Map.of("type", "password", "value", "mallory-pw", "temporary", false)));
        Api.Resp created = api.postJson(api.server().baseUrl() + "/admin/realms", Map.of("realm", realm, "enabled", true, "users", List.of(user)),
                api.adminToken());
        assertEquals(201, created.status(), created.toString());
        Api.Resp r = api.postForm(api.tokenUrl(realm), Map.of("grant_type", "password", "client_id", "admin-cli", "username", "mallory",
                "password", "mallory-pw"), null);
        assertEquals(200, r.status(), r.toString());
        return r.json().get("access_token").asText();
    }

    /** Forged tokens with the claims of the administrator's real login token. */
    private static void forgeries(Api api, String login, Map<Kind, String> t) throws Exception {
        String[] parts = login.split("\\.");
        JWTClaimsSet claims = Jwts.peek(login);
        String kid = SignedJWT.parse(login).getHeader().getKeyID();
        String noneHeader = Base64URL.encode("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)).toString();
        t.put(Kind.ALG_NONE, noneHeader + "." + parts[1] + ".");

        RSAKey realmKey = (RSAKey) Jwts.realmJwks(api, Api.REALM).getKeys().stream().filter(k -> k instanceof RSAKey).findFirst().orElseThrow();
        byte[] publicKey = realmKey.toRSAPublicKey().getEncoded();
        SignedJWT hs = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).keyID(kid).build(), claims);
        hs.sign(new MACSigner(publicKey));
        t.put(Kind.HS256_PUBLIC_KEY, hs.serialize());

        RSAKey attacker = new RSAKeyGenerator(2048).keyID(kid).generate();
        SignedJWT jwk = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT).keyID(kid)
                .jwk(attacker.toPublicJWK()).build(), claims);
        jwk.sign(new RSASSASigner(attacker));
        t.put(Kind.EMBEDDED_JWK, jwk.serialize());

        SignedJWT jku = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT).keyID(kid)
                .jwkURL(java.net.URI.create("http://127.0.0.1:9/jwks")).build(), claims);
        jku.sign(new RSASSASigner(attacker));
        t.put(Kind.JKU, jku.serialize());

        // the real signature over a payload with another subject
        Map<String, Object> payload = new LinkedHashMap<>(claims.toJSONObject());
        payload.put("sub", UUID.randomUUID().toString());
        String changed = Base64URL.encode(Api.JSON.writeValueAsBytes(payload)).toString();
        t.put(Kind.TAMPERED, parts[0] + "." + changed + "." + parts[2]);
    }

    // ---- the endpoints --------------------------------------------------------------------------------------------

    /** A call of one endpoint with a bearer (or subject token); {@code marker} names what a create would make. */
    private interface Call {
        Api.Resp call(Api api, String bearer, String marker);
    }

    /** Whether the object a create call would have made with {@code marker} exists. */
    private interface Made {
        boolean exists(Api api, String marker);
    }

    /** A row: what is called, how, what the allowed kinds get, and (for creates) how to see what a call made. */
    private record Row(String label, List<Kind> allowed, int success, Call call, Made made) {
        Row(String label, List<Kind> allowed, int success, Call call) {
            this(label, allowed, success, call, null);
        }
    }

    private static String realmUrl(Api api) {
        return api.server().realmUrl(Api.REALM);
    }

    private static List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        rows.add(new Row("`GET /realms/{r}/api-keys`", List.of(Kind.LOGIN), 200,
                (api, bearer, marker) -> api.get(realmUrl(api) + "/api-keys", bearer)));
        rows.add(new Row("`POST /realms/{r}/api-keys`", List.of(Kind.LOGIN), 201,
                (api, bearer, marker) -> api.createApiKey(bearer, Map.of("memo", marker, "duration", "1d")),
                (api, marker) -> api.get(api.server().adminUrl(Api.REALM) + "/api-keys?max=100", api.adminToken()).body().contains(marker)));
        rows.add(new Row("`GET /realms/{r}/purposed-tokens`", List.of(Kind.LOGIN), 200,
                (api, bearer, marker) -> api.get(realmUrl(api) + "/purposed-tokens", bearer)));
        rows.add(new Row("`POST /realms/{r}/purposed-tokens`", List.of(Kind.LOGIN), 201,
                (api, bearer, marker) -> api.postJson(realmUrl(api) + "/purposed-tokens", purposedBody(marker), bearer),
                (api, marker) -> api.get(realmUrl(api) + "/purposed-tokens?max=100", world.tokens().get(Kind.LOGIN)).body().contains(marker)));
        rows.add(new Row("`GET /realms/{r}/devices`", List.of(Kind.LOGIN), 200,
                (api, bearer, marker) -> api.get(realmUrl(api) + "/devices", bearer)));
        rows.add(new Row("`POST /realms/{r}/devices/associate`", List.of(Kind.EDGE), 200,
                (api, bearer, marker) -> api.postJson(realmUrl(api) + "/devices/associate", Map.of(), bearer)));
        rows.add(new Row("`GET /realms/{r}/tenant-delegation/tenants/{org}/grants`", List.of(Kind.LOGIN), 200,
                (api, bearer, marker) -> api.get(realmUrl(api) + "/tenant-delegation/tenants/" + world.orgAlias() + "/grants", bearer)));
        rows.add(new Row("`GET /realms/{r}/tenant-delegation/authorized-tenants`", List.of(Kind.SERVICE_ACCOUNT), 200,
                (api, bearer, marker) -> api.get(realmUrl(api) + "/tenant-delegation/authorized-tenants", bearer)));
        rows.add(new Row("`POST /realms/{r}/tenant-delegation/tokens`", List.of(Kind.SERVICE_ACCOUNT), 200,
                (api, bearer, marker) -> api.postJson(realmUrl(api) + "/tenant-delegation/tokens", Map.of("tenants", List.of(world.orgAlias())), bearer)));
        rows.add(new Row("`GET /admin/realms/{r}/api-keys` (pack, admin)", List.of(Kind.LOGIN, Kind.SERVICE_ACCOUNT), 200,
                (api, bearer, marker) -> api.get(api.server().adminUrl(Api.REALM) + "/api-keys", bearer)));
        rows.add(new Row("`GET /admin/realms/{r}/devices` (pack, admin)", List.of(Kind.LOGIN, Kind.SERVICE_ACCOUNT), 200,
                (api, bearer, marker) -> api.get(api.server().adminUrl(Api.REALM) + "/devices", bearer)));
        rows.add(new Row("`GET /admin/realms/{r}/users` (Keycloak admin REST API)", List.of(Kind.LOGIN, Kind.SERVICE_ACCOUNT), 200,
                (api, bearer, marker) -> api.get(api.server().adminUrl(Api.REALM) + "/users?max=1", bearer)));
        rows.add(new Row("`POST /admin/realms/{r}/users` (Keycloak admin REST API)", List.of(Kind.LOGIN), 201,
                (api, bearer, marker) -> api.postJson(api.server().adminUrl(Api.REALM) + "/users", Map.of("username", marker, "enabled", true), bearer),
                (api, marker) -> api.adminGet("/users?exact=true&username=" + marker).json().size() > 0));
        rows.add(new Row("`POST /realms/{r}/clients-registrations/default` (Keycloak client registration)", List.of(Kind.LOGIN), 201,
                (api, bearer, marker) -> api.postJson(realmUrl(api) + "/clients-registrations/default", Map.of("clientId", marker), bearer),
                (api, marker) -> api.adminGet("/clients?clientId=" + marker).json().size() > 0));
        rows.add(new Row("`GET /realms/{r}/clients-registrations/default/{client}` (reads a client secret)", List.of(Kind.LOGIN), 200,
                (api, bearer, marker) -> api.get(realmUrl(api) + "/clients-registrations/default/iot-platform", bearer)));
        rows.add(new Row("`GET /realms/{r}/account/` (Keycloak account API)", List.of(Kind.LOGIN), 200,
                (api, bearer, marker) -> accountApi(api, bearer)));
        rows.add(new Row("token exchange, `tenant=` (the app's subject_token)", List.of(Kind.SERVICE_ACCOUNT), 200,
                (api, subject, marker) -> tenantExchange(api, world.appClientId(), world.appSecret(), subject, world.orgAlias())));
        rows.add(new Row("token exchange, `node_id=` (edge; subject must be a developer-console ID token)", List.of(), 200,
                (api, subject, marker) -> api.token(Map.of("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange", "client_id", "edge-cli",
                        "subject_token", subject, "subject_token_type", Edge.ID_TOKEN_TYPE, "node_id", Api.unique("node")))));
        return rows;
    }

    @TestFactory
    Stream<DynamicContainer> everyEndpointAcceptsOnlyItsKinds(Api api) throws Exception {
        World w = world(api);
        return rows().stream().map(row -> DynamicContainer.dynamicContainer(row.label(), Stream.of(Kind.values()).map(kind ->
                DynamicTest.dynamicTest(kind.label, () -> {
                    String marker = ("cell-" + kind.name() + "-" + UUID.randomUUID().toString().substring(0, 8)).toLowerCase();
                    Api.Resp r = row.call().call(api, w.tokens().get(kind), marker);
                    assertTrue(r.status() < 500, row.label() + " with " + kind.label + ": " + r);
                    if (row.allowed().contains(kind)) {
                        assertEquals(row.success(), r.status(), row.label() + " with " + kind.label + ": " + r);
                    } else {
                        boolean tokenEndpoint = row.label().startsWith("token exchange");
                        assertTrue(tokenEndpoint ? r.status() == 400 || r.status() == 401 || r.status() == 403
                                        : r.status() == 401 || r.status() == 403,
                                row.label() + " must refuse " + kind.label + ": " + r);
                    }
                    if (row.made() != null) {
                        // a refusal does no work; a success made exactly what it said
                        assertEquals(row.allowed().contains(kind), row.made().exists(api, marker), row.label() + " with " + kind.label);
                    }
                }))));
    }

    /** Keycloak's account REST API (JSON); without the Accept header the same path serves the console's HTML. */
    private static Api.Resp accountApi(Api api, String bearer) {
        return api.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(realmUrl(api) + "/account/"))
                .header("Accept", "application/json").header("Authorization", "Bearer " + bearer).GET());
    }

    /** The user behind the fixture: a realm administrator; their password is derived from the name. */
    private static String adminLogin(Api api, World w) {
        return api.userToken(w.adminName(), w.adminName() + "-pw");
    }

    @Test
    void aKeyNeverCarriesItsOwnersAdminRightsIntoKeycloaksAdminApi(Api api) throws Exception {
        World w = world(api);
        String admin = api.server().adminUrl(Api.REALM);
        String victim = api.createUser(Api.unique("victim"), "victim-password-1");
        JsonNode adminRole = api.adminGet("/roles/admin").json();
        // the owner's own sign-in can do all of it
        String login = adminLogin(api, w);
        assertEquals(201, api.postJson(admin + "/users", Map.of("username", Api.unique("by-login"), "enabled", true), login).status());
        assertEquals(204, api.postJson(admin + "/users/" + victim + "/role-mappings/realm", List.of(adminRole), login).status());
        assertEquals(204, api.sendJson("DELETE", admin + "/users/" + victim + "/role-mappings/realm", List.of(adminRole), login).status());
        // a key restricted to [user], and an unrestricted key, of the same person: none of it
        for (Kind kind : List.of(Kind.RESTRICTED_API_KEY, Kind.API_KEY)) {
            String key = w.tokens().get(kind);
            String what = kind.label;
            assertEquals(401, api.postJson(admin + "/users", Map.of("username", Api.unique("by-key"), "enabled", true), key).status(), what);
            assertEquals(401, api.postJson(admin + "/users/" + victim + "/role-mappings/realm", List.of(adminRole), key).status(), what);
            assertEquals(401, api.putJson(admin + "/users/" + victim + "/reset-password",
                    Map.of("type", "password", "value", "taken-over-1", "temporary", false), key).status(), what);
            assertEquals(401, api.postJson(admin + "/api-keys", Map.of("userId", victim, "memo", "unrestricted"), key).status(), what);
            assertEquals(401, accountApi(api, key).status(), what);
        }
        assertEquals(0, api.adminGet("/users/" + victim + "/role-mappings/realm").json().findValues("name").stream()
                .filter(n -> n.asText().equals("admin")).count(), "the victim never became admin");
        assertEquals(200, api.passwordGrant("iot-api", api.adminGet("/users/" + victim).json().get("username").asText(), "victim-password-1", null).status(),
                "the victim's password is unchanged");
    }

    @Test
    void refreshedKeyAndEdgeTokensKeepTheirKind(Api api) throws Exception {
        World w = world(api);
        String login = adminLogin(api, w);
        Api.Resp key = api.createApiKey(login, Map.of("memo", "refresh-kind", "duration", "1d"));
        Api.Resp grant = api.apiKeyGrant("iot-api", key.json().get("key").asText(), key.json().get("secret").asText(), null);
        assertEquals(200, grant.status(), grant.toString());
        Api.Resp refreshed = api.refresh("iot-api", grant.json().get("refresh_token").asText());
        assertEquals(200, refreshed.status(), refreshed.toString());
        String keyToken = refreshed.json().get("access_token").asText();
        assertTrue(Jwts.peek(keyToken).getJWTID().substring(0, 6).endsWith("ak"), "the refreshed jti keeps the key grant");
        assertEquals(401, api.get(api.server().adminUrl(Api.REALM) + "/users?max=1", keyToken).status());
        assertEquals(403, api.get(api.server().realmUrl(Api.REALM) + "/api-keys", keyToken).status());

        // a suspended key's session refreshes no more
        String keyId = key.json().get("id").asText();
        Api.Resp again = api.refresh("iot-api", refreshed.json().get("refresh_token").asText());
        assertEquals(200, again.status(), again.toString());
        assertEquals(200, api.postJson(api.server().realmUrl(Api.REALM) + "/api-keys/" + keyId + "/suspend", Map.of(), login).status());
        assertEquals(400, api.refresh("iot-api", again.json().get("refresh_token").asText()).status());

        // edge tokens: refreshed, still only for associate/unassociate
        Api.Resp login2 = api.codeFlow("developer-console", Edge.CALLBACK, w.adminName(), w.adminName() + "-pw", "openid");
        Map<String, String> f = new LinkedHashMap<>();
        f.put("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange");
        f.put("client_id", "edge-cli");
        f.put("subject_token", login2.json().get("id_token").asText());
        f.put("subject_token_type", Edge.ID_TOKEN_TYPE);
        f.put("node_id", Api.unique("refresh-node"));
        Api.Resp edge = api.token(f);
        assertEquals(200, edge.status(), edge.toString());
        Api.Resp edgeRefreshed = api.refresh("edge-cli", edge.json().get("refresh_token").asText());
        assertEquals(200, edgeRefreshed.status(), edgeRefreshed.toString());
        String edgeToken = edgeRefreshed.json().get("access_token").asText();
        assertTrue(Jwts.peek(edgeToken).getJWTID().substring(0, 6).endsWith("ie"), "the refreshed jti keeps the edge grant");
        assertEquals(200, api.postJson(api.server().realmUrl(Api.REALM) + "/devices/associate", Map.of(), edgeToken).status());
        assertEquals(401, api.get(api.server().adminUrl(Api.REALM) + "/users?max=1", edgeToken).status());
        assertEquals(401, accountApi(api, edgeToken).status());
        assertEquals(403, api.get(api.server().realmUrl(Api.REALM) + "/devices", edgeToken).status());
    }

    @Test
    void packTokensAreNoSubjectOfKeycloaksTokenExchange(Api api) throws Exception {
        World w = world(api);
        // iot-platform is in the audience of every platform token; with Keycloak's standard exchange enabled on it,
        // a person's token may be exchanged (Keycloak's rule), an API-key, tenant or edge token never
        JsonNode platform = api.adminGet("/clients?clientId=iot-platform").json().get(0);
        String uuid = platform.get("id").asText();
        String secret = api.platformSecret();
        com.fasterxml.jackson.databind.node.ObjectNode enabled = platform.deepCopy();
        enabled.with("attributes").put("standard.token.exchange.enabled", "true");
        assertEquals(204, api.adminPut("/clients/" + uuid, enabled).status());
        try {
            for (Kind kind : List.of(Kind.LOGIN, Kind.API_KEY, Kind.RESTRICTED_API_KEY, Kind.TENANT, Kind.EDGE)) {
                Api.Resp r = api.token(Map.of("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange", "client_id", "iot-platform",
                        "client_secret", secret, "subject_token", w.tokens().get(kind),
                        "subject_token_type", "urn:ietf:params:oauth:token-type:access_token"));
                if (kind == Kind.LOGIN) {
                    assertEquals(200, r.status(), "a person's token, Keycloak's own exchange: " + r);
                } else {
                    assertEquals(400, r.status(), kind.label + ": " + r);
                    assertTrue(r.body().contains("cannot be exchanged"), kind.label + ": " + r);
                }
            }
        } finally {
            assertEquals(204, api.adminPut("/clients/" + uuid, platform).status());
        }
    }

    @Test
    void packGrantTypesCannotBeAskedForDirectly(Api api) {
        for (String grant : List.of("urn:iottokens:params:oauth:grant-type:tenant-token", "urn:iottokens:params:oauth:grant-type:edge-token")) {
            assertOAuthError(api.token(Map.of("grant_type", grant, "client_id", "iot-api")), 400, "unsupported_grant_type");
        }
    }

    /** The README's table is this matrix. */
    @Test
    void readmeTableIsTheTestedMatrix() throws Exception {
        String table = table();
        Path readme = Path.of(System.getProperty("user.dir")).getParent().resolve("README.md");
        String text = Files.readString(readme);
        String begin = "<!-- bearer-policy-table:begin -->\n";
        String end = "<!-- bearer-policy-table:end -->";
        int i = text.indexOf(begin);
        int j = text.indexOf(end);
        assertTrue(i >= 0 && j > i, "README.md has no bearer-policy table markers");
        assertEquals(table, text.substring(i + begin.length(), j), "README's bearer-policy table differs from the tested matrix; the expected table is:\n" + table);
    }

    static String table() {
        List<Kind> columns = List.of(Kind.LOGIN, Kind.API_KEY, Kind.RESTRICTED_API_KEY, Kind.SERVICE_ACCOUNT, Kind.TENANT, Kind.EDGE, Kind.PURPOSED);
        StringBuilder b = new StringBuilder();
        b.append("| endpoint | ").append(columns.stream().map(k -> k.label).collect(Collectors.joining(" | "))).append(" | other realm, forged |\n");
        b.append("|---|").append("---|".repeat(columns.size() + 1)).append('\n');
        for (Row row : rows()) {
            b.append("| ").append(row.label()).append(" | ");
            b.append(columns.stream().map(k -> row.allowed().contains(k) ? "**yes**" : "no").collect(Collectors.joining(" | ")));
            b.append(" | no |\n");
        }
        return b.toString();
    }
}
