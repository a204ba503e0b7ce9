package io.iottokens.keycloak.apikey;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class ApiKeyThrottleTest {

    private static final ApiKeyConfig CONFIG = new ApiKeyConfig(null, null, 3, 10, Duration.ofMinutes(5),
            Duration.ofSeconds(60), Duration.ofMinutes(15), Duration.ofSeconds(60), 100);

    @Test
    void wrongSecretsBlockTheKeyOnlyFromThatAddress() {
        ApiKeyThrottle t = new ApiKeyThrottle(CONFIG);
        long now = 1_000_000;
        for (int i = 0; i < 2; i++) {
            t.failure("r", "10.0.0.1", "k", now);
        }
        assertFalse(t.isBlocked("r", "10.0.0.1", "k", now), "below the limit");
        t.failure("r", "10.0.0.1", "k", now);
        assertTrue(t.isBlocked("r", "10.0.0.1", "k", now), "at the limit");
        assertFalse(t.isBlocked("r", "10.0.0.2", "k", now), "the owner elsewhere is not locked out");
        assertFalse(t.isBlocked("r", "10.0.0.1", "other", now), "other keys from that address still work");
        assertFalse(t.isBlocked("other-realm", "10.0.0.1", "k", now));
        assertFalse(t.isBlocked("r", "10.0.0.1", "k", now + 60_001), "the block ends");
    }

    @Test
    void blocksDoubleOnRepeatUpToTheMaximum() {
        ApiKeyThrottle t = new ApiKeyThrottle(CONFIG);
        long now = 0;
        long[] expected = {60_000, 120_000, 240_000, 480_000, 900_000, 900_000};
        for (long block : expected) {
            for (int i = 0; i < 3; i++) {
                t.failure("r", "a", "k", now);
            }
            assertTrue(t.isBlocked("r", "a", "k", now + block - 1), "blocked for " + block);
            assertFalse(t.isBlocked("r", "a", "k", now + block), "free after " + block);
            now += block;
        }
    }

    @Test
    void failuresOutsideTheWindowDoNotAddUp() {
        ApiKeyThrottle t = new ApiKeyThrottle(CONFIG);
        t.failure("r", "a", "k", 0);
        t.failure("r", "a", "k", 1);
        t.failure("r", "a", "k", Duration.ofMinutes(6).toMillis());
        assertFalse(t.isBlocked("r", "a", "k", Duration.ofMinutes(6).toMillis()));
    }

    @Test
    void successClearsThePairsCount() {
        ApiKeyThrottle t = new ApiKeyThrottle(CONFIG);
        t.failure("r", "a", "k", 0);
        t.failure("r", "a", "k", 0);
        t.success("r", "a", "k");
        t.failure("r", "a", "k", 0);
        assertFalse(t.isBlocked("r", "a", "k", 0));
    }

    @Test
    void oneAddressTryingManyKeysIsBlockedForAll() {
        ApiKeyThrottle t = new ApiKeyThrottle(CONFIG);
        for (int i = 0; i < 10; i++) {
            t.failure("r", "a", null, 0);
        }
        assertTrue(t.isBlocked("r", "a", "any-key", 0));
        assertFalse(t.isBlocked("r", "b", "any-key", 0));
    }
}
