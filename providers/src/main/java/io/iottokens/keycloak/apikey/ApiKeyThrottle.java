package io.iottokens.keycloak.apikey;

import io.iottokens.keycloak.common.BoundedCache;

/**
 * Slows down secret guessing; the key's own counters, separate from the owner's password lockout (Keycloak's
 * brute-force detection neither feeds nor reads them, and they never feed it).
 *
 * <ul>
 * <li>Per key <em>and</em> client address: after {@code keyAddressFailures} wrong secrets in the window,
 * that address is refused for that key for a block time that doubles on each repeat. The owner, calling
 * from elsewhere, is not affected.</li>
 * <li>Per address: after {@code addressFailures} failed attempts (any key, unknown keys included) the
 * address is refused for every key: this stops one address from spraying many keys.</li>
 * <li>Per key: after {@code keyFailures} wrong secrets from any addresses within {@code keyFailureWindow}, the
 * key refuses every secret, the right one included, for {@code keyLockTime}: guessing from many addresses
 * gets no further than from one. It lets someone who knows a key's public half hold that key off for a
 * while, never the owner's other keys or password.</li>
 * </ul>
 *
 * <p>Concurrency: a wrong secret is counted and judged in one atomic step per counter ({@link #wrong}), and a
 * right secret is honoured only if, at that atomic step, no counter blocks it ({@link #right}). So however many
 * guesses arrive at once, at most the limit of them are judged as plain wrong answers before a block, and a
 * correct guess decided after the block is refused like the others. {@link #blockedReason} before the lookup
 * only saves work for callers already blocked; it decides nothing.
 *
 * <p>State is kept in memory on each node, each map bounded in size; a restart forgets it. Everything here is
 * O(1) per request (pruning, when a map is full, is O(n) once).
 */
public final class ApiKeyThrottle {

    static final int MAX_ENTRIES = 100_000;

    /** Why a request is refused before its secret counts; {@code reason} is the event's detail. */
    public enum Refusal {
        THROTTLED("throttled"),
        KEY_LOCKED("api_key_locked");

        private final String reason;

        Refusal(String reason) {
            this.reason = reason;
        }

        public String reason() {
            return reason;
        }
    }

    private final ApiKeyConfig config;
    /** The time of the latest count, for the prune's question whether an entry still blocks or counts. */
    private volatile long clock;
    private final BoundedCache<String, Counter> byKeyAddress = counters();
    private final BoundedCache<String, Counter> byAddress = counters();
    private final BoundedCache<String, Counter> byKey = counters();

    public ApiKeyThrottle(ApiKeyConfig config) {
        this.config = config;
    }

    /**
     * Counters, bounded: when full, entries that neither block nor count any more go first; if that frees less than a
     * tenth, all go (clear-when-full). Memory stays bounded whatever an attacker sends, at the price of forgetting
     * counts (the other two maps still hold), and the O(n) prune runs at most once per tenth of the capacity of new
     * entries, so a spray of distinct keys or addresses costs O(1) per request amortized. Measured under a spray of
     * distinct unknown keys from distinct addresses: FleetScaleBenchmark (README, "Fleet scale").
     */
    private BoundedCache<String, Counter> counters() {
        return new BoundedCache<>(MAX_ENTRIES, (id, c) -> !c.blocks(clock) && clock - c.windowStart() > idle());
    }

    private long idle() {
        return Math.max(Math.max(config.failureWindow().toMillis(), config.maxBlockTime().toMillis()),
                Math.max(config.keyFailureWindow().toMillis(), config.keyLockTime().toMillis()));
    }

    /** Immutable, so each map's compute() is the one place a counter changes. */
    private record Counter(long windowStart, int failures, int strikes, long blockedUntil) {
        boolean blocks(long now) {
            return blockedUntil > now;
        }
    }

    /** The rule of one map: its limit, window and block times. */
    private record Rule(int limit, long window, long block, long maxBlock) {
    }

    private Rule pairRule() {
        return new Rule(config.keyAddressFailures(), config.failureWindow().toMillis(), config.blockTime().toMillis(), config.maxBlockTime().toMillis());
    }

