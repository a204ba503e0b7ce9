package io.iottokens.keycloak.it;

import static io.iottokens.keycloak.it.support.Errors.assertError;
import static io.iottokens.keycloak.it.support.Errors.assertOAuthErrorExactly;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

import io.iottokens.keycloak.it.support.Api;
import io.iottokens.keycloak.it.support.Fixtures;
import io.iottokens.keycloak.it.support.Fixtures.Key;
import io.iottokens.keycloak.it.support.Fixtures.User;
import io.iottokens.keycloak.it.support.KeycloakExtension;
import io.iottokens.keycloak.it.support.KeycloakServer;
import io.iottokens.keycloak.it.support.Race;
import io.iottokens.keycloak.it.support.RawHttp;
import io.iottokens.keycloak.it.support.TestEnv;

/**
 * The API key as a credential of its own (issue 12): its lockout is separate from the owner's password, its
 * throttle holds under concurrency, every session it creates ends with it, concurrent changes of one key are
 * serialised, and the realm's hash key is no realm attribute. Each test proves the positive path first.
 */
@ExtendWith(KeycloakExtension.class)
class ApiKeyCredentialIT {

    /** The server default of {@code lockout-key-failures} (the test server leaves it unset). */
    private static final int KEY_LOCKOUT_FAILURES = 20;
    private static final String LEGACY_HASH_KEY_ATTRIBUTE = "iottokens.apiKey.hashKey";

    /** Source addresses 127.0.x.y handed out once each, so no test trips another's per-address counters. */
    private static final AtomicInteger NEXT_ADDRESS = new AtomicInteger();

    private static KeycloakServer noPepper;

    private static User user(Api api) {
        return Fixtures.user(api, "cred");
    }

    private static Key key(Api api, User u) {
        return Key.of(Fixtures.createdApiKey(api, u.token(), Map.of("memo", "credential test")));
    }

    private static String freshAddress() {
        int n = NEXT_ADDRESS.getAndIncrement();
        return "127.0." + (20 + n / 250) + "." + (2 + n % 250);
    }

    /** The key grant on iot-api from the given local address. */
    private static Api.Resp grantFrom(Api api, String address, String key, String secret) {
        return RawHttp.postForm(address, api.tokenUrl(Api.REALM), Map.of("grant_type", Api.API_KEY_GRANT,
                "client_id", "iot-api", "api_key", key, "api_secret", secret));
    }

    private static String wrongSecret(String secret) {
        char last = secret.charAt(secret.length() - 1);
        return secret.substring(0, secret.length() - 1) + (last == 'x' ? 'y' : 'x');
    }

    private static void assertInvalidGrant(Api.Resp r, String what) {
        assertOAuthErrorExactly(r, 400, "invalid_grant", "Invalid API key or secret", what);
    }

    private static boolean active(Api api, String accessToken) {
        return api.introspect(accessToken).json().get("active").asBoolean();
    }

