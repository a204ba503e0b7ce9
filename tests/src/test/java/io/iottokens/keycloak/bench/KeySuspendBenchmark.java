package io.iottokens.keycloak.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.iottokens.keycloak.it.support.Api;

/**
 * Prints figures, asserts no timing: how long suspending a key takes (the HTTP round trip of
 * {@code POST /api-keys/{id}/suspend}, which ends the key's sessions before it answers) while its owner holds 10,
 * 1,000 and 10,000 other sessions (password grants). The key's sessions are found by the key
 * (IOT_API_KEY_SESSION), so the owner's other sessions should not count. Run: {@code mvn -B verify -Pbenchmark
 * -Dit.test=KeySuspendBenchmark}.
 */
class KeySuspendBenchmark {

    private static final int SAMPLES = Integer.getInteger("bench.samples", 40);
    private static final int[] OWNER_SESSIONS = {10, 1_000, 10_000};

    @RegisterExtension
    static final BenchServer.Lifecycle LIFECYCLE = BenchServer.lifecycle("key-suspend");

    @Test
    void suspendTimeAgainstTheOwnersSessions() throws Exception {
        BenchServer bench = LIFECYCLE.get();
        Api api = bench.api;
        // Brute-force detection off for the run, as in ApiKeyGrantBenchmark (many concurrent correct logins)
        ObjectNode realm = (ObjectNode) api.adminGet("").json();
        realm.put("bruteForceProtected", false);
        assertEquals(204, api.adminPut("", realm).status());
        String owner = "suspend-owner";
        String password = "suspend-owner-password";
        api.createUser(owner, password);
        String ownerToken = api.userToken(owner, password);
        JsonNode key = api.createApiKey(ownerToken, Map.of("memo", "suspend benchmark")).json();
        String url = api.apiKeysUrl() + "/" + key.get("id").asText();
        String k = key.get("key").asText();
        String s = key.get("secret").asText();
        IntSupplier login = bench.preparedToken(Map.of("grant_type", "password", "client_id", "iot-api", "username", owner, "password", password));

        bench.print(String.format("Key suspend benchmark: Keycloak %s, PostgreSQL, %d cores; median of %d suspends, each after a grant gave the key a live session",
                System.getProperty("keycloak.version"), Runtime.getRuntime().availableProcessors(), SAMPLES));
        int sessions = 1; // the login above
        for (int i = 0; i < SAMPLES; i++) { // warm-up: the first suspends pay for class loading and JIT
            assertEquals(200, api.apiKeyGrant("iot-api", k, s, null).status());
            assertEquals(200, api.postJson(url + "/suspend", Map.of(), ownerToken).status());
            assertEquals(200, api.postJson(url + "/resume", Map.of(), ownerToken).status());
        }
        for (int target : OWNER_SESSIONS) {
            sessions += open(login, target - sessions);
            ownerToken = api.userToken(owner, password); // opening thousands of sessions outlasts an access token
            sessions++;
            long[] t = new long[SAMPLES];
            for (int i = 0; i < SAMPLES; i++) {
                assertEquals(200, api.apiKeyGrant("iot-api", k, s, null).status(), "the key works before each suspend");
                long start = System.nanoTime();
                Api.Resp suspended = api.postJson(url + "/suspend", Map.of(), ownerToken);
                t[i] = System.nanoTime() - start;
                assertEquals(200, suspended.status(), suspended.toString());
                assertEquals(200, api.postJson(url + "/resume", Map.of(), ownerToken).status());
            }
            Arrays.sort(t);
            bench.print(String.format("  owner holds %6d other sessions: suspend median %6.1f ms, p90 %6.1f ms", target, t[SAMPLES / 2] / 1e6,
                    t[SAMPLES * 9 / 10] / 1e6));
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
