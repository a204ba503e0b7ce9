package io.iottokens.keycloak.it;

import static io.iottokens.keycloak.it.support.Errors.assertError;
import static io.iottokens.keycloak.it.support.Errors.assertOAuthError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import io.iottokens.keycloak.device.TestDeviceKeys;
import io.iottokens.keycloak.it.support.Api;
import io.iottokens.keycloak.it.support.Devices;
import io.iottokens.keycloak.it.support.Edge;
import io.iottokens.keycloak.it.support.Fixtures;
import io.iottokens.keycloak.it.support.Fixtures.App;
import io.iottokens.keycloak.it.support.Fixtures.User;
import io.iottokens.keycloak.it.support.KeycloakExtension;

/**
 * The boundaries of purposed tokens and device keys (issue 12): who may introspect a purposed token, who may
 * exchange a token for one, how long one lives, which devices a bootstrap token enrolls, what an unauthenticated
 * bootstrap caller learns, and who may put a key on a device. Each test proves the allowed path first, then the
 * refusal.
 */
@ExtendWith(KeycloakExtension.class)
class PurposedBoundariesIT {

    private static final String MAX_LIFETIME = "iottokens.purposed.max-lifetime";
    private static final String PURPOSED_TYPE = Fixtures.PURPOSED_TOKEN_TYPE;

    // ---- helpers (this file only) -------------------------------------------------------------

    private static User user(Api api) {
        return Fixtures.user(api, "bound", "user");
    }

    /** A new confidential client of the realm (no service account unless {@code extra} says so); {@code extra} is merged in. */
    private static App client(Api api, Map<String, Object> extra) {
        Map<String, Object> rep = new LinkedHashMap<>(Map.of("serviceAccountsEnabled", false));
        rep.putAll(extra);
        return Fixtures.app(api, "bound-app", rep);
    }

    private static App platform(Api api) {
        return new App("iot-platform", api.platformSecret(), Fixtures.clientUuid(api, "iot-platform"));
    }

    private static String purposedUrl(Api api, String path) {
        return api.server().realmUrl(Api.REALM) + "/purposed-tokens" + path;
    }

    private static Map<String, Object> claim(List<String> identities, List<String> groups, List<String> scopes, Object expiration) {
        return Fixtures.purposedClaim("Boundary check", identities, groups, scopes, expiration);
    }

    private static Api.Resp create(Api api, User u, Map<String, Object> claim) {
        return api.postJson(purposedUrl(api, ""), claim, u.token());
    }

    private static JsonNode created(Api api, User u, Map<String, Object> claim) {
        Api.Resp r = create(api, u, claim);
        assertEquals(201, r.status(), r.toString());
        return r.json();
    }

    private static int stored(Api api, User u) {
        return api.get(purposedUrl(api, "?max=100"), u.token()).json().size();
    }

    private static JsonNode introspect(Api api, App c, String token) {
        Api.Resp r = api.postForm(api.tokenUrl(Api.REALM) + "/introspect", Map.of("client_id", c.clientId(), "client_secret", c.secret(),
                "token", token, "token_type_hint", "purposed_token"), null);
        assertEquals(200, r.status(), r.toString());
        return r.json();
    }

    private static Api.Resp exchange(Api api, App c, String subjectToken) {
        return api.token(Fixtures.purposedExchangeForm(c.clientId(), c.secret(), subjectToken,
                claim(List.of("*"), List.of(), List.of("upp:verify"), 3600)));
    }

    private static void assertExchangeRefused(Api.Resp r, String descriptionPart) {
        assertOAuthError(r, 400, "invalid_request", descriptionPart);
    }

    private static String login(Api api, App c, User u) {
        Api.Resp r = api.token(Map.of("grant_type", "password", "client_id", c.clientId(), "client_secret", c.secret(),
                "username", u.name(), "password", u.password()));
        assertEquals(200, r.status(), r.toString());
        return r.json().get("access_token").asText();
    }

    private static long lifetime(String token) throws Exception {
        JWTClaimsSet c = SignedJWT.parse(token).getJWTClaimsSet();
        assertTrue(c.getExpirationTime() != null, "every purposed token has an exp");
        return (c.getExpirationTime().getTime() - c.getIssueTime().getTime()) / 1000;
    }

