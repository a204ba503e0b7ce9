package io.iottokens.keycloak.apikey;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows down secret guessing without handing an attacker a way to lock the owner out.
 *
 * <ul>
 * <li>Per key <em>and</em> client address: after {@code keyAddressFailures} wrong secrets in the window,
 * that address is refused for that key for a block time that doubles on each repeat. The owner, calling
 * from elsewhere, is not affected.</li>
 * <li>Per address: after {@code addressFailures} failed attempts (any key, unknown keys included) the
 * address is refused for every key: this stops one address from spraying many keys.</li>
 * </ul>
 * There is deliberately no global per-key lockout: secrets carry ~226 random bits, so distributed guessing
 * is hopeless, while a global lockout would let anyone disable any key whose public half they know.
 *
 * <p>State is kept in memory on each node, bounded in size; a restart forgets it. Everything here is O(1)
 * per request.
 */
public final class ApiKeyThrottle {

    private static final int MAX_ENTRIES = 100_000;

    private final ApiKeyConfig config;
    private final Map<String, Counter> byKeyAddress = new ConcurrentHashMap<>();
    private final Map<String, Counter> byAddress = new ConcurrentHashMap<>();

    public ApiKeyThrottle(ApiKeyConfig config) {
        this.config = config;
    }

    private static final class Counter {
        long windowStart;
        int failures;
        int strikes;
        long blockedUntil;
    }

    /** True when this address may not try this key (or any key) right now. */
    public boolean isBlocked(String realmId, String address, String key, long now) {
        return blocked(byAddress.get(realmId + '|' + address), now)
                || (key != null && blocked(byKeyAddress.get(realmId + '|' + key + '|' + address), now));
    }

    /** A failed attempt; {@code key} is null when the key is unknown. */
    public void failure(String realmId, String address, String key, long now) {
        prune(now);
        record(byAddress, realmId + '|' + address, config.addressFailures(), now);
        if (key != null) {
            record(byKeyAddress, realmId + '|' + key + '|' + address, config.keyAddressFailures(), now);
        }
    }

    /** A successful grant clears the key's count for this address. */
    public void success(String realmId, String address, String key) {
        if (!byKeyAddress.isEmpty()) {
            byKeyAddress.remove(realmId + '|' + key + '|' + address);
        }
    }

    private static boolean blocked(Counter c, long now) {
        if (c == null) {
            return false;
        }
        synchronized (c) {
            return c.blockedUntil > now;
        }
    }

    private void record(Map<String, Counter> map, String id, int limit, long now) {
        Counter c = map.computeIfAbsent(id, k -> new Counter());
        synchronized (c) {
            if (now - c.windowStart > config.failureWindow().toMillis()) {
                c.windowStart = now;
                c.failures = 0;
            }
            c.failures++;
            if (c.failures >= limit) {
                long block = Math.min(config.blockTime().toMillis() << Math.min(c.strikes, 20), config.maxBlockTime().toMillis());
                c.blockedUntil = now + block;
                c.strikes++;
                c.failures = 0;
                c.windowStart = now;
            }
        }
    }

    /** Drops entries that neither block nor count any more, so memory stays bounded. */
    private void prune(long now) {
        if (byKeyAddress.size() + byAddress.size() < MAX_ENTRIES) {
            return;
        }
        long idle = Math.max(config.failureWindow().toMillis(), config.maxBlockTime().toMillis());
        for (Map<String, Counter> map : java.util.List.of(byKeyAddress, byAddress)) {
            map.entrySet().removeIf(e -> {
                Counter c = e.getValue();
                synchronized (c) {
                    return c.blockedUntil <= now && now - c.windowStart > idle;
                }
            });
        }
        if (byKeyAddress.size() + byAddress.size() >= MAX_ENTRIES) {
            // still full of live entries: forget per-pair counts first, they matter least
            byKeyAddress.clear();
        }
    }
}
