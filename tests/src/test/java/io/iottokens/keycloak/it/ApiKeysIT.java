package io.iottokens.keycloak.it;

import static io.iottokens.keycloak.it.support.Errors.assertError;
import static io.iottokens.keycloak.it.support.Errors.assertOAuthError;
import static io.iottokens.keycloak.it.support.Errors.assertOAuthErrorExactly;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;

import io.iottokens.keycloak.it.support.Api;
import io.iottokens.keycloak.it.support.Fixtures;
import io.iottokens.keycloak.it.support.Fixtures.Key;
import io.iottokens.keycloak.it.support.Fixtures.User;
import io.iottokens.keycloak.it.support.Jwts;
import io.iottokens.keycloak.it.support.KeycloakExtension;
import io.iottokens.keycloak.it.support.RawHttp;

/** API key + secret (t6 key+secret, Ioto CloudAPI tokens): the README section "API keys" on the real server. */
@ExtendWith(KeycloakExtension.class)
class ApiKeysIT {

    /** Every secret a test saw: at the end none of them may appear in the server log. */
    private static final Set<String> SECRETS_SEEN = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** A fresh user with the given extra roles, and their access token. */
    private static User user(Api api, String... roles) {
        return Fixtures.user(api, "keys", roles);
    }

    private static JsonNode create(Api api, User u, Object body) {
        JsonNode key = Fixtures.createdApiKey(api, u.token(), body);
        SECRETS_SEEN.add(key.get("secret").asText());
        return key;
    }

    /** A new key of {@code u} with this memo. */
    private static Key key(Api api, User u, String memo) {
        return Key.of(create(api, u, Map.of("memo", memo)));
    }

    /** The key grant on iot-api with a key as its creation answered it. */
    private static Api.Resp grant(Api api, JsonNode created) {
        return api.apiKeyGrant("iot-api", created.get("key").asText(), created.get("secret").asText(), null);
    }

    private static void assertInvalidGrant(Api.Resp r, String what) {
        assertOAuthErrorExactly(r, 400, "invalid_grant", "Invalid API key or secret", what);
    }

    // ---- create, list, grant ------------------------------------------------------------------

    @Test
    void createReturnsTheSecretOnceAndNeverAgain(Api api) {
        User u = user(api);
        JsonNode key = create(api, u, Map.of("memo", "datapoint writer", "duration", "1w"));
        assertTrue(key.get("key").asText().startsWith("iotk_"), key.toString());
        assertTrue(key.get("secret").asText().startsWith("iots_"), "secrets carry a scanner-friendly prefix");
        assertEquals("active", key.get("status").asText());
        assertEquals("datapoint writer", key.get("memo").asText());
        assertTrue(key.hasNonNull("createdAt") && key.hasNonNull("expiresAt"));
        long days = java.time.Duration.between(java.time.Instant.parse(key.get("createdAt").asText()),
                java.time.Instant.parse(key.get("expiresAt").asText())).toDays();
        assertEquals(7, days, "1w = 7 days");

        Api.Resp list = api.get(api.apiKeysUrl(), u.token());
        assertEquals(200, list.status());
        assertEquals("no-store", list.header("Cache-Control").orElse(""));
        assertEquals(1, list.json().size());
        assertFalse(list.json().get(0).has("secret"), "no secret in lists: " + list);
        assertFalse(list.body().contains(key.get("secret").asText()));
        Api.Resp one = api.get(api.apiKeysUrl() + "/" + key.get("id").asText(), u.token());
        assertEquals(200, one.status());
        assertFalse(one.json().has("secret"));
        assertEquals(key.get("key").asText(), one.json().get("key").asText());
    }