    private static String group(Api api, User member) {
        String id = Fixtures.group(api, "bound-group");
        Fixtures.joinGroup(api, member.id(), id);
        return id;
    }

    private static Api.Resp registerKey(Api api, String deviceId, TestDeviceKeys key, String bearer) throws Exception {
        String body = Devices.keyBody(key);
        return Devices.signedPost(api, api.server().realmUrl(Api.REALM) + "/devices/" + deviceId + "/key", body, "X-Signature",
                key.sign(body, false), bearer);
    }

    /** A new device that registered its own key (nobody owns it yet). */
    private static String keyedDevice(Api api, TestDeviceKeys key) throws Exception {
        String id = Api.unique("bound-thing");
        Api.Resp r = registerKey(api, id, key, null);
        assertEquals(201, r.status(), r.toString());
        return id;
    }

    private static String bootstrapBody(String token, String identity) {
        return Devices.bootstrapBody(token, identity, System.currentTimeMillis() / 1000);
    }

    private static Api.Resp bootstrap(Api api, String body, String signature) {
        return Devices.bootstrap(api, body, "X-Signature", signature);
    }

    private static Api.Resp bootstrap(Api api, TestDeviceKeys key, String token, String identity) throws Exception {
        String body = bootstrapBody(token, identity);
        return bootstrap(api, body, key.sign(body, false));
    }

    private static String bootstrapToken(Api api, User owner, List<String> identities, List<String> groups) {
        return created(api, owner, claim(identities, groups, List.of("thing:bootstrap"), null)).get("token").asText();
    }

    private static JsonNode device(Api api, String id) {
        return api.adminGet("/devices/" + id).json();
    }

    /** Sets the realm's purposed-token maximum lifetime and returns the previous value. */
    private static String setMaxLifetime(Api api, String value) {
        String previous = api.adminGet("").json().path("attributes").path(MAX_LIFETIME).asText("");
        Fixtures.realmAttribute(api, MAX_LIFETIME, value);
        return previous;
    }

    // ---- 1. introspection follows Keycloak's audience rule -------------------------------------

    @Test
    void purposedTokenIntrospectionAnswersOnlyClientsInTheTokensAudience(Api api) {
        User u = user(api);
        String token = created(api, u, claim(List.of("*"), List.of(), List.of("upp:verify"), 3600)).get("token").asText();

        // iot-platform is the token's audience (realm-config maps upp:verify to it): the full answer
        JsonNode seen = introspect(api, platform(api), token);
        assertTrue(seen.get("active").asBoolean(), seen.toString());
        assertEquals(u.name(), seen.get("username").asText());
        assertEquals(u.id(), seen.get("sub").asText());
        assertEquals("upp:verify", seen.get("scope").asText());

        // any other confidential client: {"active": false} and not a claim more
        App outsider = client(api, Map.of());
        JsonNode hidden = introspect(api, outsider, token);
        assertEquals(Api.JSON.createObjectNode().put("active", false), hidden, "an outsider learns nothing: " + hidden);

        // unless an administrator exempted that client from the audience check, as Keycloak allows for its own tokens
        App exempt = client(api, Map.of("attributes", Map.of("allow.token.introspection.without.audience.check", "true")));
        assertTrue(introspect(api, exempt, token).get("active").asBoolean(), "Keycloak's per-client exemption applies");

        // a bootstrap token's audience is the realm itself: no client sees it active
        String boot = bootstrapToken(api, u, List.of(), List.of(group(api, u)));
        assertEquals(Api.JSON.createObjectNode().put("active", false), introspect(api, platform(api), boot));
    }

    // ---- 2. who may exchange which token for a purposed token ----------------------------------

