package io.iottokens.keycloak.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.iottokens.keycloak.it.support.Api;
import io.iottokens.keycloak.it.support.Errors;
import io.iottokens.keycloak.it.support.KeycloakExtension;
import io.iottokens.keycloak.it.support.KeycloakServer;
import io.iottokens.keycloak.it.support.Postgres;

/**
 * The pack while its database is unreachable, on one Keycloak of its own on a database of its own: the machine's
 * PostgreSQL keeps running (others use it); the test database stops taking connections
 * ({@code ALLOW_CONNECTIONS false}) and its open connections are terminated. The key grant, API-key list and
 * creation, purposed-token creation and purposed introspection then answer 503 with {@code Retry-After} and
 * {@code temporarily_unavailable} (never 500, never a stack trace), and the same calls succeed again once the
 * database takes connections, without a restart. Under concurrent key creations and revokes, an outage in the
 * middle loses nothing that was answered 2xx.
 */
class DatabaseOutageIT {

    private static String database;
    private static KeycloakServer server;
    private static Api api;
    /** How long the server may take to serve again once the database takes connections. */
    private static final long RECOVERY_MS = 60_000;
    private static String platformSecret;

    @BeforeAll
    static void start() throws Exception {
        database = Postgres.createDatabase("iottokens_outage");
        server = KeycloakServer.start(KeycloakExtension.packOnPostgres("keycloak-outage", database));
        api = new Api(server);
        platformSecret = api.platformSecret();
    }

