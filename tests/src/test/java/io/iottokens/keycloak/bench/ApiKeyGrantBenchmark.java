package io.iottokens.keycloak.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.IntSupplier;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.iottokens.keycloak.it.support.Api;
import io.iottokens.keycloak.it.support.Fixtures;
import io.iottokens.keycloak.it.support.Postgres;

/**
 * Prints figures, asserts no timing: the API key grant against Keycloak's built-in grants on ONE server
 * (PostgreSQL, the pack's JARs) in ONE run, same client threads; then the key grant's median latency with
 * 100 and with 100,000 stored keys. Every grant is a request built once ({@link BenchServer#prepared}), measured in rotating
 * rounds ({@link BenchmarkBase#compare}). Run: {@code mvn -B verify -Pbenchmark -Dit.test=ApiKeyGrantBenchmark}.
 */
@BenchServer.Named("api-keys")
class ApiKeyGrantBenchmark extends BenchmarkBase {

    private static final int LATENCY_SAMPLES = Integer.getInteger("bench.samples", 400);

    @Test
    void apiKeyGrantAgainstBuiltInGrants() throws Exception {
        api.createUser("bench-owner", "bench-owner-password");
        String userToken = api.userToken("bench-owner", "bench-owner-password");
        Fixtures.Key key = Fixtures.Key.of(Fixtures.createdApiKey(api, userToken, Map.of("memo", "benchmark")));

        // The same key grant on a client with refresh tokens switched off (Keycloak's own client switch):
        // no session is stored, as with client_credentials.
        ObjectNode noRefresh = (ObjectNode) api.adminGet("/clients?clientId=iot-api").json().get(0);
        noRefresh.remove("id");
        noRefresh.path("protocolMappers").forEach(m -> ((ObjectNode) m).remove("id"));
        noRefresh.put("clientId", "iot-api-bench-norefresh");
        noRefresh.with("attributes").put("use.refresh.tokens", "false");
        Fixtures.createdId(api.adminPost("/clients", noRefresh));
        prepareRealm(bench, false);

        Kind apiKey = new Kind("api-key (iot-api, refresh token + stored session)", keyGrant("iot-api", key));
        List<Kind> kinds = List.of(apiKey, new Kind("api-key (refresh tokens off)", keyGrant("iot-api-bench-norefresh", key)),
                clientCredentials("tenant-app-example"),
                new Kind("password (built-in, iot-api)", bench.preparedToken(Map.of("grant_type", "password", "client_id", "iot-api",
                        "username", "bench-owner", "password", "bench-owner-password"))));
        heading(bench, "API key grant benchmark", rounds() + ", brute-force detection off");
        compare(kinds, new Ratio("ratio api-key / client_credentials:", 0, 2, null),
                new Ratio("ratio api-key (refresh off) / client_credentials:", 1, 2, null),
                new Ratio("ratio api-key / password:", 0, 3, null));

        // Latency with 100 and with 100,000 stored keys: filler rows are written straight into the table, then
        // removed again, twice, so that drift on the machine shows instead of passing for a difference.
        String realmId = api.adminGet("").json().get("id").asText();
        fill(realmId, 99, "filler-base");
        long smallCount = count();
        double[] small = new double[2];
        double[] large = new double[2];
        long largeCount = 0;
        for (int round = 0; round < 2; round++) {
            Load.medianMillis(LATENCY_SAMPLES / 4, apiKey.call());
            small[round] = Load.medianMillis(LATENCY_SAMPLES, apiKey.call());
            fill(realmId, 99_900, "filler-bulk");
            largeCount = count();
            Load.medianMillis(LATENCY_SAMPLES / 4, apiKey.call());
            large[round] = Load.medianMillis(LATENCY_SAMPLES, apiKey.call());
            removeBulk();
        }
        double smallMedian = (small[0] + small[1]) / 2;
        double largeMedian = (large[0] + large[1]) / 2;
        bench.print(String.format("  median api-key grant latency, %7d keys stored: %6.2f ms (rounds %.2f, %.2f)", smallCount, smallMedian, small[0], small[1]));
        bench.print(String.format("  median api-key grant latency, %7d keys stored: %6.2f ms (rounds %.2f, %.2f)  ratio %.2f",
                largeCount, largeMedian, large[0], large[1], largeMedian / smallMedian));
    }

    private IntSupplier keyGrant(String clientId, Fixtures.Key key) {
        return bench.preparedToken(Map.of("grant_type", Api.API_KEY_GRANT, "client_id", clientId, "api_key", key.key(), "api_secret", key.secret()));
    }

    private void removeBulk() throws Exception {
        try (Connection c = Postgres.connect(bench.database); Statement st = c.createStatement()) {
            st.execute("delete from iot_api_key where memo = 'filler-bulk'");
            st.execute("vacuum analyze iot_api_key");
        }
    }

    private void fill(String realmId, int n, String memo) throws Exception {
        try (Connection c = Postgres.connect(bench.database)) {
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

    private long count() throws Exception {
        try (Connection c = Postgres.connect(bench.database); Statement st = c.createStatement();
             var rs = st.executeQuery("select count(*) from iot_api_key")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