    @Test
    void purposedTokensAreExchangedOnlyByTheClientTheLoginTokenWasIssuedTo(Api api) throws Exception {
        User u = user(api);
        App app = client(api, Map.of("directAccessGrantsEnabled", true));

        // the client the user signed in to exchanges that login token
        Api.Resp ok = exchange(api, app, login(api, app, u));
        assertEquals(200, ok.status(), ok.toString());
        assertEquals(PURPOSED_TYPE, ok.json().get("issued_token_type").asText());
        assertEquals(u.id(), SignedJWT.parse(ok.json().get("access_token").asText()).getJWTClaimsSet().getSubject());

        // iot-platform is in every user token's audience (its secret is shared by the resource servers): not enough
        String iotApiToken = u.token();
        assertTrue(SignedJWT.parse(iotApiToken).getJWTClaimsSet().getAudience().contains("iot-platform"));
        assertExchangeRefused(exchange(api, platform(api), iotApiToken), "not issued to this client");
        // nor may another confidential client exchange a token issued elsewhere
        assertExchangeRefused(exchange(api, app, iotApiToken), "not issued to this client");
        assertExchangeRefused(exchange(api, client(api, Map.of("directAccessGrantsEnabled", true)), login(api, app, u)), "not issued to this client");
        assertEquals(1, stored(api, u), "only the allowed exchange stored a token");
    }

    @Test
    void onlyAPersonsLoginTokenIsExchangedForAPurposedToken(Api api) throws Exception {
        User u = user(api);
        App app = client(api, Map.of("directAccessGrantsEnabled", true, "serviceAccountsEnabled", true,
                "attributes", Map.of("standard.token.exchange.enabled", "true", "iottokens.api-key.grant.enabled", "true"),
                "protocolMappers", List.of(Map.of("name", "api-key", "protocol", "openid-connect",
                        "protocolMapper", "iottokens-api-key-mapper", "config", Map.of()))));

        // a person's sign-in at this client: allowed
        String loginToken = login(api, app, u);
        Api.Resp ok = exchange(api, app, loginToken);
        assertEquals(200, ok.status(), ok.toString());

        // the client's own service-account token
        String serviceToken = api.token(Map.of("grant_type", "client_credentials", "client_id", app.clientId(), "client_secret", app.secret()))
                .json().get("access_token").asText();
        assertExchangeRefused(exchange(api, app, serviceToken), "service-account");

        // a token from Keycloak's standard token exchange (meant for a resource server)
        Api.Resp standard = api.token(Map.of("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange", "client_id", app.clientId(),
                "client_secret", app.secret(), "subject_token", loginToken, "subject_token_type", "urn:ietf:params:oauth:token-type:access_token"));
        assertEquals(200, standard.status(), standard.toString());
        assertExchangeRefused(exchange(api, app, standard.json().get("access_token").asText()), "exchanged");

        // an API-key token of the same user at the same client
        JsonNode key = api.createApiKey(u.token(), Map.of("memo", "boundaries")).json();
        Api.Resp keyToken = api.token(Map.of("grant_type", Api.API_KEY_GRANT, "client_id", app.clientId(), "client_secret", app.secret(),
                "api_key", key.get("key").asText(), "api_secret", key.get("secret").asText()));
        assertEquals(200, keyToken.status(), keyToken.toString());
        assertExchangeRefused(exchange(api, app, keyToken.json().get("access_token").asText()), "api-key");

        // a tenant token of the application
        String alias = Fixtures.org(api, Api.unique("bound-tenant")).alias();
        assertEquals(201, api.putJson(api.server().realmUrl(Api.REALM) + "/tenant-delegation/tenants/" + alias + "/grants/" + app.clientId(),
                Map.of("accessLevel", "data-contextualization"), api.realmManagerToken()).status());
        Api.Resp tenant = api.postJson(api.server().realmUrl(Api.REALM) + "/tenant-delegation/tokens", Map.of("tenants", List.of(alias)), serviceToken);
        assertEquals(200, tenant.status(), tenant.toString());
        assertExchangeRefused(exchange(api, app, tenant.json().at("/tokens/0/access_token").asText()), "tenant");

        assertEquals(1, stored(api, u), "only the login token was exchanged");
    }

    // ---- 3. a realm maximum lifetime for every purposed token -----------------------------------