    private Rule addressRule() {
        return new Rule(config.addressFailures(), config.failureWindow().toMillis(), config.blockTime().toMillis(), config.maxBlockTime().toMillis());
    }

    private Rule keyRule() {
        return new Rule(config.keyFailures(), config.keyFailureWindow().toMillis(), config.keyLockTime().toMillis(), config.keyLockTime().toMillis());
    }

    private static String pair(String realmId, String key, String address) {
        return realmId + '|' + key + '|' + address;
    }

    private static String address(String realmId, String address) {
        return realmId + '|' + address;
    }

    private static String key(String realmId, String key) {
        return realmId + '|' + key;
    }

    /**
     * A cheap look before any lookup or hash: the refusal if this address may not try this key (or any key), or
     * the key is locked, right now; else null. Saves work only: {@link #wrong} and {@link #right} decide.
     */
    public Refusal blockedReason(String realmId, String address, String key, long now) {
        if (blocks(byAddress.get(address(realmId, address)), now)
                || (key != null && blocks(byKeyAddress.get(pair(realmId, key, address)), now))) {
            return Refusal.THROTTLED;
        }
        return key != null && blocks(byKey.get(key(realmId, key)), now) ? Refusal.KEY_LOCKED : null;
    }

    private static boolean blocks(Counter c, long now) {
        return c != null && c.blocks(now);
    }

    /**
     * A wrong secret ({@code key} null: an unknown key). Counted against the pair, the address and the key, in that
     * order, each atomically: a counter that already blocks refuses without counting. Returns null when the attempt
     * counted everywhere (a plain wrong secret), else why it was refused; the caller answers the same either way.
     */
    public Refusal wrong(String realmId, String address, String key, long now) {
        if (key != null && !count(byKeyAddress, pair(realmId, key, address), pairRule(), now)) {
            return Refusal.THROTTLED;
        }
        if (!count(byAddress, address(realmId, address), addressRule(), now)) {
            return Refusal.THROTTLED;
        }
        if (key != null && !count(byKey, key(realmId, key), keyRule(), now)) {
            return Refusal.KEY_LOCKED;
        }
        return null;
    }

    /**
     * The right secret: honoured (null) unless a counter blocks it at this moment; honouring clears the pair's
     * count atomically. The per-key count is not cleared: the owner's successes must not give a guesser a fresh
     * allowance in between.
     */
    public Refusal right(String realmId, String address, String key, long now) {
        if (blocks(byAddress.get(address(realmId, address)), now)) {
            return Refusal.THROTTLED;
        }
        if (blocks(byKey.get(key(realmId, key)), now)) {
            return Refusal.KEY_LOCKED;
        }
        boolean[] blocked = {false};
        byKeyAddress.map().computeIfPresent(pair(realmId, key, address), (k, c) -> {
            blocked[0] = c.blocks(now);
            return blocked[0] ? c : null;
        });
        return blocked[0] ? Refusal.THROTTLED : null;
    }

    /** Counts one failure unless the counter blocks already; false = it blocked (nothing counted). Atomic per entry. */
    private boolean count(BoundedCache<String, Counter> counters, String id, Rule rule, long now) {
        if (rule.limit() <= 0) {
            return true;
        }
        if (counters.get(id) == null) {
            clock = now;
            counters.makeRoom();
        }
        boolean[] counted = {false};
        counters.map().compute(id, (k, c) -> {
            if (c != null && c.blocks(now)) {
                return c;
            }
            counted[0] = true;
            boolean fresh = c == null || now - c.windowStart() > rule.window();
            long windowStart = fresh ? now : c.windowStart();
            int failures = (fresh ? 0 : c.failures()) + 1;
            int strikes = c == null ? 0 : c.strikes();
            if (failures >= rule.limit()) {
                long block = Math.min(rule.block() << Math.min(strikes, 20), rule.maxBlock());
                return new Counter(now, 0, strikes + 1, now + block);
            }
            return new Counter(windowStart, failures, strikes, 0);
        });
        return counted[0];
    }

    /** Entries held, for tests of the bound. */
    int size() {
        return byKeyAddress.size() + byAddress.size() + byKey.size();
    }
}
