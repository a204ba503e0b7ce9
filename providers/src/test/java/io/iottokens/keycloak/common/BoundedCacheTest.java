package io.iottokens.keycloak.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BoundedCacheTest {

    @Test
    void neverHoldsMoreThanItsCapacityUnderASprayOfDistinctKeys() {
        BoundedCache<Integer, String> cache = new BoundedCache<>(100);
        int largest = 0;
        for (int i = 0; i < 10_000; i++) {
            cache.put(i, "v" + i);
            largest = Math.max(largest, cache.size());
        }
        assertEquals(100, largest);
        assertEquals("v9999", cache.get(9999), "the newest entry is always kept");
    }

    @Test
    void staleEntriesGoFirstAndTheRestStays() {
        BoundedCache<Integer, Integer> cache = new BoundedCache<>(100, (k, v) -> v < 0);
        for (int i = 0; i < 50; i++) {
            cache.put(i, i);
        }
        for (int i = 50; i < 100; i++) {
            cache.put(i, -1);
        }
        cache.put(100, 100);
        assertEquals(51, cache.size(), "the 50 stale entries went, the 50 live ones and the new one stayed");
        for (int i = 0; i < 50; i++) {
            assertEquals(i, cache.get(i));
        }
        assertNull(cache.get(75));
    }

    @Test
    void whenPruningFreesLessThanATenthItStartsOver() {
        BoundedCache<Integer, Integer> cache = new BoundedCache<>(100, (k, v) -> v < 0);
        for (int i = 0; i < 95; i++) {
            cache.put(i, i);
        }
        for (int i = 95; i < 100; i++) {
            cache.put(i, -1);
        }
        cache.put(100, 100);
        assertEquals(1, cache.size(), "5 stale of 100 is not enough room: cleared, then the new entry");
        assertEquals(100, cache.get(100));
    }

    @Test
    void aPruneFreesRoomForATenthOfTheCapacity() {
        int[] prunes = {0};
        BoundedCache<Integer, Integer> cache = new BoundedCache<>(1000, (k, v) -> {
            prunes[0]++;
            return false;
        });
        for (int i = 0; i < 10_000; i++) {
            cache.put(i, i);
        }
        // each prune asks about every entry (1000) and then clears: about one prune per 1000 new entries
        assertTrue(prunes[0] <= 10 * 1000, "stale() asked " + prunes[0] + " times");
    }

    @Test
    void removeOfAnOtherValueLeavesTheEntry() {
        BoundedCache<String, String> cache = new BoundedCache<>(10);
        cache.put("k", "new");
        cache.remove("k", "old");
        assertEquals("new", cache.get("k"));
        cache.remove("k", "new");
        assertNull(cache.get("k"));
    }

    @Test
    void aTinyCapacityIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new BoundedCache<>(5));
    }
}
