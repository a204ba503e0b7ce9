package io.iottokens.keycloak.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

import org.junit.jupiter.api.Test;

import io.iottokens.keycloak.it.support.Api;
import io.iottokens.keycloak.it.support.Fixtures;

/**
 * Prints figures, asserts no timing: how long suspending a key takes (the HTTP round trip of
 * {@code POST /api-keys/{id}/suspend}, which ends the key's sessions before it answers) while its owner holds 10,
 * 1,000 and 10,000 other sessions (password grants). The key's sessions are found by the key
 * (IOT_API_KEY_SESSION), so the owner's other sessions should not count. Run: {@code mvn -B verify -Pbenchmark
 * -Dit.test=KeySuspendBenchmark}.
 */
@BenchServer.Named("key-suspend")
class KeySuspendBenchmark extends BenchmarkBase {

    private static final int SAMPLES = Integer.getInteger("bench.samples", 40);
    private static final int[] OWNER_SESSIONS = {10, 1_000, 10_000};

    @Test
    void suspendTimeAgainstTheOwnersSessions() throws Exception {
        prepareRealm(bench, false); // many concurrent correct logins
        String owner = "suspend-owner";
        String password = "suspend-owner-password";
        api.createUser(owner, password);
        String ownerToken = api.userToken(owner, password);
        Fixtures.Key key = Fixtures.Key.of(Fixtures.createdApiKey(api, ownerToken, Map.of("memo", "suspend benchmark")));
        String url = api.apiKeysUrl() + "/" + key.id();
        IntSupplier login = bench.preparedToken(Map.of("grant_type", "password", "client_id", "iot-api", "username", owner, "password", password));

        heading(bench, "Key suspend benchmark", String.format("median of %d suspends, each after a grant gave the key a live session", SAMPLES));
        int sessions = 1; // the login above
        for (int i = 0; i < SAMPLES; i++) { // warm-up: the first suspends pay for class loading and JIT
            assertEquals(200, api.apiKeyGrant("iot-api", key.key(), key.secret(), null).status());
            assertEquals(200, api.postJson(url + "/suspend", Map.of(), ownerToken).status());
            assertEquals(200, api.postJson(url + "/resume", Map.of(), ownerToken).status());
        }
        for (int target : OWNER_SESSIONS) {
            sessions += open(login, target - sessions);
            ownerToken = api.userToken(owner, password); // opening thousands of sessions outlasts an access token
            sessions++;
            long[] t = new long[SAMPLES];
            for (int i = 0; i < SAMPLES; i++) {
                assertEquals(200, api.apiKeyGrant("iot-api", key.key(), key.secret(), null).status(), "the key works before each suspend");
                long start = System.nanoTime();
                Api.Resp suspended = api.postJson(url + "/suspend", Map.of(), ownerToken);
                t[i] = System.nanoTime() - start;
                assertEquals(200, suspended.status(), suspended.toString());
                assertEquals(200, api.postJson(url + "/resume", Map.of(), ownerToken).status());
            }
            bench.print(String.format("  owner holds %6d other sessions: suspend median %6.1f ms, p90 %6.1f ms", target, quantileMillis(t, 0.5),
                    quantileMillis(t, 0.9)));
        }
    }

    /** Opens {@code n} password-grant sessions of the owner from {@link BenchServer#THREADS} threads; returns n. */
    private static int open(IntSupplier login, int n) throws InterruptedException {
        AtomicInteger left = new AtomicInteger(n);
        Thread[] threads = new Thread[BenchServer.THREADS * 2];
        for (int i = 0; i < threads.length; i++) {
            threads[i] = new Thread(() -> {
                while (left.getAndDecrement() > 0) {
                    if (login.getAsInt() != 200) {
                        throw new IllegalStateException("a password grant failed while opening sessions");
                    }
                }
            });
            threads[i].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        return n;
    }
}