    @AfterEach
    void databaseBack() throws SQLException {
        allowConnections(true); // whatever a test left: the next one and the cleanup need the database
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (server != null) {
                server.close();
            }
        } finally {
            if (database != null) {
                try {
                    allowConnections(true);
                    Postgres.saveText(database, "end"); // for NoSecretsLeftBehindIT
                } finally {
                    Postgres.dropDatabase(database);
                }
            }
        }
    }

    // ---- the outage -----------------------------------------------------------------------------

    /** Stops (or restores) connections to the test database only, terminating the ones that are open. */
    private static void allowConnections(boolean allow) throws SQLException {
        try (Connection c = Postgres.connect("postgres"); Statement s = c.createStatement()) {
            s.execute("ALTER DATABASE " + database + " WITH ALLOW_CONNECTIONS " + allow);
            if (!allow) {
                s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + database + "'");
            }
        }
    }

    // ---- the calls ------------------------------------------------------------------------------

    /** The user, their token, and a key with its secret, made while the database is up. */
    private record Owner(String userId, String token, String keyId, String key, String secret) {
    }

    private static Owner owner(String name) {
        String userId = api.createUser(name, name + "-password");
        String token = api.userToken(name, name + "-password");
        Api.Resp created = api.createApiKey(token, Map.of("memo", "outage test"));
        assertEquals(201, created.status(), created.toString());
        return new Owner(userId, token, created.json().get("id").asText(), created.json().get("key").asText(),
                created.json().get("secret").asText());
    }

    private static Api.Resp createPurposed(String token) {
        return api.postJson(server.realmUrl("iot") + "/purposed-tokens", Map.of("purpose", "outage test",
                "targetIdentities", List.of("*"), "scopes", List.of("upp:verify")), token);
    }

    private static Api.Resp introspectPurposed(String purposedToken) {
        return api.postForm(api.tokenUrl("iot") + "/introspect", Map.of("client_id", "iot-platform", "client_secret", platformSecret,
                "token", purposedToken, "token_type_hint", "purposed_token"), null);
    }

    /** The answer a client gets during the outage: 503, Retry-After in seconds, the contract's JSON error, no trace. */
    private static void assertUnavailable(String call, Supplier<Api.Resp> request) {
        long start = System.nanoTime();
        Api.Resp r = request.get();
        System.out.printf("DatabaseOutageIT: %s during the outage: HTTP %d in %d ms%n", call, r.status(), (System.nanoTime() - start) / 1_000_000);
        Errors.assertError(r, 503, "temporarily_unavailable");
        String retryAfter = r.header("Retry-After").orElse(null);
        assertTrue(retryAfter != null && retryAfter.matches("[1-9][0-9]*"), call + ": Retry-After in seconds, got " + retryAfter);
        assertTrue(r.header("Content-Type").orElse("").startsWith("application/json"), call + ": JSON, " + r.headers());
        for (String leak : new String[] {"Exception", "\tat ", "org.hibernate", "org.postgresql", "io.agroal", database}) {
            assertFalse(r.body().contains(leak), call + ": no stack trace or internals in the answer: " + r);
        }
    }

    /** Repeats {@code call} until it answers {@code status} or the recovery time is over; the last answer. */
    private static Api.Resp eventually(int status, Supplier<Api.Resp> call) throws InterruptedException {
        long deadline = System.currentTimeMillis() + RECOVERY_MS;
        Api.Resp r = call.get();
        while (r.status() != status && System.currentTimeMillis() < deadline) {
            assertTrue(r.status() == 503, "while the server reconnects, only 503: " + r);
            Thread.sleep(250);
            r = call.get();
        }
        return r;
    }

    // ---- the tests ------------------------------------------------------------------------------

    @Test
    void refusedWith503WhileTheDatabaseIsDownAndServedAgainWithoutARestart() throws Exception {
        Owner o = owner(Api.unique("outage"));
        Api.Resp purposed = createPurposed(o.token());
        assertEquals(201, purposed.status(), purposed.toString());
        String purposedToken = purposed.json().get("token").asText();
        // the success next to the refusal: every call works while the database is up
        assertEquals(200, api.apiKeyGrant("iot-api", o.key(), o.secret(), null).status());
        assertEquals(1, api.get(api.apiKeysUrl(), o.token()).json().size());
        assertEquals(200, api.get(server.realmUrl("iot") + "/devices", o.token()).status());
        assertEquals(1, api.adminGet("/api-keys?user=" + o.userId()).json().size());
        assertTrue(introspectPurposed(purposedToken).json().get("active").asBoolean());

        allowConnections(false);
        assertUnavailable("key grant", () -> api.apiKeyGrant("iot-api", o.key(), o.secret(), null));
        assertUnavailable("API-key list", () -> api.get(api.apiKeysUrl(), o.token()));
        assertUnavailable("API-key creation", () -> api.createApiKey(o.token(), Map.of("memo", "during the outage")));
        assertUnavailable("API-key revoke", () -> api.postJson(api.apiKeysUrl() + "/" + o.keyId() + "/revoke", Map.of(), o.token()));
        assertUnavailable("purposed-token creation", () -> createPurposed(o.token()));
        assertUnavailable("device list", () -> api.get(server.realmUrl("iot") + "/devices", o.token()));
        assertUnavailable("admin API-key list", () -> api.adminGet("/api-keys?user=" + o.userId()));
        assertUnavailable("purposed introspection", () -> introspectPurposed(purposedToken));
        assertUnavailable("key grant, again", () -> api.apiKeyGrant("iot-api", o.key(), o.secret(), null));
        assertTrue(server.isRunning());

        allowConnections(true);
        Api.Resp grant = eventually(200, () -> api.apiKeyGrant("iot-api", o.key(), o.secret(), null));
        assertEquals(200, grant.status(), "the key grant works again without a restart: " + grant);
        Api.Resp listed = eventually(200, () -> api.get(api.apiKeysUrl(), o.token()));
        assertEquals(200, listed.status(), listed.toString());
        assertEquals(1, listed.json().size(), "the refused creation made nothing, the refused revoke changed nothing: " + listed);
        assertEquals("active", listed.json().get(0).get("status").asText());
        assertEquals(201, api.createApiKey(o.token(), Map.of("memo", "after the outage")).status());
        Api.Resp again = createPurposed(o.token());
        assertEquals(201, again.status(), again.toString());
        Api.Resp introspected = introspectPurposed(again.json().get("token").asText());
        assertEquals(200, introspected.status(), introspected.toString());
        assertTrue(introspected.json().get("active").asBoolean(), introspected.toString());
        assertTrue(introspectPurposed(purposedToken).json().get("active").asBoolean(), "the token made before the outage too");
        assertEquals(200, api.postJson(api.apiKeysUrl() + "/" + o.keyId() + "/revoke", Map.of(), o.token()).status());
    }

    /** What one worker saw: keys answered 201, revokes answered 2xx, and every status counted. */
    private static final class Seen {
        final List<String> created = new ArrayList<>();
        final List<String> revoked = new ArrayList<>();
        final Map<Integer, Integer> statuses = new TreeMap<>();
        final Map<Integer, Long> slowestMs = new TreeMap<>();

        Api.Resp count(Supplier<Api.Resp> call) {
            long start = System.nanoTime();
            Api.Resp r = call.get();
            statuses.merge(r.status(), 1, Integer::sum);
            slowestMs.merge(r.status(), (System.nanoTime() - start) / 1_000_000, Math::max);
            return r;
        }
    }

    @Test
    void anOutageUnderLoadLosesNothingThatWasAnswered() throws Exception {
        int workers = 4;
        List<String> userIds = new ArrayList<>();
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            String name = Api.unique("outage-load");
            userIds.add(api.createUser(name, name + "-password"));
            tokens.add(api.userToken(name, name + "-password"));
        }
        AtomicBoolean running = new AtomicBoolean(true);
        ConcurrentMap<Integer, Seen> seen = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            int worker = w;
            done.add(pool.submit(() -> {
                Seen s = seen.computeIfAbsent(worker, k -> new Seen());
                String token = tokens.get(worker);
                int n = 0;
                while (running.get()) {
                    String memo = "load " + worker + "-" + n++;
                    Api.Resp created = s.count(() -> api.createApiKey(token, Map.of("memo", memo)));
                    if (created.status() != 201) {
                        continue;
                    }
                    String id = created.json().get("id").asText();
                    s.created.add(id);
                    Api.Resp revoked = s.count(() -> api.postJson(api.apiKeysUrl() + "/" + id + "/revoke", Map.of(), token));
                    if (revoked.status() / 100 == 2) {
                        s.revoked.add(id);
                    }
                }
                return null;
            }));
        }
        try {
            Thread.sleep(2_000);
            allowConnections(false);
            Thread.sleep(3_000);
            allowConnections(true);
            Thread.sleep(4_000);
        } finally {
            running.set(false);
            pool.shutdown();
            assertTrue(pool.awaitTermination(90, TimeUnit.SECONDS), "the workers stop");
        }
        for (Future<?> f : done) {
            f.get();
        }

        Map<Integer, Integer> statuses = new TreeMap<>();
        Map<Integer, Long> slowestMs = new TreeMap<>();
        List<String> created = new ArrayList<>();
        List<String> revoked = new ArrayList<>();
        for (Seen s : seen.values()) {
            s.statuses.forEach((k, v) -> statuses.merge(k, v, Integer::sum));
            s.slowestMs.forEach((k, v) -> slowestMs.merge(k, v, Math::max));
            created.addAll(s.created);
            revoked.addAll(s.revoked);
        }
        System.out.println("DatabaseOutageIT load: statuses " + statuses + ", " + created.size() + " keys created, "
                + revoked.size() + " revoked; slowest answer per status (ms) " + slowestMs);
        assertTrue(statuses.getOrDefault(503, 0) > 0, "the outage was met: " + statuses);
        assertTrue(created.size() > 0 && revoked.size() > 0, "work was answered: " + statuses);
        for (int status : statuses.keySet()) {
            assertTrue(status / 100 == 2 || status == 503 || status == 500, "only successes, 503s and (below) 500s: " + statuses);
        }
        // The one documented 500: the connection cut at the very COMMIT Keycloak runs after the pack's code returned
        // (ARJUNA016053; the work is rolled back). Every uncaught error in the log must be that, and they stay rare.
        int fiveHundreds = statuses.getOrDefault(500, 0);
        if (fiveHundreds > 0) {
            List<String> uncaught = java.nio.file.Files.readAllLines(server.logFile()).stream()
                    .filter(l -> l.contains("Uncaught server error")).toList();
            assertEquals(fiveHundreds, uncaught.size(), "each 500 is one uncaught error in the log: " + uncaught);
            uncaught.forEach(l -> assertTrue(l.contains("ARJUNA016053: Could not commit transaction"),
                    "a 500 only when the connection is cut at Keycloak's commit: " + l));
            assertTrue(fiveHundreds * 50 <= statuses.values().stream().mapToInt(Integer::intValue).sum(),
                    "commit-time cuts are rare (at most 2 %): " + statuses);
        }

        Map<String, String> stored = new HashMap<>();
        Map<String, Integer> perUser = new HashMap<>();
        try (Connection c = Postgres.connect(database); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select id, status, user_id from iot_api_key")) {
            while (rs.next()) {
                stored.put(rs.getString("id"), rs.getString("status"));
                perUser.merge(rs.getString("user_id"), 1, Integer::sum);
            }
        }
        for (String id : created) {
            assertTrue(stored.containsKey(id), "a key answered 201 exists: " + id);
        }
        for (String id : revoked) {
            assertEquals("revoked", stored.get(id), "a revoke answered 2xx stays: " + id);
        }
        int ownedByWorkers = userIds.stream().mapToInt(u -> perUser.getOrDefault(u, 0)).sum();
        // a 503 kept nothing; a 500 (the connection cut during Keycloak's COMMIT) is in doubt: its commit may have landed
        assertTrue(ownedByWorkers >= created.size() && ownedByWorkers <= created.size() + fiveHundreds,
                "a creation refused with 503 left no key behind (stored " + ownedByWorkers + ", answered 201 " + created.size()
                        + ", in doubt after a 500 " + fiveHundreds + ")");
    }
}