    @Test
    void grantGivesTheOwnersTokensVerifiableAgainstTheRealmJwks(Api api) throws Exception {
        User u = user(api, "admin");
        JsonNode key = create(api, u, Map.of("memo", "ci"));
        assertFalse(key.has("expiresAt"), "no duration, no realm maximum: no expiry");

        Api.Resp r = api.apiKeyGrant("iot-api", key.get("key").asText(), key.get("secret").asText(), "openid");
        assertEquals(200, r.status(), r.toString());
        JsonNode body = r.json();
        assertTrue(body.hasNonNull("refresh_token") && body.hasNonNull("id_token"));

        JWTClaimsSet at = Jwts.verify(api, body.get("access_token").asText());
        Jwts.assertLifetime(300, at, "iot-api's 5 minutes");
        assertEquals(u.id(), at.getSubject());
        assertEquals(u.name(), at.getStringClaim("preferred_username"));
        assertEquals(key.get("id").asText(), at.getStringClaim("api_key_id"));
        assertEquals("iot-api", at.getStringClaim("azp"));
        @SuppressWarnings("unchecked")
        List<String> roles = (List<String>) at.getJSONObjectClaim("realm_access").get("roles");
        assertTrue(roles.containsAll(List.of("user", "admin")), "the owner's roles, as with a password login: " + roles);
        // the same claims a password login gives
        JWTClaimsSet pw = Jwts.verify(api, u.token());
        Set<String> pwClaims = new HashSet<>(pw.getClaims().keySet());
        Set<String> keyClaims = new HashSet<>(at.getClaims().keySet());
        keyClaims.remove("api_key_id");
        assertEquals(pwClaims, keyClaims, "claim names of a password login");

        JWTClaimsSet id = Jwts.verify(api, body.get("id_token").asText());
        assertEquals(u.id(), id.getSubject());

        Api.Resp refreshed = api.refresh("iot-api", body.get("refresh_token").asText());
        assertEquals(200, refreshed.status(), refreshed.toString());
        assertEquals(key.get("id").asText(), Jwts.verify(api, refreshed.json().get("access_token").asText()).getStringClaim("api_key_id"));

        JsonNode listed = api.get(api.apiKeysUrl() + "/" + key.get("id").asText(), u.token()).json();
        assertTrue(listed.hasNonNull("lastUsedAt"), "last use recorded: " + listed);
    }

    @Test
    void grantsOfOneKeyShareOneSession(Api api) {
        User u = user(api);
        int before = api.adminGet("/users/" + u.id() + "/sessions").json().size();
        JsonNode key = create(api, u, Map.of("memo", "chatty device"));
        String first = null;
        for (int i = 0; i < 5; i++) {
            Api.Resp r = grant(api, key);
            assertEquals(200, r.status(), r.toString());
            assertEquals(200, api.refresh("iot-api", r.json().get("refresh_token").asText()).status(), "every refresh token works");
            if (first == null) {
                first = r.json().get("session_state").asText();
            }
            assertEquals(first, r.json().get("session_state").asText(), "the same session each time");
        }
        assertEquals(before + 1, api.adminGet("/users/" + u.id() + "/sessions").json().size(),
                "five grants, one session: a device does not pile up sessions");
    }

    @Test
    void rolesRestrictTheTokensAlsoAfterRefresh(Api api) throws Exception {
        User u = user(api, "admin", "owner");
        JsonNode key = create(api, u, Map.of("memo", "read only", "roles", List.of("user")));
        assertEquals("[\"user\"]", key.get("roles").toString());
        Api.Resp r = grant(api, key);
        assertEquals(200, r.status(), r.toString());
        assertEquals(List.of("user"), realmRoles(api, r.json().get("access_token").asText()));
        assertFalse(Jwts.verify(api, r.json().get("access_token").asText()).getClaims().containsKey("resource_access"),
                "client roles are dropped from a restricted token");
        Api.Resp refreshed = api.refresh("iot-api", r.json().get("refresh_token").asText());
        assertEquals(List.of("user"), realmRoles(api, refreshed.json().get("access_token").asText()), "still cut after refresh");

        JsonNode owner = create(api, u, Map.of("memo", "cloud api", "roles", List.of("owner", "owner")));
        assertEquals("[\"owner\"]", owner.get("roles").toString(), "duplicates folded");
    }

    @Test
    void askingForARoleYouLackIs403AndAnUnknownRoleIs400(Api api) {
        User u = user(api);
        assertError(api.createApiKey(u.token(), Map.of("roles", List.of("owner"))), 403, "access_denied", "owner");
        assertError(api.createApiKey(u.token(), Map.of("roles", List.of("no-such-role"))), 400, "invalid_request", "no-such-role");
        assertEquals(0, api.get(api.apiKeysUrl(), u.token()).json().size(), "nothing was created");
    }

