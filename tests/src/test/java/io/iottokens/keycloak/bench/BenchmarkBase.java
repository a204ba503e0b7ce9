package io.iottokens.keycloak.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

import io.iottokens.keycloak.it.support.Api;
import io.iottokens.keycloak.it.support.Fixtures;

/**
 * What every benchmark shares, once: its server (named by {@code @BenchServer.Named("name")} on the subclass, started
 * before its tests and dropped after them), the realm settings of a run, the heading, the measured comparison against
 * Keycloak's built-in grants in the same run (warm-up, rotating rounds, tokens/s and ratios) and latency quantiles.
 * Benchmarks print figures; they assert nothing about time.
 */
@ExtendWith(BenchServer.Extension.class)
abstract class BenchmarkBase {

    /** The benchmark's server and a client bound to it, set before each test. */
    protected BenchServer bench;
    protected Api api;

    @BeforeEach
    final void bindServer(BenchServer server) {
        bench = server;
        api = server.api;
    }

    // ---- the run's settings -----------------------------------------------------------------------------------------

    /**
     * Brute-force detection off for the run: under concurrent correct logins, 26.7.3 locked the password grant's user
     * (user_temporarily_disabled) without any failed attempt, which would end a run. With {@code longLivedTokens}, login
     * tokens (realm and iot-api, whose tokens live 5 minutes) live an hour, so one token serves the whole run.
     */
    static void prepareRealm(BenchServer server, boolean longLivedTokens) {
        Fixtures.updateRealm(server.api, realm -> {
            realm.put("bruteForceProtected", false);
            if (longLivedTokens) {
                realm.put("accessTokenLifespan", 3600);
            }
        });
        if (longLivedTokens) {
            Fixtures.updateClient(server.api, "iot-api", c -> c.with("attributes").put("access.token.lifespan", "3600"));
        }
    }

    /** Event storage on or off (events still reach listeners; off, none is written to the database). */
    static void eventStorage(BenchServer server, boolean on) {
        Fixtures.updateRealm(server.api, realm -> realm.put("eventsEnabled", on));
    }

    // ---- printing ---------------------------------------------------------------------------------------------------

    /** The first line of a benchmark's figures: {@code title: Keycloak <version>, PostgreSQL, <n> cores, <details>}. */
    static void heading(BenchServer server, String title, String details) {
        server.print(String.format("%s: Keycloak %s, PostgreSQL, %d cores, %s", title, System.getProperty("keycloak.version"),
                Runtime.getRuntime().availableProcessors(), details));
    }

    /** How {@link #compare} measures, for a heading. */
    static String rounds() {
        return String.format("%d client threads, %.0f s per kind in %d rounds after %.0f s warm-up", BenchServer.THREADS, BenchServer.SECONDS,
                BenchServer.ROUNDS, BenchServer.WARMUP_SECONDS);
    }

    // ---- throughput against the built-in grants -----------------------------------------------------------------------

    /** One kind of request measured: its name, the call (answers the HTTP status) and the tokens one call yields. */
    record Kind(String name, IntSupplier call, int tokensPerCall) {
        Kind(String name, IntSupplier call) {
            this(name, call, 1);
        }
    }

    /** A ratio printed after the figures: tokens/s of kind {@code a} over kind {@code b}; {@code target} may be null. */
    record Ratio(String label, int a, int b, String target) {
    }

    /**
     * Measures the kinds in the same run ({@link BenchServer#measure}: warm-up, then rounds with a rotating order) and
     * prints each kind's tokens/s and the ratios.
     */
    BenchServer.Figures compare(List<Kind> kinds, Ratio... ratios) throws InterruptedException {
        String[] names = kinds.stream().map(Kind::name).toArray(String[]::new);
        int[] perCall = kinds.stream().mapToInt(Kind::tokensPerCall).toArray();
        BenchServer.Figures f = bench.measure(kinds.stream().map(Kind::call).toList(), names, perCall);
        int width = Arrays.stream(names).mapToInt(String::length).max().orElse(0);
        for (int i = 0; i < names.length; i++) {
            bench.print(String.format("  %-" + width + "s %8.1f tokens/s", names[i], f.mean(i)));
        }
        for (Ratio r : ratios) {
            bench.print(f.ratioLine(r.label(), r.a(), r.b(), r.target()));
        }
        return f;
    }

    /** Keycloak's built-in client_credentials grant of an existing confidential client, the reference of the runs. */
    Kind clientCredentials(String clientId) {
        return clientCredentials(clientId, Fixtures.clientSecret(api, clientId));
    }

    Kind clientCredentials(String clientId, String secret) {
        return new Kind("client_credentials (built-in)", bench.preparedToken(Map.of("grant_type", "client_credentials",
                "client_id", clientId, "client_secret", secret)));
    }

    // ---- latency ----------------------------------------------------------------------------------------------------

    /** The {@code p} quantile (0.5 the median) in milliseconds of nanosecond samples; sorts them. */
    static double quantileMillis(long[] nanos, double p) {
        Arrays.sort(nanos);
        return nanos[Math.min(nanos.length - 1, (int) (nanos.length * p))] / 1e6;
    }
}
