package io.iottokens.sdk;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.iottokens.sdk.IotTokenException.InvalidTokenException;
import io.iottokens.sdk.IotTokenException.UnavailableException;

/**
 * ubirch's {@code externalStateVerify}: asks the realm (RFC 7662 introspection, authenticated as a confidential
 * client that is in the tokens' audience, e.g. {@code iot-platform}) whether a token is still active: not
 * revoked, its key not suspended, its session alive. Answers are cached briefly (default 10 s, never past
 * the token's expiry) under the token's SHA-256, never the token itself.
 */
public final class TokenIntrospector {

    /** The realm's answer: {@code active} and the claims it returned. */
    public record State(boolean active, Map<String, Object> claims) {
    }

    private record Cached(State state, long until) {
    }

    private static final int MAX_CACHED = 10_000;

    private final String endpoint;
    private final String clientId;
    private final String clientSecret;
    private final long cacheMillis;
    private final Http http;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private final AtomicLong calls = new AtomicLong();

    private TokenIntrospector(String issuer, String clientId, String clientSecret, Duration cacheTtl, Duration timeout) {
        this.endpoint = Http.realm(issuer) + "/protocol/openid-connect/token/introspect";
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.cacheMillis = cacheTtl.toMillis();
        this.http = new Http(timeout);
    }

    public static TokenIntrospector create(String issuer, String clientId, String clientSecret) {
        return create(issuer, clientId, clientSecret, Duration.ofSeconds(10), Duration.ofSeconds(5));
    }

    public static TokenIntrospector create(String issuer, String clientId, String clientSecret, Duration cacheTtl, Duration timeout) {
        return new TokenIntrospector(issuer, clientId, clientSecret, cacheTtl, timeout);
    }

    /** The token's state; {@code hint} may be null or e.g. {@code access_token}, {@code purposed_token}. */
    public State externalStateVerify(String token, String hint) {
        String id = sha256(token);
        long now = System.currentTimeMillis();
        Cached c = cache.get(id);
        if (c != null && c.until() > now) {
            return c.state();
        }
        calls.incrementAndGet();
        Map<String, String> form = hint == null ? Map.of("token", token) : Map.of("token", token, "token_type_hint", hint);
        Http.Answer a = http.postForm(endpoint, form, clientId, clientSecret);
        if (a.status() == 401 || a.status() == 403) {
            throw new UnavailableException("The realm refused this introspection client (HTTP " + a.status() + "): check its id and secret", null);
        }
        if (a.status() != 200) {
            throw new UnavailableException("Introspection answered HTTP " + a.status(), null);
        }
        State state = new State(Boolean.TRUE.equals(a.json().get("active")), a.json());
        long until = now + cacheMillis;
        if (a.json().get("exp") instanceof Number exp) {
            until = Math.min(until, exp.longValue() * 1000);
        }
        if (cache.size() >= MAX_CACHED) {
            cache.entrySet().removeIf(e -> e.getValue().until() <= now);
            if (cache.size() >= MAX_CACHED) {
                cache.clear();
            }
        }
        if (cacheMillis > 0) {
            cache.put(id, new Cached(state, until));
        }
        return state;
    }

    public State externalStateVerify(String token) {
        return externalStateVerify(token, null);
    }

    /** Throws {@link InvalidTokenException} (401) unless the realm says the token is active. */
    public void requireActive(String token) {
        if (!externalStateVerify(token).active()) {
            throw new InvalidTokenException("The token is no longer active");
        }
    }

    /** HTTP calls made so far (cache misses). */
    public long calls() {
        return calls.get();
    }

    static String sha256(String s) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