    /**
     * The same form POSTed {@code n} times from one local address, all arriving together: every connection is opened
     * and sent all but the last byte first, then the last bytes are released at once, so the server judges the
     * requests side by side rather than one after the other as they connect. Returns the HTTP statuses.
     */
    private static List<Integer> simultaneousPosts(String fromAddress, String url, Map<String, String> form, int n) throws Exception {
        java.net.URI u = java.net.URI.create(url);
        byte[] body = Api.form(form).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] head = ("POST " + u.getRawPath() + " HTTP/1.1\r\nHost: " + u.getHost() + ":" + u.getPort()
                + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length
                + "\r\nConnection: close\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        List<java.net.Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                java.net.Socket s = new java.net.Socket();
                s.bind(new java.net.InetSocketAddress(fromAddress, 0));
                s.connect(new java.net.InetSocketAddress(u.getHost(), u.getPort()), 5000);
                s.setSoTimeout(60000);
                s.getOutputStream().write(head);
                s.getOutputStream().write(body, 0, body.length - 1);
                s.getOutputStream().flush();
                sockets.add(s);
            }
            List<Callable<Integer>> tasks = new ArrayList<>();
            for (java.net.Socket s : sockets) {
                tasks.add(() -> {
                    s.getOutputStream().write(body, body.length - 1, 1);
                    s.getOutputStream().flush();
                    String raw = new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                    return Integer.parseInt(raw.substring(9, 12));
                });
            }
            return Race.all(tasks);
        } finally {
            for (java.net.Socket s : sockets) {
                s.close();
            }
        }
    }

    /** LOGIN_ERROR events, polled until {@code expected} are there (Keycloak may store them a moment later) or 5 s pass. */
    private static JsonNode loginErrors(Api api, String query, int expected) throws InterruptedException {
        JsonNode events = api.adminGet("/events?type=LOGIN_ERROR&max=1000&" + query).json();
        for (int i = 0; i < 50 && events.size() < expected; i++) {
            Thread.sleep(100);
            events = api.adminGet("/events?type=LOGIN_ERROR&max=1000&" + query).json();
        }
        return events;
    }

    private static Map<String, Integer> reasons(JsonNode events) {
        Map<String, Integer> out = new HashMap<>();
        events.forEach(e -> out.merge(e.path("details").path("reason").asText("(none)"), 1, Integer::sum));
        return out;
    }

    // ---- lockout: the key's and the password's are separate --------------------------------------------------------

    @Test
    void wrongPasswordsNeverLockAValidKey(Api api) {
        User u = user(api);
        Key k = key(api, u);
        assertEquals(200, api.apiKeyGrant("iot-api", k.key(), k.secret(), null).status(), "the key works");
        assertEquals(200, api.passwordGrant("iot-api", u.name(), u.password(), null).status(), "the password works");

        // five wrong passwords (the realm's failure factor; faster ones lock at the second): the password is locked
        for (int i = 0; i < 5; i++) {
            assertEquals(400, api.passwordGrant("iot-api", u.name(), "wrong-password-" + i, null).status());
        }
        assertTrue(api.bruteForceStatus(u.id(), true).get("disabled").asBoolean(), "the password is locked");
        try {
            for (int i = 0; i < 3; i++) {
                Api.Resp r = api.apiKeyGrant("iot-api", k.key(), k.secret(), null);
                assertEquals(200, r.status(), "the key still works while the password is locked: " + r);
                assertTrue(r.json().hasNonNull("refresh_token"));
            }
            Api.Resp password = api.passwordGrant("iot-api", u.name(), u.password(), null);
            assertEquals(400, password.status(), "the password login stays locked: " + password);
            assertFalse(password.json().has("access_token"));
            assertTrue(api.bruteForceStatus(u.id(), true).get("disabled").asBoolean(), "key grants do not unlock the password");
        } finally {
            api.adminDelete("/attack-detection/brute-force/users/" + u.id());
        }
    }

    @Test
    void wrongSecretsNeverLockThePassword(Api api) {
        User u = user(api);
        Key k = key(api, u);
        assertEquals(200, grantFrom(api, freshAddress(), k.key(), k.secret()).status(), "the key works");
        JsonNode clean = api.bruteForceStatus(u.id(), false);
        assertEquals(0, clean.get("numFailures").asInt(), clean.toString());

        // wrong secrets in quick succession (which would trip the password's quick-login rule), from several addresses
        for (int i = 0; i < 12; i++) {
            assertInvalidGrant(grantFrom(api, freshAddress(), k.key(), wrongSecret(k.secret())), "wrong secret " + i);
        }
        JsonNode status = api.bruteForceStatus(u.id(), false);
        assertFalse(status.get("disabled").asBoolean(), "wrong secrets do not lock the password: " + status);
        assertEquals(0, status.get("numFailures").asInt(), "nor count as failed logins: " + status);
        assertEquals(200, api.passwordGrant("iot-api", u.name(), u.password(), null).status(), "the password works");
        assertEquals(200, grantFrom(api, freshAddress(), k.key(), k.secret()).status(), "12 wrong secrets are below the key's lockout");
    }

    @Test
    void keyLocksAfterTooManyWrongSecretsEvenFromManyAddresses(Api api) throws Exception {
        User u = user(api);
        Key k = key(api, u);
        Key other = key(api, u);
        assertEquals(200, grantFrom(api, freshAddress(), k.key(), k.secret()).status());

        // one wrong secret per address: no address and no key-address pair ever reaches its own limit
        for (int i = 0; i < KEY_LOCKOUT_FAILURES - 1; i++) {
            assertInvalidGrant(grantFrom(api, freshAddress(), k.key(), wrongSecret(k.secret())), "guess " + i);
        }
        assertEquals(200, grantFrom(api, freshAddress(), k.key(), k.secret()).status(), "one below the limit the key still works");
        assertInvalidGrant(grantFrom(api, freshAddress(), k.key(), wrongSecret(k.secret())), "the guess that locks");

        String ownerAddress = freshAddress();
        assertInvalidGrant(grantFrom(api, ownerAddress, k.key(), k.secret()), "the locked key refuses the right secret too");
        assertInvalidGrant(api.apiKeyGrant("iot-api", k.key(), k.secret(), null), "from every address");
        assertEquals(200, grantFrom(api, ownerAddress, other.key(), other.secret()).status(), "the owner's other key is not locked");
        assertEquals(200, api.passwordGrant("iot-api", u.name(), u.password(), null).status(), "nor is the password");

        JsonNode events = loginErrors(api, "user=" + u.id(), KEY_LOCKOUT_FAILURES + 2);
        Map<String, Integer> reasons = reasons(events);
        assertEquals(KEY_LOCKOUT_FAILURES, reasons.getOrDefault("wrong_api_secret", 0), "every guess counted: " + reasons);
        assertTrue(reasons.getOrDefault("api_key_locked", 0) >= 2, "the event records the lockout as the reason: " + reasons);
    }

    // ---- the throttle under concurrency --------------------------------------------------------------------------------

    @Test
    void concurrentWrongGuessesNeverExceedTheLimit(Api api) throws Exception {
        User u = user(api);
        Key k = key(api, u);
        String attacker = freshAddress();
        assertEquals(200, grantFrom(api, attacker, k.key(), k.secret()).status(), "the key works from the attacker's address too");

        int guesses = 40;
        List<Integer> statuses = simultaneousPosts(attacker, api.tokenUrl(Api.REALM), Map.of("grant_type", Api.API_KEY_GRANT,
                "client_id", "iot-api", "api_key", k.key(), "api_secret", wrongSecret(k.secret())), guesses);
        assertEquals(Collections.nCopies(guesses, 400), statuses, "every guess is refused");
        JsonNode events = loginErrors(api, "ipAddress=" + attacker, guesses);
        Map<String, Integer> reasons = reasons(events);
        int judged = reasons.getOrDefault("wrong_api_secret", 0);
        int throttled = reasons.getOrDefault("throttled", 0);
        System.out.printf("40 concurrent wrong secrets from one address: %d judged as wrong, %d refused as throttled%n", judged, throttled);
        assertEquals(guesses, judged + throttled, "every guess is an event: " + reasons);
        assertTrue(judged <= KeycloakExtension.KEY_ADDRESS_FAILURES,
                "at most " + KeycloakExtension.KEY_ADDRESS_FAILURES + " guesses were judged, not " + judged + ": " + reasons);

        assertInvalidGrant(grantFrom(api, attacker, k.key(), k.secret()), "right after, the right secret from that address");
        assertEquals(200, grantFrom(api, freshAddress(), k.key(), k.secret()).status(), "the owner elsewhere is not affected");
    }

    // ---- every session of a key ends with it ---------------------------------------------------------------------------

    @Test
    void rotatedOutSecretTokensDieWithTheKey(Api api) {
        User u = user(api);
        for (String ending : List.of("suspend", "revoke", "rotate", "delete")) {
            Key k = key(api, u);
            String url = api.apiKeysUrl() + "/" + k.id();
            Api.Resp rotated = api.postJson(url + "/rotate", Map.of("graceSeconds", 300), u.token());
            assertEquals(200, rotated.status(), rotated.toString());
            String newSecret = rotated.json().get("secret").asText();

            Api.Resp old = api.apiKeyGrant("iot-api", k.key(), k.secret(), null);
            assertEquals(200, old.status(), "the rotated-out secret works during its grace: " + old);
            assertFalse(old.json().hasNonNull("refresh_token"), "access token only");
            Api.Resp current = api.apiKeyGrant("iot-api", k.key(), newSecret, null);
            assertEquals(200, current.status(), current.toString());
            String oldToken = old.json().get("access_token").asText();
            String currentToken = current.json().get("access_token").asText();
            assertTrue(active(api, oldToken), "the rotated-out secret's token is active before " + ending);
            assertTrue(active(api, currentToken));

            Api.Resp ended = "delete".equals(ending) ? api.delete(url, u.token())
                    : api.postJson(url + "/" + ending, "rotate".equals(ending) ? Map.of("graceSeconds", 0) : Map.of(), u.token());
            assertTrue(ended.status() == 200 || ended.status() == 204, ending + ": " + ended);
            assertFalse(active(api, oldToken), "after " + ending + " introspection reports the rotated-out secret's token inactive");
            assertFalse(active(api, currentToken), "and the current secret's token too (" + ending + ")");
        }
    }

    @Test
    void rotatedOutSecretTokensDieWhenTheGraceEnds(Api api) throws Exception {
        User u = user(api);
        Key k = key(api, u);
        Api.Resp rotated = api.postJson(api.apiKeysUrl() + "/" + k.id() + "/rotate", Map.of("graceSeconds", 2), u.token());
        String newSecret = rotated.json().get("secret").asText();
        Api.Resp old = api.apiKeyGrant("iot-api", k.key(), k.secret(), null);
        assertEquals(200, old.status(), old.toString());
        String oldToken = old.json().get("access_token").asText();
        String currentToken = api.apiKeyGrant("iot-api", k.key(), newSecret, null).json().get("access_token").asText();
        assertTrue(active(api, oldToken));

        // the expiry sweep runs every minute on each node
        long deadline = System.currentTimeMillis() + 130_000;
        while (active(api, oldToken) && System.currentTimeMillis() < deadline) {
            Thread.sleep(2000);
        }
        assertFalse(active(api, oldToken), "the grace is over: the rotated-out secret's session has ended");
        assertTrue(active(api, currentToken), "the current secret's session is untouched");
    }

    // ---- concurrent changes of one key -----------------------------------------------------------------------------

    /** The answered secrets that obtain tokens now: secret -> whether it got a refresh token (only the current one does). */
    private static Map<String, Boolean> working(Api api, Key k, List<String> secrets) {
        Map<String, Boolean> out = new HashMap<>();
        for (String s : secrets) {
            Api.Resp r = grantFrom(api, freshAddress(), k.key(), s); // one address each: wrong ones never trip a pair block
            if (r.status() == 200) {
                out.put(s, r.json().hasNonNull("refresh_token"));
            } else {
                assertInvalidGrant(r, "a superseded secret");
            }
        }
        return out;
    }

    /** {@code times} of each change of the key at {@code url} (operation -> body) by its owner, shuffled and released together. */
    private static List<Api.Resp> raceChanges(Api api, User u, String url, int times, Map<String, Object> changes) throws Exception {
        List<Callable<Api.Resp>> tasks = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            changes.forEach((op, body) -> tasks.add(() -> api.postJson(url + "/" + op, body, u.token())));
        }
        Collections.shuffle(tasks);
        return Race.all(tasks);
    }

    @Test
    void concurrentRotationsLeaveTheLastAnsweredSecretWorking(Api api) throws Exception {
        User u = user(api);
        for (int round = 0; round < 3; round++) {
            Key k = key(api, u);
            boolean grace = round > 0;
            // resumes race the rotations too: a resume must never write an older secret back
            List<String> answered = new ArrayList<>();
            for (Api.Resp r : raceChanges(api, u, k.url(api), 8, Map.of("rotate", Map.of("graceSeconds", grace ? 300 : 0), "resume", Map.of()))) {
                assertEquals(200, r.status(), "every operation is answered: " + r);
                if (r.json().hasNonNull("secret")) {
                    answered.add(r.json().get("secret").asText());
                }
            }
            assertEquals(8, answered.size());
            List<String> tried = new ArrayList<>(answered);
            tried.add(k.secret());
            Map<String, Boolean> works = working(api, k, tried);
            assertFalse(works.containsKey(k.secret()), "the original secret is superseded (round " + round + ")");
            assertEquals(1, works.values().stream().filter(b -> b).count(),
                    "exactly one answered secret is the current one (round " + round + "): " + works.values());
            assertEquals(grace ? 2 : 1, works.size(), grace
                    ? "the last rotation's secret and, within its grace, the one it replaced (serial order), round " + round
                    : "with grace 0 only the last rotation's secret, round " + round);
        }
    }

    @Test
    void revokeRacingResumeAlwaysEndsRevoked(Api api) throws Exception {
        User u = user(api);
        for (int round = 0; round < 5; round++) {
            Key k = key(api, u);
            String url = k.url(api);
            Api.Resp before = api.apiKeyGrant("iot-api", k.key(), k.secret(), null);
            assertEquals(200, before.status(), "the key works before the race");

            List<String> secrets = new ArrayList<>(List.of(k.secret()));
            int revokes = 0;
            for (Api.Resp r : raceChanges(api, u, url, 4, Map.of("revoke", Map.of(), "resume", Map.of(), "suspend", Map.of(),
                    "rotate", Map.of("graceSeconds", 60)))) {
                assertTrue(r.status() == 200 || r.status() == 409, "200 or 409 conflict, never anything else: " + r);
                JsonNode j = r.json();
                if (r.status() == 409) {
                    assertError(r, 409, "conflict");
                } else if ("revoked".equals(j.path("status").asText()) && !j.has("secret")) {
                    revokes++;
                }
                if (j.hasNonNull("secret")) {
                    secrets.add(j.get("secret").asText());
                }
            }
            assertTrue(revokes >= 4, "every revoke is answered 200 (round " + round + ")");
            assertEquals("revoked", api.get(url, u.token()).json().get("status").asText(), "an answered revoke always ends revoked, round " + round);
            for (String s : secrets) {
                assertInvalidGrant(grantFrom(api, freshAddress(), k.key(), s), "no secret of a revoked key works");
            }
            assertFalse(active(api, before.json().get("access_token").asText()), "its tokens are inactive");
            for (String op : List.of("resume", "suspend", "rotate")) {
                assertError(api.postJson(url + "/" + op, Map.of(), u.token()), 409, "conflict");
            }
            assertEquals(200, api.postJson(url + "/revoke", Map.of(), u.token()).status(), "revoking again changes nothing");
        }
    }

    // ---- the realm's hash key ---------------------------------------------------------------------------------------

    /** A server without a pepper, as the pack runs by default: secrets hashed under a per-realm key. Started on first use. */
    private static synchronized KeycloakServer noPepperServer() throws Exception {
        if (noPepper == null) {
            java.nio.file.Path home = KeycloakServer.copyOfDistribution(TestEnv.keycloakHome(), TestEnv.workDir().resolve("keycloak-nopepper"));
            KeycloakServer.Options o = new KeycloakServer.Options()
                    .home(home)
                    .logFile(TestEnv.workDir().resolve("keycloak-nopepper.log"))
                    .readinessRealm("iot")
                    .importFile(TestEnv.realmFile());
            TestEnv.packJars().forEach(o::provider);
            noPepper = KeycloakServer.start(o);
        }
        return noPepper;
    }

    @AfterAll
    static void stopNoPepperServer() {
        if (noPepper != null) {
            noPepper.close();
        }
    }

    /** Names and values of the realm attributes (of a representation) that could hold a hash key. */
    private static List<String> suspicious(JsonNode realm) {
        List<String> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = realm.path("attributes").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().toLowerCase().contains("hash") || e.getKey().toLowerCase().contains("pepper")) {
                out.add(e.getKey());
            }
        }
        return out;
    }

    @Test
    void hashKeyIsNotARealmAttribute() throws Exception {
        Api api = new Api(noPepperServer());
        User u = user(api);
        Key k = key(api, u);
        assertEquals(200, api.apiKeyGrant("iot-api", k.key(), k.secret(), null).status(), "the key grant works without a pepper");

        JsonNode realm = api.adminGet("").json();
        assertFalse(realm.path("attributes").has(LEGACY_HASH_KEY_ATTRIBUTE), "GET of the realm carries no hash key");
        assertEquals(List.of(), suspicious(realm), "no attribute looks like one");
        Api.Resp export = api.adminPost("/partial-export?exportClients=true&exportGroupsAndRoles=true", "");
        assertEquals(200, export.status(), export.toString());
        assertFalse(export.json().path("attributes").has(LEGACY_HASH_KEY_ATTRIBUTE), "nor does a partial export");
        assertEquals(List.of(), suspicious(export.json()));

        // a hash key put back as an attribute (an old partial export imported again) leaves at the next use
        Fixtures.realmAttribute(api, LEGACY_HASH_KEY_ATTRIBUTE, "c3RhbGUtaGFzaC1rZXktZnJvbS1hbi1vbGQtZXhwb3J0");
        assertEquals(200, api.apiKeyGrant("iot-api", k.key(), k.secret(), null).status(), "the stored key wins: the secret still works");
        assertFalse(api.adminGet("").json().path("attributes").has(LEGACY_HASH_KEY_ATTRIBUTE), "and the attribute is gone");
        Key later = key(api, u);
        assertEquals(200, api.apiKeyGrant("iot-api", later.key(), later.secret(), null).status());
        assertNotEquals(k.secret(), later.secret());
    }
}