    @Test
    void everyPurposedTokenExpiresWithinTheRealmMaximumBootstrapIssuedOnesIncluded(Api api) throws Exception {
        User u = user(api);
        long max = api.adminGet("").json().path("attributes").path(MAX_LIFETIME).asLong();
        assertEquals(30 * 24 * 3600, max, "realm-config sets the secure default of 30 days");

        // within the maximum: as asked; no expiration: the maximum ("never expires" is not offered: README "Where the pack differs")
        assertEquals(3600, lifetime(created(api, u, claim(List.of("*"), List.of(), List.of("upp:verify"), 3600)).get("token").asText()));
        assertEquals(max, lifetime(created(api, u, claim(List.of("*"), List.of(), List.of("upp:verify"), max)).get("token").asText()));
        JsonNode unlimited = created(api, u, claim(List.of("*"), List.of(), List.of("upp:verify"), null));
        assertEquals(max, lifetime(unlimited.get("token").asText()));
        assertEquals(unlimited.at("/jwtClaim/issuedAt").asLong() + max, unlimited.at("/jwtClaim/expiration").asLong());
        Map<String, Object> absent = claim(List.of("*"), List.of(), List.of("upp:verify"), null);
        absent.remove("expiration");
        assertEquals(max, lifetime(created(api, u, absent).get("token").asText()));

        // longer: 400 naming the field, nothing stored
        int before = stored(api, u);
        Api.Resp tooLong = create(api, u, claim(List.of("*"), List.of(), List.of("upp:verify"), max + 1));
        assertEquals(400, tooLong.status(), tooLong.toString());
        assertTrue(tooLong.json().get("error_description").asText().contains("'expiration'"), tooLong.toString());
        assertEquals(400, create(api, u, claim(List.of("*"), List.of(), List.of("upp:verify"), 6311390400L)).status(), "200 years");
        assertEquals(before, stored(api, u));

        // bootstrap-issued tokens: registration 15 minutes, anchoring and verification the maximum
        TestDeviceKeys key = TestDeviceKeys.ec();
        String device = keyedDevice(api, key);
        Api.Resp boot = bootstrap(api, key, bootstrapToken(api, u, List.of(), List.of(group(api, u))), device);
        assertEquals(200, boot.status(), boot.toString());
        assertEquals(900, lifetime(boot.json().at("/registration/token").asText()));
        assertEquals(max, lifetime(boot.json().at("/anchoring/token").asText()), "anchoring tokens get an exp");
        assertEquals(max, lifetime(boot.json().at("/verification/token").asText()), "verification tokens get an exp");

        // the realm attribute is the maximum: lowered below 15 minutes it cuts even the registration token
        String previous = setMaxLifetime(api, "600");
        try {
            assertEquals(600, lifetime(created(api, u, claim(List.of("*"), List.of(), List.of("upp:verify"), null)).get("token").asText()));
            assertEquals(400, create(api, u, claim(List.of("*"), List.of(), List.of("upp:verify"), 601)).status());
            TestDeviceKeys key2 = TestDeviceKeys.ed25519();
            String device2 = keyedDevice(api, key2);
            Api.Resp cut = bootstrap(api, key2, bootstrapToken(api, u, List.of(), List.of(group(api, u))), device2);
            assertEquals(200, cut.status(), cut.toString());
            for (String entry : List.of("registration", "anchoring", "verification")) {
                assertEquals(600, lifetime(cut.json().at("/" + entry + "/token").asText()), entry);
            }
            // an empty or unreadable attribute is the default maximum, never "unlimited"
            setMaxLifetime(api, "");
            assertEquals(30 * 24 * 3600, lifetime(created(api, u, claim(List.of("*"), List.of(), List.of("upp:verify"), null)).get("token").asText()));
            setMaxLifetime(api, "not a number");
            assertEquals(30 * 24 * 3600, lifetime(created(api, u, claim(List.of("*"), List.of(), List.of("upp:verify"), null)).get("token").asText()));
        } finally {
            setMaxLifetime(api, previous);
        }
    }

    // ---- 4. bootstrap honours the token's targetIdentities -------------------------------------