    // ---- refusals -----------------------------------------------------------------------------

    @Test
    void everyRefusedCredentialIsTheSameInvalidGrant(Api api) throws Exception {
        User u = user(api);
        JsonNode good = create(api, u, Map.of("memo", "good"));
        String key = good.get("key").asText();
        String secret = good.get("secret").asText();

        char last = secret.charAt(secret.length() - 1);
        String wrong = secret.substring(0, secret.length() - 1) + (last == 'x' ? 'y' : 'x');
        assertInvalidGrant(api.apiKeyGrant("iot-api", key, wrong, null), "wrong secret");
        assertInvalidGrant(api.apiKeyGrant("iot-api", "iotk_0000000000000000000000", secret, null), "unknown key");
        assertInvalidGrant(api.apiKeyGrant("iot-api", "not-a-key", "not-a-secret", null), "malformed key");

        JsonNode suspended = create(api, u, Map.of("memo", "suspended"));
        assertEquals(200, api.postJson(api.apiKeysUrl() + "/" + suspended.get("id").asText() + "/suspend", "", u.token()).status());
        assertInvalidGrant(grant(api, suspended), "suspended");

        JsonNode revoked = create(api, u, Map.of("memo", "revoked"));
        assertEquals(200, api.postJson(api.apiKeysUrl() + "/" + revoked.get("id").asText() + "/revoke", "", u.token()).status());
        assertInvalidGrant(grant(api, revoked), "revoked");

        JsonNode expiring = create(api, u, Map.of("memo", "short", "duration", "PT2S"));
        Thread.sleep(2500);
        assertInvalidGrant(grant(api, expiring), "expired");
        assertEquals("expired", api.get(api.apiKeysUrl() + "/" + expiring.get("id").asText(), u.token()).json().get("status").asText());

        assertEquals(200, api.apiKeyGrant("iot-api", key, secret, null).status(), "the good key still works");
    }

    @Test
    void disabledOwnerIsRefused(Api api) {
        User u = user(api);
        Key key = key(api, u, "owner state");
        Fixtures.setUserEnabled(api, u.id(), false);
        assertInvalidGrant(api.apiKeyGrant("iot-api", key.key(), key.secret(), null), "disabled owner");
        Fixtures.setUserEnabled(api, u.id(), true);
        assertEquals(200, api.apiKeyGrant("iot-api", key.key(), key.secret(), null).status());

        // a password lockout of the owner does not stop the key: ApiKeyCredentialIT.wrongPasswordsNeverLockAValidKey
    }

    @Test
    void clientWithoutTheAttributeIsUnauthorizedClient(Api api) {
        User u = user(api);
        Key key = key(api, u, "x");
        assertOAuthError(api.apiKeyGrant("iot-console", key.key(), key.secret(), null), 400, "unauthorized_client");
        assertOAuthError(api.token(Map.of("grant_type", Api.API_KEY_GRANT, "client_id", "iot-api", "api_key", key.key())), 400,
                "invalid_request", "api_secret");
    }

    @Test
    void offlineAccessIsNotAvailableWithApiKeys(Api api) {
        User u = user(api);
        Key key = key(api, u, "x");
        assertOAuthError(api.apiKeyGrant("iot-api", key.key(), key.secret(), "offline_access"), 400, "invalid_scope");
    }

    // ---- lifecycle ----------------------------------------------------------------------------

    @Test
    void suspendEndsRefreshAndResumeRestores(Api api) {
        User u = user(api);
        JsonNode key = create(api, u, Map.of("memo", "lifecycle"));
        String url = api.apiKeysUrl() + "/" + key.get("id").asText();
        Api.Resp before = grant(api, key);
        assertEquals(200, before.status());

        Api.Resp suspended = api.postJson(url + "/suspend", "", u.token());
        assertEquals(200, suspended.status(), suspended.toString());
        assertEquals("suspended", suspended.json().get("status").asText());
        assertOAuthError(api.refresh("iot-api", before.json().get("refresh_token").asText()), 400, "invalid_grant");
        assertFalse(api.introspect(before.json().get("access_token").asText()).json().get("active").asBoolean());

        Api.Resp resumed = api.postJson(url + "/resume", "", u.token());
        assertEquals("active", resumed.json().get("status").asText());
        assertEquals(200, grant(api, key).status());
    }

