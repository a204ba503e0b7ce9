package io.iottokens.sdk;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.text.ParseException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jose.util.Resource;
import com.nimbusds.jose.util.ResourceRetriever;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

import io.iottokens.sdk.IotTokenException.InvalidTokenException;
import io.iottokens.sdk.IotTokenException.UnavailableException;

/**
 * Verifies the pack's tokens as a resource server must: signature against the realm's JWKS (fetched, cached,
 * refreshed on an unknown {@code kid} at most once per {@code jwksMinRefreshInterval} (15 s), so a flood of made-up
 * kids cannot hammer Keycloak), an algorithm allow-list (never {@code none}, never HMAC: a public key is not
 * a shared secret), {@code typ}, {@code iss}, {@code aud}, {@code exp}/{@code nbf} with clock skew, and a
 * size limit checked before anything is parsed. Thread-safe; build one per realm and keep it.
 *
 * <pre>{@code
 * IotTokenVerifier verifier = IotTokenVerifier.builder("https://id.example.com/realms/iot")
 *         .audience("iot-platform")
 *         .build();
 * IotClaims claims = verifier.decodeAndVerify(bearerToken);   // throws InvalidTokenException -> 401
 * claims.requireScope("upp:anchor").requireTargetsIdentity(deviceId);   // InsufficientScopeException -> 403
 * }</pre>
 */
public final class IotTokenVerifier {

    /** Payload {@code typ} values of Keycloak tokens that are not access tokens: refused by default. */
    private static final Set<String> NOT_ACCESS_TOKENS = Set.of("ID", "Refresh", "Offline", "Logout");

    private final String issuer;
    private final DefaultJWTProcessor<SecurityContext> processor;
    private final int maxTokenBytes;
    private final boolean acceptIdTokens;
    private final AtomicLong jwksFetches;

