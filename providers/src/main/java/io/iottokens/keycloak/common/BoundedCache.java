package io.iottokens.keycloak.common;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiPredicate;

/**
 * A node-local map with a hard bound, for what the pack remembers between requests to save work (verified tokens,
 * grants, reusable sessions). Memory stays bounded whatever callers send: when full, entries {@code stale} says may
 * go are dropped, and if that frees less than a tenth, everything is (an entry is only ever a shortcut, so losing it
 * costs a lookup, never a wrong answer). The O(n) prune runs at most once per tenth of the capacity of new entries,
 * so a spray of distinct keys costs O(1) per request amortized.
 *
 * <p>Owned by a provider factory (one per node and feature), never static: a reload or a test gets a fresh one.
 */
public final class BoundedCache<K, V> {

    private final int capacity;
    private final BiPredicate<K, V> stale;
    private final ConcurrentHashMap<K, V> map = new ConcurrentHashMap<>();

    /** {@code stale} tells which entries may be dropped first when the cache is full. */
    public BoundedCache(int capacity, BiPredicate<K, V> stale) {
        if (capacity < 10) {
            throw new IllegalArgumentException("capacity must be at least 10");
        }
        this.capacity = capacity;
        this.stale = stale;
    }

    /** A cache whose entries are all equally worth keeping: when full, it starts over. */
    public BoundedCache(int capacity) {
        this(capacity, (k, v) -> false);
    }

    public V get(K key) {
        return map.get(key);
    }

    public void put(K key, V value) {
        if (map.size() >= capacity) {
            prune();
        }
        map.put(key, value);
    }

    /** Removes the entry only while it still maps to {@code value}. */
    public void remove(K key, V value) {
        map.remove(key, value);
    }

    public void remove(K key) {
        map.remove(key);
    }

    /** Entries held. */
    public int size() {
        return map.size();
    }

    /** The map, for callers that update entries atomically ({@code compute}); they call {@link #makeRoom()} before adding. */
    public ConcurrentHashMap<K, V> map() {
        return map;
    }

    /** Prunes when the cache is full; call before adding through {@link #map()}. */
    public void makeRoom() {
        if (map.size() >= capacity) {
            prune();
        }
    }

    private void prune() {
        map.entrySet().removeIf(e -> stale.test(e.getKey(), e.getValue()));
        if (map.size() >= capacity - capacity / 10) {
            map.clear();
        }
    }
}