    @Test
    void revokeMakesIntrospectionInactiveAndIsFinal(Api api) {
        User u = user(api);
        JsonNode key = create(api, u, Map.of("memo", "revoke me"));
        JsonNode other = create(api, u, Map.of("memo", "untouched"));
        String url = api.apiKeysUrl() + "/" + key.get("id").asText();
        String access = grant(api, key).json().get("access_token").asText();
        String otherAccess = grant(api, other).json().get("access_token").asText();
        assertTrue(api.introspect(access).json().get("active").asBoolean(), "active before");

        assertEquals("revoked", api.postJson(url + "/revoke", "", u.token()).json().get("status").asText());
        assertFalse(api.introspect(access).json().get("active").asBoolean(), "inactive after revoke");
        assertTrue(api.introspect(otherAccess).json().get("active").asBoolean(), "another key's token is untouched");

        assertError(api.postJson(url + "/resume", "", u.token()), 409, "conflict", "revoked");
        assertError(api.postJson(url + "/rotate", "{}", u.token()), 409, "conflict", "revoked");
        assertEquals(204, api.delete(url, u.token()).status());
        assertEquals(404, api.get(url, u.token()).status());
    }

    @Test
    void rotateRefusesTheOldSecretUnlessWithinTheGracePeriod(Api api) throws Exception {
        User u = user(api);
        JsonNode key = create(api, u, Map.of("memo", "rotating"));
        String url = api.apiKeysUrl() + "/" + key.get("id").asText();
        String k = key.get("key").asText();
        String oldSecret = key.get("secret").asText();
        Api.Resp before = api.apiKeyGrant("iot-api", k, oldSecret, null);

        Api.Resp rotated = api.postJson(url + "/rotate", Map.of("graceSeconds", 0), u.token());
        assertEquals(200, rotated.status(), rotated.toString());
        String newSecret = rotated.json().get("secret").asText();
        SECRETS_SEEN.add(newSecret);
        assertNotEquals(oldSecret, newSecret);
        assertEquals(k, rotated.json().get("key").asText(), "the key stays, the secret changes");
        assertInvalidGrant(api.apiKeyGrant("iot-api", k, oldSecret, null), "old secret, grace 0");
        assertEquals(400, api.refresh("iot-api", before.json().get("refresh_token").asText()).status(), "rotation ends the key's sessions");
        assertEquals(200, api.apiKeyGrant("iot-api", k, newSecret, null).status());

        Api.Resp graced = api.postJson(url + "/rotate", Map.of("graceSeconds", 3), u.token());
        String third = graced.json().get("secret").asText();
        SECRETS_SEEN.add(third);
        assertTrue(graced.json().hasNonNull("previousSecretValidUntil"));
        Api.Resp withOld = api.apiKeyGrant("iot-api", k, newSecret, null);
        assertEquals(200, withOld.status(), "previous secret accepted within the grace period: " + withOld);
        assertFalse(withOld.json().hasNonNull("refresh_token"), "the previous secret gets access tokens only");
        assertEquals(200, api.apiKeyGrant("iot-api", k, third, null).status());
        Thread.sleep(3500);
        assertInvalidGrant(api.apiKeyGrant("iot-api", k, newSecret, null), "previous secret after the grace period");
        assertEquals(200, api.apiKeyGrant("iot-api", k, third, null).status());
    }

    @Test
    void anotherUsersKeyIsNotFound(Api api) {
        User alice = user(api);
        User mallory = user(api);
        JsonNode key = create(api, alice, Map.of("memo", "mine"));
        String url = api.apiKeysUrl() + "/" + key.get("id").asText();
        assertError(api.get(url, mallory.token()), 404, "not_found");
        for (String action : List.of("suspend", "resume", "revoke", "rotate")) {
            assertError(api.postJson(url + "/" + action, "{}", mallory.token()), 404, "not_found");
        }
        assertError(api.delete(url, mallory.token()), 404, "not_found");
        assertEquals(0, api.get(api.apiKeysUrl(), mallory.token()).json().size());
        assertEquals("active", api.get(url, alice.token()).json().get("status").asText(), "nothing changed");
        assertError(api.get(api.apiKeysUrl() + "/no-such-id", alice.token()), 404, "not_found");
    }

