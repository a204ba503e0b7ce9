package io.iottokens.keycloak.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;

import io.iottokens.keycloak.it.support.Api;
import io.iottokens.keycloak.it.support.Postgres;

/**
 * Prints figures, asserts no timing: the API key grant against Keycloak's built-in grants on ONE server
 * (PostgreSQL, the pack's JARs) in ONE run, same client threads; then the key grant's median latency with
 * 100 and with 100,000 stored keys. Run: {@code mvn -B verify -Pbenchmark} (about four minutes).
 */
class ApiKeyGrantBenchmark {

    private static final int THREADS = BenchServer.THREADS;
    private static final double WARMUP_SECONDS = BenchServer.WARMUP_SECONDS;
    private static final double SECONDS = BenchServer.SECONDS;
    private static final int LATENCY_SAMPLES = Integer.getInteger("bench.samples", 400);

    @RegisterExtension
    static final BenchServer.Lifecycle LIFECYCLE = BenchServer.lifecycle("api-keys");

    private static BenchServer bench;
    private static String database;
    private static Api api;

    @BeforeAll
    static void bind() {
        bench = LIFECYCLE.get();
        database = bench.database;
        api = bench.api;
    }

    private static void print(String line) {
        bench.print(line);
    }

    @Test
    void apiKeyGrantAgainstBuiltInGrants() throws Exception {
        api.createUser("bench-owner", "bench-owner-password");
        String userToken = api.userToken("bench-owner", "bench-owner-password");
        JsonNode key = api.createApiKey(userToken, Map.of("memo", "benchmark")).json();
        String k = key.get("key").asText();
        String s = key.get("secret").asText();
        JsonNode app = api.adminGet("/clients?clientId=tenant-app-example").json().get(0);
        String appSecret = api.adminGet("/clients/" + app.get("id").asText() + "/client-secret").json().get("value").asText();

        // The same key grant on a client with refresh tokens switched off (Keycloak's own client switch):
        // no session is stored, as with client_credentials.
        JsonNode noRefresh = api.adminGet("/clients?clientId=iot-api").json().get(0);
        ((com.fasterxml.jackson.databind.node.ObjectNode) noRefresh).remove("id");
        noRefresh.path("protocolMappers").forEach(m -> ((com.fasterxml.jackson.databind.node.ObjectNode) m).remove("id"));
        ((com.fasterxml.jackson.databind.node.ObjectNode) noRefresh).put("clientId", "iot-api-bench-norefresh");
        ((com.fasterxml.jackson.databind.node.ObjectNode) noRefresh.with("attributes")).put("use.refresh.tokens", "false");
        assertEquals(201, api.adminPost("/clients", noRefresh).status());

        // Brute-force detection off for the run: under concurrent correct logins, 26.7.3 locked the password
        // grant's user (user_temporarily_disabled) without any failed attempt, which would end the reference run.
        JsonNode realm = api.adminGet("").json();
        ((com.fasterxml.jackson.databind.node.ObjectNode) realm).put("bruteForceProtected", false);
        assertEquals(204, api.adminPut("", realm).status());

        java.util.function.IntSupplier apiKey = () -> api.apiKeyGrant("iot-api", k, s, null).status();
        java.util.function.IntSupplier apiKeyNoRefresh = () -> api.apiKeyGrant("iot-api-bench-norefresh", k, s, null).status();
        java.util.function.IntSupplier clientCredentials = () -> api.token(Map.of("grant_type", "client_credentials",
                "client_id", "tenant-app-example", "client_secret", appSecret)).status();
        java.util.function.IntSupplier password = () -> api.passwordGrant("iot-api", "bench-owner", "bench-owner-password", null).status();

        print(String.format("API key grant benchmark: Keycloak %s, PostgreSQL, %d client threads, %d cores, %.0f s per grant after %.0f s warm-up, brute-force detection off",
                System.getProperty("keycloak.version"), THREADS, Runtime.getRuntime().availableProcessors(), SECONDS, WARMUP_SECONDS));
        for (java.util.function.IntSupplier g : List.of(apiKey, apiKeyNoRefresh, clientCredentials, password)) {
            Load.run(THREADS, WARMUP_SECONDS / 2, g);
        }
        // two interleaved rounds, so drift on the machine hits every grant alike
        double[] sum = new double[4];
        String[] names = {"api-key (iot-api, refresh token + stored session)", "api-key (refresh tokens off)",
                "client_credentials (built-in)", "password (built-in, iot-api)"};
        List<java.util.function.IntSupplier> grants = List.of(apiKey, apiKeyNoRefresh, clientCredentials, password);
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < grants.size(); i++) {
                Load.Result r = Load.run(THREADS, SECONDS / 2, grants.get(i));
                if (r.failed() > 0) {
                    throw new IllegalStateException(names[i] + ": " + r.failed() + " requests failed");
                }
                sum[i] += r.perSecond() / 2;
            }
        }
        for (int i = 0; i < names.length; i++) {
            print(String.format("  %-52s %8.1f tokens/s", names[i], sum[i]));
        }
        print(String.format("  ratio api-key / client_credentials:                %.2f", sum[0] / sum[2]));
        print(String.format("  ratio api-key (refresh off) / client_credentials:  %.2f", sum[1] / sum[2]));
        print(String.format("  ratio api-key / password:                          %.2f", sum[0] / sum[3]));

        // Latency with 100 and with 100,000 stored keys: filler rows are written straight into the table, then
        // removed again, twice, so that drift on the machine shows instead of passing for a difference.
        String realmId = api.adminGet("").json().get("id").asText();
        fill(realmId, 99, "filler-base");
        long smallCount = count();
        double[] small = new double[2];
        double[] large = new double[2];
        long largeCount = 0;
        for (int round = 0; round < 2; round++) {
            Load.medianMillis(LATENCY_SAMPLES / 4, apiKey);
            small[round] = Load.medianMillis(LATENCY_SAMPLES, apiKey);
            fill(realmId, 99_900, "filler-bulk");
            largeCount = count();
            Load.medianMillis(LATENCY_SAMPLES / 4, apiKey);
            large[round] = Load.medianMillis(LATENCY_SAMPLES, apiKey);
            removeBulk();
        }
        double smallMedian = (small[0] + small[1]) / 2;
        double largeMedian = (large[0] + large[1]) / 2;
        print(String.format("  median api-key grant latency, %7d keys stored: %6.2f ms (rounds %.2f, %.2f)", smallCount, smallMedian, small[0], small[1]));
        print(String.format("  median api-key grant latency, %7d keys stored: %6.2f ms (rounds %.2f, %.2f)  ratio %.2f",
                largeCount, largeMedian, large[0], large[1], largeMedian / smallMedian));
    }

    private static void removeBulk() throws Exception {
        try (Connection c = Postgres.connect(database); Statement st = c.createStatement()) {
            st.execute("delete from iot_api_key where memo = 'filler-bulk'");
            st.execute("vacuum analyze iot_api_key");
        }
    }

    private static void fill(String realmId, int n, String memo) throws Exception {
        try (Connection c = Postgres.connect(database)) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("insert into iot_api_key (id, realm_id, user_id, api_key, secret_hash, memo, status, created_at)"
                    + " values (?, ?, ?, ?, ?, ?, 'active', ?)")) {
                for (int i = 0; i < n; i++) {
                    String id = UUID.randomUUID().toString();
                    ps.setString(1, id);
                    ps.setString(2, realmId);
                    ps.setString(3, UUID.randomUUID().toString());
                    ps.setString(4, "iotk_" + id.replace("-", "").substring(0, 22));
                    ps.setString(5, "h1:filler");
                    ps.setString(6, memo);
                    ps.setLong(7, System.currentTimeMillis());
                    ps.addBatch();
                    if (i % 1000 == 999) {
                        ps.executeBatch();
                    }
                }
                ps.executeBatch();
            }
            c.commit();
            c.setAutoCommit(true);
            try (Statement st = c.createStatement()) {
                st.execute("vacuum analyze iot_api_key");
            }
        }
    }

    private static long count() throws Exception {
        try (Connection c = Postgres.connect(database); Statement st = c.createStatement();
             var rs = st.executeQuery("select count(*) from iot_api_key")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
