package io.iottokens.sdk;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jwt.SignedJWT;

/**
 * JMH: ES256 verifications per second through {@link IotTokenVerifier#decodeAndVerify} next to raw nimbus
 * (parse + ECDSA signature check) of the same token, in the same run, and the ratio; also the JWKS fetches.
 * Prints figures, asserts nothing. Run: {@code mvn -B verify -Pbenchmark} (or {@code -pl sdk}).
 */
public class VerifyBenchmark {

    @State(Scope.Benchmark)
    public static class Tokens {
        LocalJwks jwks;
        IotTokenVerifier verifier;
        ECDSAVerifier raw;
        String token;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            jwks = new LocalJwks();
            verifier = jwks.verifier().audience("iot-platform").build();
            raw = new ECDSAVerifier(jwks.ec.toECPublicKey());
            token = LocalJwks.es256(jwks.ec, LocalJwks.claims().build());
            verifier.decodeAndVerify(token);
        }

        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            System.out.printf("%nJWKS fetches by the verifier during this trial: %d (HTTP requests seen by the JWKS server: %d)%n",
                    verifier.jwksFetches(), jwks.fetches.get());
            jwks.close();
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public Object decodeAndVerify(Tokens t) {
        return t.verifier.decodeAndVerify(t.token);
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public boolean rawNimbus(Tokens t) throws Exception {
        return SignedJWT.parse(t.token).verify(t.raw);
    }

    /** Entry point for Maven (surefire, benchmark profile). */
    @Test
    void run() throws Exception {
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .include(VerifyBenchmark.class.getName() + ".*")
                .forks(1)
                .threads(1)
                .warmupIterations(3).warmupTime(TimeValue.seconds(2))
                .measurementIterations(5).measurementTime(TimeValue.seconds(3))
                .build()).run();
        double sdk = 0;
        double nimbus = 0;
        for (RunResult r : results) {
            double score = r.getPrimaryResult().getScore();
            if (r.getParams().getBenchmark().endsWith("decodeAndVerify")) {
                sdk = score;
            } else {
                nimbus = score;
            }
        }
        List<String> lines = new ArrayList<>();
        lines.add(String.format("ES256 verification, 1 thread, JMH (1 fork, 3x2 s warm-up, 5x3 s measurement):"));
        lines.add(String.format("  IotTokenVerifier.decodeAndVerify  %10.0f ops/s  (signature + typ, iss, aud, exp, nbf, key selection)", sdk));
        lines.add(String.format("  raw nimbus parse + ECDSA verify   %10.0f ops/s", nimbus));
        lines.add(String.format("  ratio sdk / raw                   %10.2f", sdk / nimbus));
        lines.forEach(System.out::println);
        Files.write(Path.of("target/benchmark-sdk-verify.txt"), lines);
    }
}