    // ---- callers --------------------------------------------------------------------------------

    @Test
    void callersNeedAValidUserTokenThatDidNotComeFromAnApiKey(Api api) {
        Api.Resp none = api.get(api.apiKeysUrl(), null);
        assertEquals(401, none.status());
        assertEquals("Bearer realm=\"iot\"", none.header("WWW-Authenticate").orElse(""));
        assertError(none, 401, "invalid_token");
        assertError(api.get(api.apiKeysUrl(), "not.a.token"), 401, "invalid_token");

        User u = user(api);
        JsonNode key = create(api, u, Map.of("memo", "x"));
        String keyToken = grant(api, key).json().get("access_token").asText();
        assertError(api.createApiKey(keyToken, Map.of("memo", "minted by a key")), 403, "access_denied", "API key");
    }

    @Test
    void badInputIsA4xxInTheContractShapeAndChangesNothing(Api api) {
        User u = user(api);
        String t = u.token();
        assertError(api.createApiKey(t, "{\"memo\": "), 400, "invalid_request", "JSON");
        assertError(api.createApiKey(t, "[1,2]"), 400, "invalid_request", "object");
        assertError(api.createApiKey(t, Map.of("duration", "2 weeks")), 400, "invalid_request", "duration");
        assertError(api.createApiKey(t, Map.of("duration", "P-1D")), 400, "invalid_request", "duration");
        assertError(api.createApiKey(t, Map.of("duration", 30)), 400, "invalid_request", "duration");
        assertError(api.createApiKey(t, Map.of("memo", "m".repeat(256))), 400, "invalid_request", "memo");
        assertError(api.createApiKey(t, Map.of("memo", 5)), 400, "invalid_request", "memo");
        assertError(api.createApiKey(t, Map.of("roles", "user")), 400, "invalid_request", "roles");
        assertError(api.createApiKey(t, Map.of("secret", "chosen-by-me")), 400, "invalid_request", "secret");
        assertError(api.createApiKey(t, "{\"memo\": \"" + "x".repeat(20000) + "\"}"), 413, "request_too_large");
        assertError(api.get(api.apiKeysUrl() + "?max=0", t), 400, "invalid_request", "max");
        assertError(api.get(api.apiKeysUrl() + "?max=101", t), 400, "invalid_request", "max");
        assertError(api.get(api.apiKeysUrl() + "?first=-1", t), 400, "invalid_request", "first");
        assertError(api.get(api.apiKeysUrl() + "?first=abc", t), 400, "invalid_request", "first");
        assertError(api.get(api.apiKeysUrl() + "?status=deleted", t), 400, "invalid_request", "status");
        assertEquals(0, api.get(api.apiKeysUrl(), t).json().size(), "nothing was created by bad input");

        JsonNode key = create(api, u, Map.of("memo", "m".repeat(255)));
        String url = api.apiKeysUrl() + "/" + key.get("id").asText();
        assertError(api.postJson(url + "/rotate", Map.of("graceSeconds", -1), t), 400, "invalid_request", "graceSeconds");
        assertError(api.postJson(url + "/rotate", Map.of("graceSeconds", "soon"), t), 400, "invalid_request", "graceSeconds");
        assertError(api.postJson(url + "/explode", "", t), 404, "not_found");
        assertEquals(200, grant(api, key).status(),
                "the key's secret is unchanged after refused rotations");
    }