    @Test
    void bootstrapEnrollsOnlyTheDevicesItsTokenTargets(Api api) throws Exception {
        User tenant = user(api);
        String groupId = group(api, tenant);
        TestDeviceKeys k1 = TestDeviceKeys.ec();
        TestDeviceKeys k3 = TestDeviceKeys.ed25519();
        String d1 = keyedDevice(api, k1);
        String d3 = keyedDevice(api, k3);

        // a bootstrap token for a tenant group (README "Bootstrap of devices"; no identities) makes d1 the tenant's
        Api.Resp first = bootstrap(api, k1, bootstrapToken(api, tenant, List.of(), List.of(groupId)), d1);
        assertEquals(200, first.status(), first.toString());

        // a token for [d1] bootstraps d1 ...
        String forD1 = bootstrapToken(api, tenant, List.of(d1), List.of(groupId));
        Api.Resp again = bootstrap(api, k1, forD1, d1);
        assertEquals(200, again.status(), again.toString());
        assertEquals(List.of(d1), SignedJWT.parse(again.json().at("/anchoring/token").asText()).getJWTClaimsSet().getStringListClaim("tid"));

        // ... and does not enroll d3
        assertError(bootstrap(api, k3, forD1, d3), 403, "access_denied");
        assertFalse(device(api, d3).hasNonNull("ownerId"), "d3 stays unowned: " + device(api, d3));
        assertEquals(0, device(api, d3).path("groups").size());

        // the wildcard admits any device
        Api.Resp any = bootstrap(api, k3, bootstrapToken(api, tenant, List.of("*"), List.of(groupId)), d3);
        assertEquals(200, any.status(), any.toString());
        assertEquals(tenant.id(), device(api, d3).get("ownerId").asText());
    }

    // ---- 5. one answer for every token, key and signature problem ------------------------------

    @Test
    void bootstrapTellsAnUnauthenticatedCallerNothingAboutWhyTheTokenKeyOrSignatureFailed(Api api) throws Exception {
        User tenant = user(api);
        String groupId = group(api, tenant);
        TestDeviceKeys key = TestDeviceKeys.ec();
        String thing = keyedDevice(api, key);
        String good = bootstrapToken(api, tenant, List.of(), List.of(groupId));

        // the allowed path
        TestDeviceKeys okKey = TestDeviceKeys.ec();
        Api.Resp ok = bootstrap(api, okKey, good, keyedDevice(api, okKey));
        assertEquals(200, ok.status(), ok.toString());

        // every token, key and signature problem
        JsonNode deleted = created(api, tenant, claim(List.of(), List.of(groupId), List.of("thing:bootstrap"), 3600));
        assertEquals(204, api.delete(purposedUrl(api, "/" + deleted.get("id").asText()), tenant.token()).status());
        String leftGroup = group(api, tenant);
        String tokenOfLeftGroup = bootstrapToken(api, tenant, List.of(), List.of(leftGroup));
        assertEquals(204, api.adminDelete("/users/" + tenant.id() + "/groups/" + leftGroup).status());
        String wrongScope = created(api, tenant, claim(List.of("*"), List.of(), List.of("upp:verify"), 3600)).get("token").asText();
        String keyless = Edge.ownedNode(api, tenant.name(), tenant.password());

        record Case(String what, Api.Resp resp, String reason) {
        }
        List<Case> cases = new ArrayList<>();
        String unknown = bootstrapBody(good, Api.unique("no-such-thing"));
        cases.add(new Case("unknown device", bootstrap(api, unknown, key.sign(unknown, false)), "unknown device"));
        String noKey = bootstrapBody(good, keyless);
        cases.add(new Case("device without a key", bootstrap(api, noKey, key.sign(noKey, false)), "no registered key"));
        String body = bootstrapBody(good, thing);
        cases.add(new Case("signature of another key", bootstrap(api, body, TestDeviceKeys.ec().sign(body, false)), "does not verify"));
        cases.add(new Case("signature of another body", bootstrap(api, body, key.sign(body + " ", false)), "does not verify"));
        cases.add(new Case("signature not base64", bootstrap(api, body, "not base64!"), "does not verify"));
        cases.add(new Case("forged token", bootstrap(api, key, "eyJhbGciOiJFUzI1NiJ9.e30.AAAA", thing), "bootstrap token: signature"));
        cases.add(new Case("deleted token", bootstrap(api, key, deleted.get("token").asText(), thing), "bootstrap token: deleted"));
        cases.add(new Case("owner left the token's group", bootstrap(api, key, tokenOfLeftGroup, thing), "bootstrap token: group mismatch"));
        cases.add(new Case("token without thing:bootstrap", bootstrap(api, key, wrongScope, thing), "lacks the scope"));
        cases.add(new Case("token for other devices", bootstrap(api, key, bootstrapToken(api, tenant, List.of(keyless), List.of(groupId)), thing),
                "does not target"));
        String expected = cases.get(0).resp().body();
        for (Case c : cases) {
            assertEquals(403, c.resp().status(), c.what() + ": " + c.resp());
            assertEquals(expected, c.resp().body(), c.what() + ": the same answer, word for word");
        }
        assertError(cases.get(0).resp(), 403, "access_denied");
        assertFalse(device(api, thing).hasNonNull("ownerId"), "nothing changed");

        // the events keep the reasons, for the administrator
        JsonNode events = api.adminGet("/events?type=TOKEN_EXCHANGE_ERROR&max=1000").json();
        for (Case c : cases) {
            boolean found = false;
            for (JsonNode e : events) {
                found |= e.path("details").path("reason").asText().contains(c.reason());
            }
            assertTrue(found, c.what() + ": an event with reason '" + c.reason() + "'");
        }

        // malformed requests still get a 400 naming what is wrong
        Api.Resp noHeader = bootstrap(api, body, null);
        assertEquals(400, noHeader.status(), noHeader.toString());
        assertTrue(noHeader.json().get("error_description").asText().contains("X-Signature"), noHeader.toString());
        String missing = Api.JSON.writeValueAsString(Map.of("token", good, "identity", thing));
        Api.Resp noTimestamp = bootstrap(api, missing, key.sign(missing, false));
        assertEquals(400, noTimestamp.status(), noTimestamp.toString());
        assertTrue(noTimestamp.json().get("error_description").asText().contains("timestamp"), noTimestamp.toString());
    }

