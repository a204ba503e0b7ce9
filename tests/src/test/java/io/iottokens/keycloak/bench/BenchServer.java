package io.iottokens.keycloak.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;

import io.iottokens.keycloak.it.support.Api;
import io.iottokens.keycloak.it.support.KeycloakExtension;
import io.iottokens.keycloak.it.support.KeycloakServer;
import io.iottokens.keycloak.it.support.Postgres;
import io.iottokens.keycloak.it.support.TestEnv;

/**
 * One benchmark's server: the pack on PostgreSQL in a database of its own, and the figures it prints. A benchmark
 * names it with {@link Named} on its class ({@link BenchmarkBase} registers the {@link Extension} that starts it
 * before the class's tests and stops it, dropping its database, after them); a further server of the same class is
 * registered with {@code @RegisterExtension static final BenchServer.Lifecycle other = BenchServer.lifecycle("name");}.
 */
final class BenchServer implements AutoCloseable {

    /** The name of a benchmark's server (its database, its copy of the distribution, its figures file) and extra options. */
    @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)
    @java.lang.annotation.Target(java.lang.annotation.ElementType.TYPE)
    @interface Named {
        String value();

        /** More server options, e.g. {@code --proxy-headers=xforwarded}. */
        String[] args() default {};
    }

    /** Starts the server {@link Named} on the test class, hands it to parameters of type BenchServer, stops it after the class. */
    static final class Extension implements org.junit.jupiter.api.extension.BeforeAllCallback, org.junit.jupiter.api.extension.AfterAllCallback,
            org.junit.jupiter.api.extension.ParameterResolver {
        private static final org.junit.jupiter.api.extension.ExtensionContext.Namespace NS =
                org.junit.jupiter.api.extension.ExtensionContext.Namespace.create(Extension.class);

        @Override
        public void beforeAll(org.junit.jupiter.api.extension.ExtensionContext context) throws Exception {
            Named named = context.getRequiredTestClass().getAnnotation(Named.class);
            if (named == null) {
                throw new IllegalStateException(context.getRequiredTestClass() + " names no server: annotate it with @BenchServer.Named");
            }
            context.getStore(NS).put(BenchServer.class, start(named.value(), named.args()));
        }

        @Override
        public void afterAll(org.junit.jupiter.api.extension.ExtensionContext context) throws Exception {
            BenchServer server = context.getStore(NS).remove(BenchServer.class, BenchServer.class);
            if (server != null) {
                server.close();
            }
        }

        @Override
        public boolean supportsParameter(org.junit.jupiter.api.extension.ParameterContext pc, org.junit.jupiter.api.extension.ExtensionContext ec) {
            return pc.getParameter().getType() == BenchServer.class;
        }

        @Override
        public Object resolveParameter(org.junit.jupiter.api.extension.ParameterContext pc, org.junit.jupiter.api.extension.ExtensionContext ec) {
            return ec.getStore(NS).get(BenchServer.class, BenchServer.class);
        }
    }

    /** JUnit lifecycle around one {@link BenchServer}. */
    static final class Lifecycle implements org.junit.jupiter.api.extension.BeforeAllCallback, org.junit.jupiter.api.extension.AfterAllCallback {
        private final String name;
        private final String[] extraArgs;
        private BenchServer server;

        private Lifecycle(String name, String... extraArgs) {
            this.name = name;
            this.extraArgs = extraArgs;
        }

        BenchServer get() {
            return server;
        }

        @Override
        public void beforeAll(org.junit.jupiter.api.extension.ExtensionContext context) throws Exception {
            server = start(name, extraArgs);
        }

        @Override
        public void afterAll(org.junit.jupiter.api.extension.ExtensionContext context) throws Exception {
            if (server != null) {
                server.close();
            }
        }
    }

    /** {@code extraArgs}: more server options, e.g. {@code --proxy-headers=xforwarded}. */
    static Lifecycle lifecycle(String name, String... extraArgs) {
        return new Lifecycle(name, extraArgs);
    }

    static final int THREADS = Integer.getInteger("bench.threads", 4);
    static final double WARMUP_SECONDS = Double.parseDouble(System.getProperty("bench.warmup", "30"));
    static final double SECONDS = Double.parseDouble(System.getProperty("bench.seconds", "20"));

    final String database;
    final KeycloakServer server;
    final Api api;
    private final String name;
    private final List<String> report = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER).build();

    private BenchServer(String name, String database, KeycloakServer server) {
        this.name = name;
        this.database = database;
        this.server = server;
        this.api = new Api(server);
    }

    static BenchServer start(String name, String... extraArgs) throws Exception {
        String database = Postgres.createDatabase("iottokens_bench_" + name.replace('-', '_'));
        KeycloakServer.Options o = KeycloakExtension.packOnPostgres("keycloak-bench-" + name, database).args(extraArgs);
        return new BenchServer(name, database, KeycloakServer.start(o));
    }

    void print(String line) {
        System.out.println(line);
        report.add(line);
    }

    static final int ROUNDS = Integer.getInteger("bench.rounds", 6);

    /**
     * Warm-up, then {@link #ROUNDS} rounds in which every kind runs {@code SECONDS / ROUNDS} seconds, the order
     * rotating from round to round: drift of the machine hits every kind alike, and a ratio can be taken within
     * each round, between measurements seconds apart. Any failed request fails the benchmark.
     */
    Figures measure(List<IntSupplier> kinds, String[] names, int[] tokensPerCall) throws InterruptedException {
        for (IntSupplier k : kinds) {
            Load.run(THREADS, WARMUP_SECONDS / kinds.size(), k);
        }
        double[][] perRound = new double[ROUNDS][kinds.size()];
        for (int round = 0; round < ROUNDS; round++) {
            for (int j = 0; j < kinds.size(); j++) {
                int i = (round + j) % kinds.size();
                Load.Result r = Load.run(THREADS, SECONDS / ROUNDS, kinds.get(i));
                if (r.failed() > 0) {
                    throw new IllegalStateException(names[i] + ": " + r.failed() + " requests failed");
                }
                perRound[round][i] = r.perSecond() * (tokensPerCall == null ? 1 : tokensPerCall[i]);
            }
        }
        return new Figures(perRound);
    }

    /** Tokens per second of each kind in each round. */
    record Figures(double[][] perRound) {

        /** Mean tokens/s of kind {@code i} over the rounds. */
        double mean(int i) {
            return Arrays.stream(perRound).mapToDouble(r -> r[i]).average().orElse(0);
        }

        /** The ratio of kind {@code a} to kind {@code b} in each round, sorted. */
        double[] ratios(int a, int b) {
            return Arrays.stream(perRound).mapToDouble(r -> r[a] / r[b]).sorted().toArray();
        }

        /** One line: the ratio of the means, and the median and range of the per-round ratios. */
        String ratioLine(String label, int a, int b, String target) {
            double[] r = ratios(a, b);
            double median = r.length % 2 == 1 ? r[r.length / 2] : (r[r.length / 2 - 1] + r[r.length / 2]) / 2;
            return String.format("  %-44s %.2f of the means; per round median %.2f, range %.2f-%.2f over %d rounds%s",
                    label, mean(a) / mean(b), median, r[0], r[r.length - 1], r.length, target == null ? "" : " (target " + target + ")");
        }
    }

    /**
     * A request built once and sent as often as asked: the load generator shares the machine's cores with the
     * server, so no kind pays for encoding its request on every call. Answers the HTTP status; the body is read.
     */
    IntSupplier prepared(String url, String contentType, String body, String bearer) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(60)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        HttpRequest request = b.build();
        return () -> status(http, request);
    }

    /** Sends {@code request}, reads the body, answers the HTTP status; I/O failures are unchecked. */
    static int status(HttpClient http, HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@link #prepared} for a form POST to the realm's token endpoint. */
    IntSupplier preparedToken(Map<String, String> form) {
        return prepared(api.tokenUrl(Api.REALM), "application/x-www-form-urlencoded", Api.form(form), null);
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
