package io.iottokens.keycloak.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.iottokens.keycloak.it.support.Api;
import io.iottokens.keycloak.it.support.KeycloakExtension;
import io.iottokens.keycloak.it.support.KeycloakServer;
import io.iottokens.keycloak.it.support.Postgres;
import io.iottokens.keycloak.it.support.TestEnv;

/**
 * One benchmark's server: the pack on PostgreSQL in a database of its own, and the figures it prints.
 * Register it in a benchmark class with {@code @RegisterExtension static final BenchServer.Lifecycle bench =
 * BenchServer.lifecycle("name");}: started before the class's tests, stopped and its database dropped after.
 */
final class BenchServer implements AutoCloseable {

    /** JUnit lifecycle around one {@link BenchServer}. */
    static final class Lifecycle implements org.junit.jupiter.api.extension.BeforeAllCallback, org.junit.jupiter.api.extension.AfterAllCallback {
        private final String name;
        private BenchServer server;

        private Lifecycle(String name) {
            this.name = name;
        }

        BenchServer get() {
            return server;
        }

        @Override
        public void beforeAll(org.junit.jupiter.api.extension.ExtensionContext context) throws Exception {
            server = start(name);
        }

        @Override
        public void afterAll(org.junit.jupiter.api.extension.ExtensionContext context) throws Exception {
            if (server != null) {
                server.close();
            }
        }
    }

    static Lifecycle lifecycle(String name) {
        return new Lifecycle(name);
    }

    static final int THREADS = Integer.getInteger("bench.threads", 4);
    static final double WARMUP_SECONDS = Double.parseDouble(System.getProperty("bench.warmup", "10"));
    static final double SECONDS = Double.parseDouble(System.getProperty("bench.seconds", "20"));

    final String database;
    final KeycloakServer server;
    final Api api;
    private final String name;
    private final List<String> report = new ArrayList<>();

    private BenchServer(String name, String database, KeycloakServer server) {
        this.name = name;
        this.database = database;
        this.server = server;
        this.api = new Api(server);
    }

    static BenchServer start(String name) throws Exception {
        String database = Postgres.createDatabase("iottokens_bench_" + name.replace('-', '_'));
        Path home = KeycloakServer.copyOfDistribution(TestEnv.keycloakHome(), TestEnv.workDir().resolve("keycloak-bench-" + name));
        KeycloakServer.Options o = KeycloakExtension.packOptions(home, TestEnv.workDir().resolve("keycloak-bench-" + name + ".log"));
        for (String a : Postgres.keycloakArgs(database)) {
            o.arg(a);
        }
        return new BenchServer(name, database, KeycloakServer.start(o));
    }

    void print(String line) {
        System.out.println(line);
        report.add(line);
    }

    /** Warm-up, then two interleaved rounds per kind (drift hits every kind alike); tokens/s per kind. */
    double[] measure(List<java.util.function.IntSupplier> kinds, String[] names, int[] tokensPerCall) throws InterruptedException {
        for (java.util.function.IntSupplier k : kinds) {
            Load.run(THREADS, WARMUP_SECONDS / kinds.size(), k);
        }
        double[] sum = new double[kinds.size()];
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < kinds.size(); i++) {
                Load.Result r = Load.run(THREADS, SECONDS / 2, kinds.get(i));
                if (r.failed() > 0) {
                    throw new IllegalStateException(names[i] + ": " + r.failed() + " requests failed");
                }
                sum[i] += r.perSecond() * (tokensPerCall == null ? 1 : tokensPerCall[i]) / 2;
            }
        }
        return sum;
    }

    @Override
    public void close() throws Exception {
        server.close();
        Postgres.dropDatabase(database);
        Path out = TestEnv.workDir().resolve("benchmark-" + name + ".txt");
        Files.write(out, report);
        System.out.println("figures written to " + out);
    }
}
