package io.iottokens.keycloak.apikey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.iottokens.keycloak.apikey.ApiKeyThrottle.Refusal;

class ApiKeyThrottleTest {

    /** 3 per key and address, 10 per address, 6 per key in 15 minutes (locks for 15 minutes). */
    private static final ApiKeyConfig CONFIG = config(6);

    private static ApiKeyConfig config(int keyFailures) {
        return new ApiKeyConfig(null, null, 3, 10, Duration.ofMinutes(5), Duration.ofSeconds(60), Duration.ofMinutes(15),
                keyFailures, Duration.ofMinutes(15), Duration.ofMinutes(15), Duration.ofSeconds(60), 100);
    }

    @Test
    void wrongSecretsBlockTheKeyOnlyFromThatAddress() {
        ApiKeyThrottle t = new ApiKeyThrottle(CONFIG);
        long now = 1_000_000;
        assertNull(t.wrong("r", "10.0.0.1", "k", now));
        assertNull(t.wrong("r", "10.0.0.1", "k", now));
        assertNull(t.blockedReason("r", "10.0.0.1", "k", now), "below the limit");
        assertNull(t.wrong("r", "10.0.0.1", "k", now), "the third counts and blocks");
        assertEquals(Refusal.THROTTLED, t.blockedReason("r", "10.0.0.1", "k", now), "at the limit");
        assertEquals(Refusal.THROTTLED, t.right("r", "10.0.0.1", "k", now), "even the right secret is refused there");
        assertEquals(Refusal.THROTTLED, t.wrong("r", "10.0.0.1", "k", now), "further guesses are refused, not counted");
        assertNull(t.right("r", "10.0.0.2", "k", now), "the owner elsewhere is not locked out");
        assertNull(t.blockedReason("r", "10.0.0.1", "other", now), "other keys from that address still work");
        assertNull(t.blockedReason("other-realm", "10.0.0.1", "k", now));
        assertNull(t.right("r", "10.0.0.1", "k", now + 60_001), "the block ends");
    }

    @Test
    void blocksDoubleOnRepeatUpToTheMaximum() {
        ApiKeyThrottle t = new ApiKeyThrottle(config(0));
        long now = 0;
        long[] expected = {60_000, 120_000, 240_000, 480_000, 900_000, 900_000};
        for (long block : expected) {
            for (int i = 0; i < 3; i++) {
                assertNull(t.wrong("r", "a", "k", now), "counted");
            }
            assertEquals(Refusal.THROTTLED, t.blockedReason("r", "a", "k", now + block - 1), "blocked for " + block);
            assertNull(t.blockedReason("r", "a", "k", now + block), "free after " + block);
            now += block;
        }
    }

    @Test
    void failuresOutsideTheWindowDoNotAddUp() {
        ApiKeyThrottle t = new ApiKeyThrottle(CONFIG);
        t.wrong("r", "a", "k", 0);
        t.wrong("r", "a", "k", 1);
        t.wrong("r", "a", "k", Duration.ofMinutes(6).toMillis());
        assertNull(t.blockedReason("r", "a", "k", Duration.ofMinutes(6).toMillis()));
    }

    @Test
    void theRightSecretClearsThePairsCountButNotTheKeys() {
        ApiKeyThrottle t = new ApiKeyThrottle(CONFIG);
        t.wrong("r", "a", "k", 0);
        t.wrong("r", "a", "k", 0);
        assertNull(t.right("r", "a", "k", 0));
        t.wrong("r", "a", "k", 0);
        assertNull(t.blockedReason("r", "a", "k", 0), "the pair starts again after a success");
        // the key has seen 3 wrong secrets; 3 more from another address lock it despite the success in between
        for (int i = 0; i < 3; i++) {
            t.wrong("r", "b", "k", 0);
        }
        assertEquals(Refusal.KEY_LOCKED, t.right("r", "c", "k", 0));
    }

    @Test
    void oneAddressTryingManyKeysIsBlockedForAll() {
        ApiKeyThrottle t = new ApiKeyThrottle(CONFIG);
        for (int i = 0; i < 10; i++) {
            t.wrong("r", "a", null, 0);
        }
        assertEquals(Refusal.THROTTLED, t.blockedReason("r", "a", "any-key", 0));
        assertEquals(Refusal.THROTTLED, t.right("r", "a", "any-key", 0));
        assertNull(t.blockedReason("r", "b", "any-key", 0));
    }

    @Test
    void theKeyLocksAfterTooManyWrongSecretsFromManyAddresses() {
        ApiKeyThrottle t = new ApiKeyThrottle(CONFIG);
        long now = 5_000;
        assertNull(t.right("r", "owner", "k", now), "the owner gets in first");
        for (int i = 0; i < 6; i++) {
            assertNull(t.wrong("r", "10.0.0." + i, "k", now), "one guess per address: never a pair block, counted " + i);
        }
        assertEquals(Refusal.KEY_LOCKED, t.blockedReason("r", "10.0.1.1", "k", now), "locked for every address");
        assertEquals(Refusal.KEY_LOCKED, t.right("r", "owner", "k", now), "the right secret too");
        assertEquals(Refusal.KEY_LOCKED, t.wrong("r", "10.0.1.2", "k", now), "guesses during the lock are not counted");
        assertNull(t.right("r", "owner", "other-key", now), "the owner's other keys are not affected");
        assertNull(t.right("r", "owner", "k", now + Duration.ofMinutes(15).toMillis()), "the lock ends");
    }

    @Test
    void withoutPerKeyLockoutTheKeyNeverLocks() {
        ApiKeyThrottle t = new ApiKeyThrottle(config(0));
        for (int i = 0; i < 50; i++) {
            t.wrong("r", "10.0.0." + i, "k", 0);
        }
        assertNull(t.right("r", "owner", "k", 0));
    }

    /** Many guesses at once: only the limit of them is judged as a plain wrong secret, and the right one after is refused. */
    @Test
    void concurrentWrongGuessesNeverExceedTheLimit() throws Exception {
        for (int round = 0; round < 20; round++) {
            ApiKeyThrottle t = new ApiKeyThrottle(CONFIG);
            int threads = 40;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Refusal>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return t.wrong("r", "a", "k", 1_000);
                }));
            }
            start.countDown();
            int counted = 0;
            for (Future<Refusal> f : results) {
                if (f.get(10, TimeUnit.SECONDS) == null) {
                    counted++;
                }
            }
            pool.shutdown();
            assertEquals(3, counted, "exactly the per key and address limit is judged, round " + round);
            assertEquals(Refusal.THROTTLED, t.right("r", "a", "k", 1_000));
            assertNull(t.right("r", "b", "k", 1_000), "3 counted against the key (limit 6): not locked");
        }
    }

    @Test
    void memoryStaysBounded() {
        ApiKeyThrottle t = new ApiKeyThrottle(CONFIG);
        for (int i = 0; i < ApiKeyThrottle.MAX_ENTRIES + 10; i++) {
            t.wrong("r", "addr-" + i, null, 0);
        }
        assertTrue(t.size() <= ApiKeyThrottle.MAX_ENTRIES, "entries: " + t.size());
    }
}
