package io.iottokens.keycloak.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.iottokens.keycloak.device.TestDeviceKeys;
import io.iottokens.keycloak.it.support.Api;
import io.iottokens.keycloak.it.support.Edge;
import io.iottokens.keycloak.it.support.Fixtures;
import io.iottokens.keycloak.it.support.Postgres;

/**
 * Prints figures, asserts no timing: fleet scale on PostgreSQL. Two servers with the same options, each on a database
 * of its own: one with 1,000 rows in each of the pack's tables (API keys, devices, purposed tokens), one with
 * 1,000,000. The measured operations (key grant, edge token exchange, purposed bootstrap, purposed-token
 * introspection, the pack's list endpoints) are called on the two in turn, call by call, so that the load of the
 * machine's other users hits both alike; then EXPLAIN ANALYZE of their queries on the 1,000,000-row database; then
 * that server's heap (after a full GC, by jcmd) before and after a spray of distinct unknown API keys at the key grant,
 * each from its own address (X-Forwarded-For; the servers trust it for this run), which is what fills the
 * per-address throttle map.
 *
 * <p>What the benchmark uses (the measured owner, its key, its node, its purposed token, a tenant with a bootstrap
 * token, the bootstrapping devices) is made through the real API; the bulk is filler written straight into the
 * tables with {@code INSERT ... SELECT generate_series}: unique keys and device ids, the realm of the run, 100,000
 * made-up owners, 5 % revoked and 5 % suspended keys, a third of the devices in one of 100 groups; the measured owner
 * holds {@value #OWNER_SMALL} rows of each kind on the small server and {@value #OWNER_LARGE} on the large one.
 *
 * <p>Run: {@code mvn -B verify -Pbenchmark -Dit.test=FleetScaleBenchmark} (about 16 minutes); figures also in
 * {@code tests/target/benchmark-fleet.txt}. Properties: {@code bench.fleet.small}, {@code bench.fleet.large},
 * {@code bench.fleet.samples}, {@code bench.fleet.spray}, {@code bench.fleet.spray-seconds},
 * {@code bench.fleet.spray-threads}.
 */
@BenchServer.Named(value = "fleet", args = "--proxy-headers=xforwarded")
class FleetScaleBenchmark extends BenchmarkBase {

    private static final int SMALL = Integer.getInteger("bench.fleet.small", 1_000);
    private static final int LARGE = Integer.getInteger("bench.fleet.large", 1_000_000);
    private static final int SAMPLES = Integer.getInteger("bench.fleet.samples", 300);
    private static final int WARMUP = SAMPLES / 2;
    private static final int PER_DEVICE = 200;
    private static final int SPRAY = Integer.getInteger("bench.fleet.spray", 1_000_000);
    private static final int SPRAY_SECONDS = Integer.getInteger("bench.fleet.spray-seconds", 600);
    private static final int SPRAY_THREADS = Integer.getInteger("bench.fleet.spray-threads", 8);
    private static final int OWNER_SMALL = 100;
    private static final int OWNER_LARGE = 1_000;
    /** Made-up owners of the filler rows. */
    private static final int FILLER_OWNERS = 100_000;
    private static final String PASSWORD = "fleet-bench-password";

    /** The 1,000-row server; the 1,000,000-row one is the class's {@link BenchServer.Named} server, whose figures are printed. */
    @RegisterExtension
    static final BenchServer.Lifecycle SMALL_SERVER = BenchServer.lifecycle("fleet-1k", "--proxy-headers=xforwarded");