    @Test
    void listsArePaged(Api api) {
        User u = user(api);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(create(api, u, Map.of("memo", "k" + i)).get("id").asText());
        }
        List<String> seen = new ArrayList<>();
        for (int first = 0; first < 6; first += 2) {
            JsonNode page = api.get(api.apiKeysUrl() + "?first=" + first + "&max=2", u.token()).json();
            assertTrue(page.size() <= 2);
            page.forEach(k -> seen.add(k.get("id").asText()));
        }
        assertEquals(5, seen.size());
        assertEquals(new HashSet<>(ids), new HashSet<>(seen), "each key once over the pages");
        api.postJson(api.apiKeysUrl() + "/" + ids.get(0) + "/suspend", "", u.token());
        JsonNode suspended = api.get(api.apiKeysUrl() + "?status=suspended", u.token()).json();
        assertEquals(1, suspended.size());
        assertEquals(ids.get(0), suspended.get(0).get("id").asText());
    }

    @Test
    void realmMaximumLifetimeIsEnforced(Api api) {
        Fixtures.realmAttribute(api, "iottokens.apiKey.maxLifetime", "P30D");
        try {
            User u = user(api);
            assertError(api.createApiKey(u.token(), Map.of("memo", "forever")), 400, "invalid_request", "duration");
            assertError(api.createApiKey(u.token(), Map.of("duration", "1y")), 400, "invalid_request", "duration");
            assertEquals(201, api.createApiKey(u.token(), Map.of("duration", "1m")).status());
        } finally {
            Fixtures.realmAttribute(api, "iottokens.apiKey.maxLifetime", null);
        }
    }

    // ---- throttling -----------------------------------------------------------------------------

    @Test
    void wrongSecretsBlockThatAddressForThatKeyButNotTheOwner(Api api) {
        User u = user(api);
        Key key = key(api, u, "under attack");
        String k = key.key();
        String secret = key.secret();
        String url = api.tokenUrl(Api.REALM);
        Map<String, String> wrong = Map.of("grant_type", Api.API_KEY_GRANT, "client_id", "iot-api", "api_key", k, "api_secret", "iots_guess");
        for (int i = 0; i < KeycloakExtension.KEY_ADDRESS_FAILURES; i++) {
            assertInvalidGrant(RawHttp.postForm("127.0.0.2", url, wrong), "guess " + i);
        }
        Map<String, String> right = Map.of("grant_type", Api.API_KEY_GRANT, "client_id", "iot-api", "api_key", k, "api_secret", secret);
        assertInvalidGrant(RawHttp.postForm("127.0.0.2", url, right), "the attacker's address is blocked even with the right secret");
        assertEquals(200, RawHttp.postForm("127.0.0.4", url, right).status(), "the owner, elsewhere, is not locked out");
        assertEquals(200, api.apiKeyGrant("iot-api", k, secret, null).status());
    }

    @Test
    void oneAddressSprayingManyKeysIsBlocked(Api api) {
        User u = user(api);
        JsonNode key = create(api, u, Map.of("memo", "sprayed"));
        String url = api.tokenUrl(Api.REALM);
        for (int i = 0; i < KeycloakExtension.ADDRESS_FAILURES; i++) {
            RawHttp.postForm("127.0.0.3", url, Map.of("grant_type", Api.API_KEY_GRANT, "client_id", "iot-api",
                    "api_key", "iotk_" + String.format("%022d", i), "api_secret", "iots_x"));
        }
        Map<String, String> right = Map.of("grant_type", Api.API_KEY_GRANT, "client_id", "iot-api",
                "api_key", key.get("key").asText(), "api_secret", key.get("secret").asText());
        assertInvalidGrant(RawHttp.postForm("127.0.0.3", url, right), "the spraying address is blocked for every key");
        assertEquals(200, RawHttp.postForm("127.0.0.5", url, right).status());
    }

    // ---- admin ----------------------------------------------------------------------------------

    @Test
    void adminListsAndRevokesAnyUsersKeysWithAdminEvents(Api api) {
        User u = user(api);
        JsonNode key = create(api, u, Map.of("memo", "seen by the operator"));
        String id = key.get("id").asText();

        JsonNode listed = api.adminGet("/api-keys?user=" + u.id()).json();
        assertEquals(1, listed.size(), listed.toString());
        assertEquals(id, listed.get(0).get("id").asText());
        assertEquals(u.id(), listed.get(0).get("userId").asText());
        assertFalse(listed.get(0).has("secret"));
        assertEquals(1, api.adminGet("/api-keys?user=" + u.name()).json().size(), "user by username too");

        Api.Resp revoked = api.adminPost("/api-keys/" + id + "/revoke", Map.of());
        assertEquals(200, revoked.status(), revoked.toString());
        assertEquals("revoked", revoked.json().get("status").asText());
        assertEquals("revoked", api.get(api.apiKeysUrl() + "/" + id, u.token()).json().get("status").asText());
        assertEquals(1, api.adminGet("/api-keys?status=revoked&user=" + u.id()).json().size());

        Api.Resp made = api.adminPost("/api-keys", Map.of("userId", u.id(), "memo", "cloud api", "duration", "1y"));
        assertEquals(201, made.status(), made.toString());
        SECRETS_SEEN.add(made.json().get("secret").asText());
        assertEquals(200, api.apiKeyGrant("iot-api", made.json().get("key").asText(), made.json().get("secret").asText(), null).status());

        JsonNode events = api.adminGet("/admin-events?resourceTypes=CUSTOM&resourcePath=api-keys/*&max=200").json();
        boolean sawRevoke = false;
        boolean sawCreate = false;
        for (JsonNode e : events) {
            String path = e.path("resourcePath").asText();
            sawRevoke |= path.equals("api-keys/" + id) && e.path("operationType").asText().equals("ACTION");
            sawCreate |= path.equals("api-keys/" + made.json().get("id").asText()) && e.path("operationType").asText().equals("CREATE");
            assertFalse(e.path("representation").asText().contains("iots_"), "no secret in admin events");
        }
        assertTrue(sawRevoke && sawCreate, "admin events recorded: " + events);

        assertError(api.adminGet("/api-keys?user=nobody-" + id), 404, "not_found");
        assertError(api.adminGet("/api-keys?max=500"), 400, "invalid_request", "max");
        assertError(api.adminPost("/api-keys", Map.of("memo", "no owner")), 400, "invalid_request", "userId");
    }

    @Test
    void regularUsersCannotUseTheAdminApi(Api api) {
        User u = user(api);
        Api.Resp r = api.get(api.server().adminUrl(Api.REALM) + "/api-keys", u.token());
        assertEquals(403, r.status(), r.toString());
    }

    @Test
    void grantsAreEventsWithTheKeyId(Api api) {
        User u = user(api);
        JsonNode key = create(api, u, Map.of("memo", "audited"));
        grant(api, key);
        api.apiKeyGrant("iot-api", key.get("key").asText(), "iots_wrong", null);
        JsonNode events = api.adminGet("/events?user=" + u.id() + "&max=50").json();
        boolean ok = false;
        boolean refused = false;
        for (JsonNode e : events) {
            if (key.get("id").asText().equals(e.path("details").path("api_key_id").asText())) {
                ok |= e.get("type").asText().equals("LOGIN");
                refused |= e.get("type").asText().equals("LOGIN_ERROR");
            }
        }
        assertTrue(ok && refused, "LOGIN and LOGIN_ERROR with api_key_id: " + events);
    }

    @Test
    void deletingTheOwnerDeletesTheirKeys(Api api) {
        User u = user(api);
        JsonNode key = create(api, u, Map.of("memo", "orphan?"));
        assertEquals(204, api.adminDelete("/users/" + u.id()).status());
        assertEquals(404, api.adminGet("/api-keys/" + key.get("id").asText()).status());
        assertInvalidGrant(grant(api, key), "deleted owner");
    }

    @Test
    void noSecretReachesTheServerLog(Api api) throws Exception {
        User u = user(api);
        JsonNode key = create(api, u, Map.of("memo", "log check"));
        grant(api, key);
        api.apiKeyGrant("iot-api", key.get("key").asText(), key.get("secret").asText() + "x", null);
        String log = Files.readString(api.server().logFile());
        for (String s : SECRETS_SEEN) {
            assertFalse(log.contains(s), "a secret is in the server log");
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> realmRoles(Api api, String token) throws Exception {
        List<String> roles = new ArrayList<>((List<String>) Jwts.verify(api, token).getJSONObjectClaim("realm_access").get("roles"));
        java.util.Collections.sort(roles);
        return roles;
    }
}