    private IotTokenVerifier(Builder b) {
        this.issuer = b.issuer;
        this.maxTokenBytes = b.maxTokenBytes;
        this.acceptIdTokens = b.acceptIdTokens;
        this.jwksFetches = new AtomicLong();
        ResourceRetriever counting = new CountingRetriever(
                new DefaultResourceRetriever((int) b.httpTimeout.toMillis(), (int) b.httpTimeout.toMillis(), 512 * 1024), jwksFetches);
        URL jwksUrl;
        try {
            jwksUrl = URI.create(b.jwksUri).toURL();
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("Not a URL: " + b.jwksUri, e);
        }
        JWKSource<SecurityContext> keys = b.jwkSource != null ? b.jwkSource
                : JWKSourceBuilder.<SecurityContext>create(jwksUrl, counting)
                        .cache(b.jwksCacheTtl.toMillis(), b.httpTimeout.toMillis())
                        .rateLimited(b.jwksMinRefreshInterval.toMillis())
                        .refreshAheadCache(false)
                        .retrying(false)
                        .build();
        processor = new DefaultJWTProcessor<>();
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, new JOSEObjectType("at+jwt"), null));
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(b.algorithms, keys));
        DefaultJWTClaimsVerifier<SecurityContext> claimsVerifier = new DefaultJWTClaimsVerifier<>(
                b.audiences.isEmpty() ? null : b.audiences,
                new JWTClaimsSet.Builder().issuer(b.issuer).build(),
                Set.of("iss", "sub", "iat", "exp"),
                null);
        claimsVerifier.setMaxClockSkew((int) b.clockSkew.toSeconds());
        processor.setJWTClaimsSetVerifier(claimsVerifier);
    }

    public static Builder builder(String issuer) {
        return new Builder(issuer);
    }

    /**
     * Verifies {@code token} and returns its claims; throws {@link InvalidTokenException} (answer 401) for any
     * token that cannot be trusted, {@link UnavailableException} (503) when the JWKS cannot be fetched.
     */
    public IotClaims decodeAndVerify(String token) {
        if (token == null || token.isEmpty()) {
            throw new InvalidTokenException("No token");
        }
        if (token.length() > maxTokenBytes) {
            throw new InvalidTokenException("Token larger than " + maxTokenBytes + " bytes");
        }
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (ParseException e) {
            throw new InvalidTokenException("Malformed token", e);
        } catch (BadJOSEException e) {
            throw new InvalidTokenException("Invalid token: " + e.getMessage(), e);
        } catch (RateLimitReachedException e) {
            // an unknown kid while the JWKS was refreshed a moment ago: the key is not the realm's
            throw new InvalidTokenException("Unknown signing key", e);
        } catch (KeySourceException e) {
            throw new UnavailableException("The realm's JWKS could not be fetched", e);
        } catch (JOSEException e) {
            throw new InvalidTokenException("Invalid token: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new InvalidTokenException("Invalid token", e);
        }
        Object typ = claims.getClaim("typ");
        if (typ != null && NOT_ACCESS_TOKENS.contains(String.valueOf(typ)) && !(acceptIdTokens && "ID".equals(typ))) {
            throw new InvalidTokenException("Not an access token (typ " + typ + ")");
        }
        return new IotClaims(claims);
    }

    /** Same as {@link #decodeAndVerify(String)}: the typed claims of a verified token. */
    public IotClaims getClaims(String token) {
        return decodeAndVerify(token);
    }

    public String issuer() {
        return issuer;
    }

    /** How many times the JWKS was fetched over HTTP since this verifier was built. */
    public long jwksFetches() {
        return jwksFetches.get();
    }

    /** Options; everything but the issuer has a default. */
    public static final class Builder {
        private final String issuer;
        private String jwksUri;
        private final Set<String> audiences = new LinkedHashSet<>();
        private Set<JWSAlgorithm> algorithms = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256);
        private Duration clockSkew = Duration.ofSeconds(30);
        private Duration jwksCacheTtl = Duration.ofMinutes(10);
        private Duration jwksMinRefreshInterval = Duration.ofSeconds(15);
        private Duration httpTimeout = Duration.ofSeconds(5);
        private int maxTokenBytes = 16 * 1024;
        private boolean acceptIdTokens;
        private JWKSource<SecurityContext> jwkSource;

        private Builder(String issuer) {
            if (issuer == null || issuer.isBlank()) {
                throw new IllegalArgumentException("issuer is required, e.g. https://id.example.com/realms/iot");
            }
            this.issuer = Http.realm(issuer);
            this.jwksUri = this.issuer + "/protocol/openid-connect/certs";
        }

        /** Default: Keycloak's {@code {issuer}/protocol/openid-connect/certs}. */
        public Builder jwksUri(String uri) { this.jwksUri = uri; return this; }

        /** Accept a token only when its {@code aud} holds one of these (call repeatedly). Default: no check. */
        public Builder audience(String audience) { this.audiences.add(audience); return this; }

        /** Allowed signature algorithms; HMAC and {@code none} are refused whatever is listed. Default RS256, ES256. */
        public Builder algorithms(JWSAlgorithm... algs) {
            Set<JWSAlgorithm> set = new LinkedHashSet<>(List.of(algs));
            for (JWSAlgorithm a : set) {
                if (JWSAlgorithm.Family.HMAC_SHA.contains(a) || "none".equalsIgnoreCase(a.getName())) {
                    throw new IllegalArgumentException(a + " is not allowed: resource servers verify with public keys");
                }
            }
            this.algorithms = Set.copyOf(set);
            return this;
        }

        public Builder clockSkew(Duration skew) { this.clockSkew = skew; return this; }
        public Builder jwksCacheTtl(Duration ttl) { this.jwksCacheTtl = ttl; return this; }
        /** At most one JWKS fetch per interval, unknown kids included. Default 15 s. */
        public Builder jwksMinRefreshInterval(Duration interval) { this.jwksMinRefreshInterval = interval; return this; }
        public Builder httpTimeout(Duration timeout) { this.httpTimeout = timeout; return this; }
        public Builder maxTokenBytes(int max) { this.maxTokenBytes = max; return this; }
        /** Also accept ID tokens (payload {@code typ} ID), e.g. for a service that receives them on purpose. */
        public Builder acceptIdTokens(boolean accept) { this.acceptIdTokens = accept; return this; }
        /** Keys from elsewhere (tests, a pinned set) instead of the JWKS URL. */
        public Builder jwkSource(JWKSource<SecurityContext> source) { this.jwkSource = source; return this; }

        public IotTokenVerifier build() {
            return new IotTokenVerifier(this);
        }
    }

    /** Counts the HTTP fetches of the JWKS. */
    private static final class CountingRetriever implements ResourceRetriever {
        private final ResourceRetriever delegate;
        private final AtomicLong count;

        CountingRetriever(ResourceRetriever delegate, AtomicLong count) {
            this.delegate = delegate;
            this.count = count;
        }

        @Override
        public Resource retrieveResource(URL url) throws IOException {
            count.incrementAndGet();
            return delegate.retrieveResource(url);
        }
    }

}
