package io.iottokens.sdk;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.iottokens.sdk.IotTokenException.InvalidTokenException;

/**
 * For resource servers that accept t6-style API key credentials: {@code Authorization: Basic
 * base64(key:secret)} or the headers {@code X-API-Key} and {@code X-API-Secret}. Exchanges them at the realm's
 * token endpoint (grant {@code urn:iottokens:params:oauth:grant-type:api-key}) for an access token and keeps
 * it, per credential, until shortly before it expires. A refused credential is not cached, so a fixed or
 * resumed key works on the next call; the realm throttles guessing. Credentials are kept only as SHA-256.
 */
public final class ApiKeyAuthenticator {

    public static final String GRANT_TYPE = "urn:iottokens:params:oauth:grant-type:api-key";
    private static final int MAX_CACHED = 10_000;

    /** A key and secret as presented by a caller. */
    public record Credentials(String key, String secret) {
        @Override
        public String toString() {
            return "Credentials[key=" + key + ", secret=***]";
        }
    }

    private record Cached(String accessToken, long refreshAt) {
    }

    private final String tokenEndpoint;
    private final String clientId;
    private final long marginMillis;
    private final Http http;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private final AtomicLong exchanges = new AtomicLong();

    private ApiKeyAuthenticator(String issuer, String clientId, Duration margin, Duration timeout) {
        this.tokenEndpoint = Http.realm(issuer) + "/protocol/openid-connect/token";
        this.clientId = clientId;
        this.marginMillis = margin.toMillis();
        this.http = new Http(timeout);
    }

    /** {@code clientId}: a client with the API key grant enabled, e.g. {@code iot-api}. */
    public static ApiKeyAuthenticator create(String issuer, String clientId) {
        return new ApiKeyAuthenticator(issuer, clientId, Duration.ofSeconds(30), Duration.ofSeconds(5));
    }

    public static ApiKeyAuthenticator create(String issuer, String clientId, Duration refreshMargin, Duration timeout) {
        return new ApiKeyAuthenticator(issuer, clientId, refreshMargin, timeout);
    }

    /**
     * The credentials of a request: Basic first, then the X-headers; null when the request carries neither.
     * A malformed Basic value is an {@link InvalidTokenException}.
     */
    public static Credentials credentials(String authorizationHeader, String xApiKey, String xApiSecret) {
        if (authorizationHeader != null && authorizationHeader.regionMatches(true, 0, "Basic ", 0, 6)) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(authorizationHeader.substring(6).trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new InvalidTokenException("Malformed Basic credentials");
            }
            int colon = decoded.indexOf(':');
            if (colon <= 0 || colon == decoded.length() - 1) {
                throw new InvalidTokenException("Basic credentials must be key:secret");
            }
            return new Credentials(decoded.substring(0, colon), decoded.substring(colon + 1));
        }
        if (xApiKey != null && !xApiKey.isBlank() && xApiSecret != null && !xApiSecret.isBlank()) {
            return new Credentials(xApiKey.trim(), xApiSecret.trim());
        }
        return null;
    }

    /** An access token for the request's credentials (see {@link #credentials}); 401 when there are none or they are refused. */
    public String accessToken(String authorizationHeader, String xApiKey, String xApiSecret) {
        Credentials c = credentials(authorizationHeader, xApiKey, xApiSecret);
        if (c == null) {
            throw new InvalidTokenException("No API key credentials");
        }
        return accessToken(c);
    }

    public String accessToken(Credentials c) {
        String id = TokenIntrospector.sha256(c.key() + '\u0000' + c.secret());
        long now = System.currentTimeMillis();
        Cached cached = cache.get(id);
        if (cached != null && cached.refreshAt() > now) {
            return cached.accessToken();
        }
        exchanges.incrementAndGet();
        Http.Answer a = http.postForm(tokenEndpoint, Map.of("grant_type", GRANT_TYPE, "client_id", clientId,
                "api_key", c.key(), "api_secret", c.secret()), null, null);
        if (a.status() != 200 || !(a.json().get("access_token") instanceof String token)) {
            cache.remove(id);
            throw new InvalidTokenException("API key refused: " + a.json().getOrDefault("error", "HTTP " + a.status()));
        }
        long expiresIn = a.json().get("expires_in") instanceof Number n ? n.longValue() * 1000 : 60_000;
        if (cache.size() >= MAX_CACHED) {
            cache.entrySet().removeIf(e -> e.getValue().refreshAt() <= now);
            if (cache.size() >= MAX_CACHED) {
                cache.clear();
            }
        }
        long refreshAt = now + Math.max(0, expiresIn - marginMillis);
        if (refreshAt > now) {
            cache.put(id, new Cached(token, refreshAt));
        }
        return token;
    }

    /** Token-endpoint calls made so far (cache misses). */
    public long exchanges() {
        return exchanges.get();
    }
}