    // ---- 6. a key on a device that has an owner needs the owner -------------------------------

    @Test
    void aKeyForADeviceWithAnOwnerNeedsTheOwnersLoginToken(Api api) throws Exception {
        User owner = user(api);
        User stranger = user(api);

        // an unowned device still registers its own key by proof of possession alone
        TestDeviceKeys free = TestDeviceKeys.ec();
        assertEquals(201, registerKey(api, Api.unique("bound-free"), free, null).status());

        // the owner vouches for the key of a node they associated
        String node = Edge.ownedNode(api, owner.name(), owner.password());
        TestDeviceKeys nodeKey = TestDeviceKeys.ec();
        Api.Resp registered = registerKey(api, node, nodeKey, owner.token());
        assertEquals(201, registered.status(), registered.toString());
        assertEquals(registered.json().get("keyThumbprint").asText(), device(api, node).get("keyThumbprint").asText());
        assertEquals(200, registerKey(api, node, nodeKey, null).status(), "the registered key again changes nothing: no token needed");

        // a node associated but not yet keyed: nobody else may put a key on it
        String victim = Edge.ownedNode(api, owner.name(), owner.password());
        TestDeviceKeys attacker = TestDeviceKeys.ed25519();
        Api.Resp anonymous = registerKey(api, victim, attacker, null);
        assertEquals(401, anonymous.status(), anonymous.toString());
        assertTrue(anonymous.header("WWW-Authenticate").orElse("").startsWith("Bearer"), anonymous.toString());
        Api.Resp otherAccount = registerKey(api, victim, attacker, stranger.token());
        assertError(otherAccount, 404, "not_found"); // another account's device is not revealed
        JsonNode ownersKey = api.createApiKey(owner.token(), Map.of("memo", "not for keys")).json();
        String keyToken = api.apiKeyGrant("iot-api", ownersKey.get("key").asText(), ownersKey.get("secret").asText(), null)
                .json().get("access_token").asText();
        assertEquals(403, registerKey(api, victim, attacker, keyToken).status(), "an API-key token of the owner is not the owner's sign-in");
        assertFalse(device(api, victim).hasNonNull("keyThumbprint"), "no key landed: " + device(api, victim));

        // so the owner's edge exchange still works without an actor token, and the owner can key the node
        Edge.edgeToken(api, owner.name(), owner.password(), victim);
        assertEquals(201, registerKey(api, victim, TestDeviceKeys.ec(), owner.token()).status());
    }
}