    private static final int ROUNDS = 2;
    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10)).build();

    @Test
    void fleetScale() throws Exception {
        Fleet small = new Fleet(SMALL_SERVER.get());
        Fleet large = new Fleet(bench);
        small.print("The 1,000-row server of FleetScaleBenchmark: the figures are in benchmark-fleet.txt");
        small.setUp();
        large.setUp();
        heading(large.bench, "Fleet-scale benchmark", String.format("two servers (same options, a database each),"
                + " one with %,d rows per table, one with %,d; 1 client thread calling them alternately, %d rounds of %d calls per"
                + " operation and server after %d warm-up calls", SMALL, LARGE, ROUNDS, SAMPLES, WARMUP));
        long t0 = System.nanoTime();
        small.grow(SMALL, OWNER_SMALL);
        large.print(String.format("  small server seeded to %s (%.0f s)", small.counts(), (System.nanoTime() - t0) / 1e9));
        t0 = System.nanoTime();
        large.grow(LARGE, OWNER_LARGE);
        large.print(String.format("  large server seeded to %s (%.0f s, INSERT ... SELECT generate_series + VACUUM ANALYZE)", large.counts(),
                (System.nanoTime() - t0) / 1e9));

        // the two servers are measured call by call in turn (which one goes first alternates), so load from the
        // machine's other users hits both alike; the bootstrap runs last, as it adds 3 purposed tokens a call
        Map<String, List<long[]>> smallTimes = new LinkedHashMap<>();
        Map<String, List<long[]>> largeTimes = new LinkedHashMap<>();
        for (int round = 0; round < ROUNDS; round++) {
            large.print("  round " + (round + 1) + "; load average of the shared machine (1, 5, 15 min): " + java.nio.file.Files.readString(
                    java.nio.file.Path.of("/proc/loadavg")).trim().replaceAll("^(\\S+ \\S+ \\S+).*", "$1"));
            Map<String, java.util.concurrent.Callable<IntSupplier>> a = small.ops();
            Map<String, java.util.concurrent.Callable<IntSupplier>> b = large.ops();
            for (String op : a.keySet()) {
                long[][] t = alternately(op, a.get(op).call(), b.get(op).call());
                smallTimes.computeIfAbsent(op, k -> new ArrayList<>()).add(t[0]);
                largeTimes.computeIfAbsent(op, k -> new ArrayList<>()).add(t[1]);
            }
        }
        large.print("");
        large.print(String.format("  %-46s | %9s | %9s | %5s | %9s | %9s | %s", "operation", "median 1k", "median 1M", "ratio", "p95 1k", "p95 1M",
                "ratio per round"));
        large.print("  " + "-".repeat(46) + "-|-" + "-".repeat(9) + "-|-" + "-".repeat(9) + "-|-" + "-".repeat(5) + "-|-" + "-".repeat(9)
                + "-|-" + "-".repeat(9) + "-|-" + "-".repeat(15));
        for (String op : smallTimes.keySet()) {
            double[] s = stats(smallTimes.get(op));
            double[] l = stats(largeTimes.get(op));
            List<String> perRound = new ArrayList<>();
            for (int r = 0; r < ROUNDS; r++) {
                perRound.add(String.format("%.2f", stats(List.of(largeTimes.get(op).get(r)))[0] / stats(List.of(smallTimes.get(op).get(r)))[0]));
            }
            large.print(String.format("  %-46s | %6.2f ms | %6.2f ms | %5.2f | %6.2f ms | %6.2f ms | %s", op, s[0], l[0], l[0] / s[0], s[1], l[1],
                    String.join(", ", perRound)));
        }
        large.print("  (ms per call, one client thread, all rounds' calls; ratio = median 1M / median 1k, target <= 1.2)");

        large.explainAll();
        large.spray();
    }

    /** {@code WARMUP} calls of each, then {@code SAMPLES} timed calls of each in turn: nanoseconds {small[], large[]}. */
    private static long[][] alternately(String name, IntSupplier small, IntSupplier large) {
        for (int i = 0; i < WARMUP; i++) {
            check(name, small.getAsInt());
            check(name, large.getAsInt());
        }
        long[][] t = new long[2][SAMPLES];
        for (int i = 0; i < SAMPLES; i++) {
            for (int k = 0; k < 2; k++) {
                int which = (i + k) % 2;
                IntSupplier call = which == 0 ? small : large;
                long s = System.nanoTime();
                int status = call.getAsInt();
                t[which][i] = System.nanoTime() - s;
                check(name, status);
            }
        }
        return t;
    }

    /** {median, p95} in ms of all the samples. */
    private static double[] stats(List<long[]> rounds) {
        long[] all = rounds.stream().flatMapToLong(Arrays::stream).toArray();
        return new double[] {quantileMillis(all, 0.5), quantileMillis(all, 0.95)};
    }

    private static void check(String name, int status) {
        if (status != 200) {
            throw new IllegalStateException(name + " answered " + status);
        }
    }

    private static IntSupplier get(String url, Supplier<String> bearer) {
        return () -> BenchServer.status(HTTP, HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + bearer.get()).GET().build());
    }

    /** One server of the benchmark, the objects made on it through its API and its filler rows. */
    static final class Fleet {

        private final BenchServer bench;
        private final Api api;
        private String realmId;
        private String ownerId;
        private String tenantId;
        private String groupId;
        private String apiKey;
        private String apiSecret;
        private String node;
        private String purposedToken;
        private String bootstrapToken;
        private String platformSecret;
        /** The next generate_series start of the filler rows (general, and the measured owner's). */
        private long nextFiller = 1;
        private long nextOwned = 1;

        Fleet(BenchServer bench) {
            this.bench = bench;
            this.api = bench.api;
        }

        void print(String line) {
            bench.print(line);
        }

        // ---- the objects the benchmark uses, through the API ------------------------------------------------------

        void setUp() throws Exception {
            prepareRealm(bench, true);
            realmId = api.adminGet("").json().get("id").asText();

            ownerId = api.createUser("fleet-owner", PASSWORD, "user");
            String ownerToken = api.userToken("fleet-owner", PASSWORD);
            Fixtures.Key key = Fixtures.Key.of(Fixtures.createdApiKey(api, ownerToken, Map.of("memo", "fleet benchmark")));
            apiKey = key.key();
            apiSecret = key.secret();
            assertEquals(200, api.apiKeyGrant("iot-api", apiKey, apiSecret, null).status());
            node = Edge.ownedNode(api, "fleet-owner", PASSWORD);

            // scope upp:anchor: its audience is iot-platform, the introspecting client
            Api.Resp created = api.postJson(purposedUrl(), Map.of("purpose", "Fleet benchmark", "targetIdentities", List.of(node),
                    "targetGroups", List.of(), "expiration", 86400, "originDomains", List.of(), "scopes", List.of("upp:anchor")), ownerToken);
            assertEquals(201, created.status(), created.toString());
            purposedToken = created.json().get("token").asText();
            platformSecret = api.platformSecret();
            Api.Resp introspected = api.postForm(api.tokenUrl(Api.REALM) + "/introspect", introspectionForm(), null);
            assertTrue(introspected.json().path("active").asBoolean(), introspected.toString());

            // a tenant with a bootstrap token for its group (as in BootstrapIT); its bootstraps do not touch the owner's rows
            tenantId = api.createUser("fleet-tenant", PASSWORD, "user");
            groupId = Fixtures.group(api, "fleet-group");
            Fixtures.joinGroup(api, tenantId, groupId);
            Api.Resp b = api.postJson(purposedUrl(), Map.of("tenantId", tenantId, "purpose", "Fleet_Bootstrap", "targetIdentities", List.of(),
                    "targetGroups", List.of(groupId), "expiration", 86400, "originDomains", List.of(), "scopes", List.of("thing:bootstrap")),
                    api.userToken("fleet-tenant", PASSWORD));
            assertEquals(201, b.status(), b.toString());
            bootstrapToken = b.json().get("token").asText();
        }

        private String purposedUrl() {
            return bench.server.realmUrl(Api.REALM) + "/purposed-tokens";
        }

        /** RFC 7662 introspection of the owner's purposed token by iot-platform, its audience. */
        private Map<String, String> introspectionForm() {
            return Map.of("client_id", "iot-platform", "client_secret", platformSecret, "token", purposedToken, "token_type_hint", "purposed_token");
        }

        // ---- measurement ------------------------------------------------------------------------------------------

        /** The measured operations, each built when called (the bootstrap's bodies are signed right before its run). */
        Map<String, java.util.concurrent.Callable<IntSupplier>> ops() {
            String ownerToken = api.userToken("fleet-owner", PASSWORD);
            String idToken = api.codeFlow("developer-console", Edge.CALLBACK, "fleet-owner", PASSWORD, "openid").json().get("id_token").asText();
            String realmUrl = bench.server.realmUrl(Api.REALM);
            String adminUrl = bench.server.adminUrl(Api.REALM);

            Map<String, java.util.concurrent.Callable<IntSupplier>> ops = new LinkedHashMap<>();
            ops.put("api-key grant", () -> bench.preparedToken(Map.of("grant_type", Api.API_KEY_GRANT, "client_id", "iot-api",
                    "api_key", apiKey, "api_secret", apiSecret)));
            ops.put("edge token exchange (ID token -> node token)", () -> bench.preparedToken(Map.of(
                    "grant_type", "urn:ietf:params:oauth:grant-type:token-exchange", "client_id", "edge-cli",
                    "subject_token", idToken, "subject_token_type", Edge.ID_TOKEN_TYPE, "node_id", node)));
            ops.put("purposed-token introspection (RFC 7662)", () -> bench.prepared(api.tokenUrl(Api.REALM) + "/introspect",
                    "application/x-www-form-urlencoded", Api.form(introspectionForm()), null));
            ops.put("GET /api-keys (the owner's keys)", () -> get(realmUrl + "/api-keys", () -> ownerToken));
            ops.put("admin GET /api-keys (all keys of the realm)", () -> get(adminUrl + "/api-keys", api::adminToken));
            ops.put("GET /devices (the owner's devices)", () -> get(realmUrl + "/devices", () -> ownerToken));
            ops.put("admin GET /devices (all devices of the realm)", () -> get(adminUrl + "/devices", api::adminToken));
            ops.put("GET /purposed-tokens (the owner's tokens)", () -> get(realmUrl + "/purposed-tokens", () -> ownerToken));
            ops.put("purposed bootstrap (3 tokens per call)", () -> bootstraps(SAMPLES + WARMUP)); // signed right before its run

            return ops;
        }

        /**
         * {@code n} bootstrap requests, signed before the clock starts, by devices registered now: the server takes every
         * signed body once and only within 300 s of its timestamp, so each device signs {@value #PER_DEVICE} bodies
         * with timestamps from 100 s before now to 99 s after (the run of one operation takes well under 200 s).
         */
        private IntSupplier bootstraps(int n) throws Exception {
            long now = System.currentTimeMillis() / 1000;
            List<HttpRequest> requests = new ArrayList<>();
            TestDeviceKeys key = null;
            String device = null;
            for (int i = 0; i < n; i++) {
                if (i % PER_DEVICE == 0) {
                    key = TestDeviceKeys.ec();
                    device = Api.unique("fleet-thing");
                    String keyBody = Api.JSON.writeValueAsString(Map.of("publicKey", key.jwk));
                    Api.Resp registered = api.send(HttpRequest.newBuilder(URI.create(bench.server.realmUrl(Api.REALM) + "/devices/" + device + "/key"))
                            .header("Content-Type", "application/json").header("X-Signature", key.sign(keyBody, false))
                            .POST(HttpRequest.BodyPublishers.ofString(keyBody)));
                    assertEquals(201, registered.status(), registered.toString());
                }
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("token", bootstrapToken);
                m.put("identity", device);
                m.put("timestamp", now - 100 + i % PER_DEVICE);
                String body = Api.JSON.writeValueAsString(m);
                requests.add(HttpRequest.newBuilder(URI.create(bench.server.realmUrl(Api.REALM) + "/purposed-tokens/bootstrap"))
                        .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                        .header("X-Signature", key.sign(body, false)).POST(HttpRequest.BodyPublishers.ofString(body)).build());
            }
            AtomicInteger next = new AtomicInteger();
            return () -> BenchServer.status(HTTP, requests.get(next.getAndIncrement()));
        }

        // ---- filler rows ------------------------------------------------------------------------------------------

        private static final String KEYS = "insert into iot_api_key (id, realm_id, user_id, api_key, secret_hash, memo, status, created_at, expires_at)"
                + " select md5(?||g)::uuid::text, ?, coalesce(?, md5('u'||(g % " + FILLER_OWNERS + "))::uuid::text), 'iotk_'||substr(md5(?||g),1,22),"
                + " 'h1:filler', 'fleet filler', case when g % 20 = 0 then 'revoked' when g % 20 = 1 then 'suspended' else 'active' end,"
                + " ? - g * 30000, case when g % 3 = 0 then ? + 31536000000 end from generate_series(?::bigint, ?::bigint) g";
        private static final String DEVICES = "insert into iot_device (id, realm_id, device_id, owner_id, associated_at, created_at)"
                + " select md5(?||g)::uuid::text, ?, ?||g, case when ?::varchar is not null then ? when g % 10 <> 0 then md5('u'||(g % " + FILLER_OWNERS
                + "))::uuid::text end, ? - g * 30000, ? - g * 30000 from generate_series(?::bigint, ?::bigint) g";
        private static final String DEVICE_GROUPS = "insert into iot_device_group (device_id, group_id)"
                + " select md5(?||g)::uuid::text, md5('grp'||(g % 100))::uuid::text from generate_series(?::bigint, ?::bigint) g where g % 3 = 0";
        private static final String TOKENS = "insert into iot_purposed_token (id, realm_id, owner_id, category, purpose, target_identities, target_groups,"
                + " origin_domains, scopes, audience, expires_at, created_at)"
                + " select md5(?||g)::uuid::text, ?, coalesce(?, md5('u'||(g % " + FILLER_OWNERS + "))::uuid::text), 'purposed_claim', 'fleet filler',"
                + " '[\"'||?||g||'\"]', '[]', '[]', 'upp:verify', '[\"iot-platform\"]', ? / 1000 + 31536000, ? - g * 30000"
                + " from generate_series(?::bigint, ?::bigint) g";
        private static final String[] TABLES = {"iot_api_key", "iot_device", "iot_purposed_token"};

        /** Fills every one of the three tables up to {@code total} rows, {@code owned} of them the measured owner's. */
        void grow(int total, int owned) throws Exception {
            try (Connection c = Postgres.connect(bench.database)) {
                // every table gets at least the figure (the purposed tokens a few more: each bootstrap adds three)
                long ownedNow = Math.min(Math.min(ownedRows(c, "iot_api_key", "user_id"), ownedRows(c, "iot_device", "owner_id")),
                        ownedRows(c, "iot_purposed_token", "owner_id"));
                long addOwned = Math.max(0, owned - ownedNow);
                long addFiller = Math.max(0, total - Arrays.stream(TABLES).mapToLong(t -> rows(c, t)).min().orElse(0) - addOwned);
                insert(c, "f", null, nextFiller, nextFiller + addFiller - 1);
                insert(c, "o", ownerId, nextOwned, nextOwned + addOwned - 1);
                nextFiller += addFiller;
                nextOwned += addOwned;
                vacuum(c);
            }
        }

        private static void vacuum(Connection c) throws Exception {
            c.setAutoCommit(true);
            try (Statement st = c.createStatement()) {
                for (String t : List.of("iot_api_key", "iot_device", "iot_device_group", "iot_purposed_token")) {
                    st.execute("vacuum analyze " + t);
                }
            }
        }

        private void insert(Connection c, String prefix, String owner, long from, long to) throws Exception {
            if (to < from) {
                return;
            }
            long now = System.currentTimeMillis();
            c.setAutoCommit(false);
            try (PreparedStatement keys = c.prepareStatement(KEYS); PreparedStatement devices = c.prepareStatement(DEVICES);
                 PreparedStatement groups = c.prepareStatement(DEVICE_GROUPS); PreparedStatement tokens = c.prepareStatement(TOKENS)) {
                bind(keys, "k" + prefix, realmId, owner, "key" + prefix, now, now, from, to);
                bind(devices, "d" + prefix, realmId, "fleet-" + prefix + "-", owner, owner, now, now, from, to);
                bind(groups, "d" + prefix, from, to);
                bind(tokens, "t" + prefix, realmId, owner, "fleet-" + prefix + "-", now, now, from, to);
                keys.executeUpdate();
                devices.executeUpdate();
                if (owner == null) {
                    groups.executeUpdate();
                }
                tokens.executeUpdate();
            }
            c.commit();
        }

        private static void bind(PreparedStatement ps, Object... values) throws Exception {
            for (int i = 0; i < values.length; i++) {
                ps.setObject(i + 1, values[i]);
            }
        }

        private long ownedRows(Connection c, String table, String column) throws Exception {
            try (PreparedStatement ps = c.prepareStatement("select count(*) from " + table + " where " + column + " = ?")) {
                ps.setString(1, ownerId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        }

        private static long rows(Connection c, String table) {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select count(*) from " + table)) {
                rs.next();
                return rs.getLong(1);
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        String counts() throws Exception {
            try (Connection c = Postgres.connect(bench.database)) {
                return String.format("%d API keys (%d the owner's), %d devices (%d), %d purposed tokens (%d)",
                        rows(c, "iot_api_key"), ownedRows(c, "iot_api_key", "user_id"), rows(c, "iot_device"), ownedRows(c, "iot_device", "owner_id"),
                        rows(c, "iot_purposed_token"), ownedRows(c, "iot_purposed_token", "owner_id"));
            }
        }

        // ---- EXPLAIN ANALYZE at the large size ---------------------------------------------------------------------

        /** The SQL Hibernate sends for each measured query (named and JPQL queries of the services), explained once warm. */
        void explainAll() throws Exception {
            Map<String, String> queries = new LinkedHashMap<>();
            queries.put("IotApiKey.byKey (grant)", "select * from iot_api_key where realm_id = ? and api_key = ?");
            queries.put("IotApiKey.byUser (owner's keys, page 1)", "select * from iot_api_key where realm_id = ? and user_id = ?"
                    + " order by created_at desc, id offset 0 rows fetch first 20 rows only");
            queries.put("IotApiKey.byRealm (admin list, page 1)", "select * from iot_api_key where realm_id = ?"
                    + " order by created_at desc, id offset 0 rows fetch first 20 rows only");
            queries.put("IotApiKey.byRealm (admin list, first=100000)", "select * from iot_api_key where realm_id = ?"
                    + " order by created_at desc, id offset 100000 rows fetch first 20 rows only");
            queries.put("IotDevice.byDeviceId (edge exchange, bootstrap)", "select * from iot_device where realm_id = ? and device_id = ?");
            queries.put("devices of an owner (page 1)", "select * from iot_device where realm_id = ? and owner_id = ?"
                    + " order by device_id offset 0 rows fetch first 20 rows only");
            queries.put("devices of the realm (admin list, page 1)", "select * from iot_device where realm_id = ?"
                    + " order by device_id offset 0 rows fetch first 20 rows only");
            queries.put("devices not owned (introspection)", "select device_id from iot_device where realm_id = ? and owner_id = ? and device_id in (?)");
            queries.put("IotPurposedToken.byId (introspection)", "select * from iot_purposed_token where realm_id = ? and id = ?");
            queries.put("IotPurposedToken.byOwner (owner's tokens, page 1)", "select * from iot_purposed_token where realm_id = ? and owner_id = ?"
                    + " order by created_at desc, id offset 0 rows fetch first 20 rows only");
            String tokenId = com.nimbusds.jwt.SignedJWT.parse(purposedToken).getJWTClaimsSet().getJWTID();
            Map<String, Object[]> params = Map.of(
                    "IotApiKey.byKey (grant)", new Object[] {realmId, apiKey},
                    "IotApiKey.byUser (owner's keys, page 1)", new Object[] {realmId, ownerId},
                    "IotDevice.byDeviceId (edge exchange, bootstrap)", new Object[] {realmId, node},
                    "devices of an owner (page 1)", new Object[] {realmId, ownerId},
                    "devices not owned (introspection)", new Object[] {realmId, ownerId, node},
                    "IotPurposedToken.byId (introspection)", new Object[] {realmId, tokenId},
                    "IotPurposedToken.byOwner (owner's tokens, page 1)", new Object[] {realmId, ownerId});
            print("");
            print("  EXPLAIN (ANALYZE) at the large size (PostgreSQL, warm; the plan's access path and execution time):");
            Pattern time = Pattern.compile("Execution Time: ([0-9.]+) ms");
            Pattern access = Pattern.compile("((?:Parallel )?(?:Index Only Scan|Index Scan Backward|Index Scan|Seq Scan|Bitmap Heap Scan)(?: using \\w+)? on \\w+)");
            try (Connection c = Postgres.connect(bench.database)) {
                for (Map.Entry<String, String> q : queries.entrySet()) {
                    Object[] p = params.getOrDefault(q.getKey(), new Object[] {realmId});
                    String plan = "";
                    for (int run = 0; run < 2; run++) {
                        try (PreparedStatement ps = c.prepareStatement("explain (analyze, buffers off) " + q.getValue())) {
                            bind(ps, p);
                            StringBuilder b = new StringBuilder();
                            try (ResultSet rs = ps.executeQuery()) {
                                while (rs.next()) {
                                    b.append(rs.getString(1)).append('\n');
                                }
                            }
                            plan = b.toString();
                        }
                    }
                    Matcher t = time.matcher(plan);
                    Matcher a = access.matcher(plan);
                    List<String> paths = new ArrayList<>();
                    while (a.find()) {
                        paths.add(a.group(1));
                    }
                    print(String.format("    %-48s %8s ms  %s", q.getKey(), t.find() ? t.group(1) : "?", String.join(", ", paths)));
                }
            }
        }

        // ---- heap under a spray of unknown keys --------------------------------------------------------------------

        void spray() throws Exception {
            long pid = bench.server.pid();
            print("");
            long before = heapUsedAfterGc(pid);
            print(String.format("  heap used after a full GC (jcmd GC.run twice, then GC.heap_info), before the spray: %7.1f MB", before / 1024.0));

            // event storage off for the spray (events still reach listeners): one INSERT and commit per failed grant
            // halves the rate on two cores, and the events' table is Keycloak's, not a per-node cache
            setEventStorage(false);
            String url = api.tokenUrl(Api.REALM);
            AtomicInteger next = new AtomicInteger();
            Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
            AtomicLong errors = new AtomicLong();
            long deadline = System.nanoTime() + SPRAY_SECONDS * 1_000_000_000L;
            long start = System.nanoTime();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < SPRAY_THREADS; t++) {
                Thread th = new Thread(() -> {
                    int i;
                    while ((i = next.getAndIncrement()) < SPRAY && System.nanoTime() < deadline) {
                        // a distinct well-formed key (iotk_ + 22 base62) from a distinct address per request
                        String body = "grant_type=" + Api.API_KEY_GRANT.replace(":", "%3A") + "&client_id=iot-api&api_key=iotk_Spray"
                                + String.format("%017d", i) + "&api_secret=iots_sprayed";
                        HttpRequest r = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                                .header("Content-Type", "application/x-www-form-urlencoded")
                                .header("X-Forwarded-For", "10." + ((i >> 16) & 255) + "." + ((i >> 8) & 255) + "." + (i & 255))
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
                        try {
                            int status = HTTP.send(r, HttpResponse.BodyHandlers.discarding()).statusCode();
                            statuses.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
                        } catch (IOException e) {
                            errors.incrementAndGet();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                    }
                });
                th.start();
                threads.add(th);
            }
            for (Thread th : threads) {
                th.join();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            setEventStorage(true);
            long sent = statuses.values().stream().mapToLong(AtomicLong::get).sum() + errors.get();
            print(String.format("  spray: %d distinct unknown API keys, each from its own X-Forwarded-For address,"
                    + " %d client threads, event storage off, %.0f s (%.0f requests/s)%s", sent, SPRAY_THREADS, seconds, sent / seconds,
                    sent < SPRAY ? String.format("; stopped at the %d s limit, %d short of %d", SPRAY_SECONDS, SPRAY - sent, SPRAY) : ""));
            print("    answers: " + new java.util.TreeMap<>(statuses) + (errors.get() > 0 ? ", I/O errors " + errors.get() : ""));
            long after = heapUsedAfterGc(pid);
            print(String.format("  heap used after a full GC, after the spray:  %7.1f MB;  growth %+.1f MB (target <= 64 MB)",
                    after / 1024.0, (after - before) / 1024.0));
            IntSupplier grant = bench.preparedToken(Map.of("grant_type", Api.API_KEY_GRANT, "client_id", "iot-api", "api_key", apiKey,
                    "api_secret", apiSecret));
            check("api-key grant after the spray", grant.getAsInt());
            print("  the owner's key grant after the spray, from the owner's own address: 200");
        }

        private void setEventStorage(boolean on) {
            eventStorage(bench, on);
        }

        /** Used heap in KB after two full GCs of the server JVM. */
        private static long heapUsedAfterGc(long pid) throws Exception {
            jcmd(pid, "GC.run");
            jcmd(pid, "GC.run");
            String info = jcmd(pid, "GC.heap_info");
            Matcher m = Pattern.compile("heap\\s+total\\s+\\d+K, used (\\d+)K").matcher(info);
            if (!m.find()) {
                throw new IllegalStateException("no heap figure in jcmd GC.heap_info:\n" + info);
            }
            return Long.parseLong(m.group(1));
        }

        /** Runs jcmd on the server's JVM; the attach may time out on a loaded machine, so it is tried up to five times. */
        private static String jcmd(long pid, String command) throws Exception {
            String out = "";
            for (int attempt = 0; attempt < 5; attempt++) {
                Process p = new ProcessBuilder(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                        Long.toString(javaPid(pid)), command).redirectErrorStream(true).start();
                out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                if (p.waitFor() == 0) {
                    return out;
                }
                Thread.sleep(2000);
            }
            throw new IllegalStateException("jcmd " + pid + " " + command + " failed:\n" + out);
        }

        /** The server's java process: {@code pid} itself when kc.sh exec'd java, else its java descendant. */
        private static long javaPid(long pid) {
            ProcessHandle h = ProcessHandle.of(pid).orElseThrow();
            if (h.info().command().orElse("").endsWith("java")) {
                return pid;
            }
            return h.descendants().filter(d -> d.info().command().orElse("").endsWith("java")).mapToLong(ProcessHandle::pid).findFirst().orElse(pid);
        }
    }
}
