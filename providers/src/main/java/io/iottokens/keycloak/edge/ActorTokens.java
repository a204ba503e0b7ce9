package io.iottokens.keycloak.edge;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.util.List;
import java.util.Map;

import org.keycloak.jose.jws.JWSInput;
import org.keycloak.jose.jws.JWSInputException;
import org.keycloak.util.JsonSerialization;

import io.iottokens.keycloak.device.DeviceKeys;

/**
 * The actor token of an edge-token exchange: a compact JWS made by the node with its registered key
 * ({@code ES256} for P-256, {@code EdDSA} for Ed25519) and the claims {@code sub} = the node id,
 * {@code aud} containing the realm issuer, {@code exp} at most {@value #MAX_LIFETIME_SECONDS} s ahead and a
 * {@code jti} (single use is enforced by the caller). JDK crypto only.
 */
final class ActorTokens {

    static final int MAX_LIFETIME_SECONDS = 600;
    static final int MAX_LENGTH = 8 * 1024;

    /** A verified actor token: its id and expiry (epoch seconds). */
    record Actor(String jti, long exp) {
    }

    private ActorTokens() {
    }

    /**
     * Verifies {@code token} for {@code nodeId} and {@code key}; an {@link IllegalArgumentException} says what
     * is wrong (the message is safe to return: it names no key material).
     */
    static Actor verify(String token, DeviceKeys.DeviceKey key, String nodeId, String issuer, long nowSeconds) {
        if (token.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("actor_token is too long");
        }
        JWSInput jws;
        try {
            jws = new JWSInput(token);
        } catch (JWSInputException | RuntimeException e) {
            throw new IllegalArgumentException("actor_token is not a compact JWS", e);
        }
        String alg = jws.getHeader().getAlgorithm() == null ? null : jws.getHeader().getAlgorithm().name();
        String expected = "OKP".equals(key.kty()) ? "EdDSA" : "ES256";
        if (!expected.equals(alg)) {
            throw new IllegalArgumentException("actor_token must be signed with " + expected + " by the node's registered key");
        }
        if (!signatureValid(key, alg, jws)) {
            throw new IllegalArgumentException("actor_token signature does not verify with the node's registered key");
        }
        Map<?, ?> claims;
        try {
            claims = JsonSerialization.readValue(jws.getContent(), Map.class);
        } catch (java.io.IOException | RuntimeException e) {
            throw new IllegalArgumentException("actor_token claims are not a JSON object");
        }
        if (!nodeId.equals(claims.get("sub"))) {
            throw new IllegalArgumentException("actor_token 'sub' must be the node_id");
        }
        Object aud = claims.get("aud");
        boolean audOk = issuer.equals(aud) || (aud instanceof List<?> l && l.contains(issuer));
        if (!audOk) {
            throw new IllegalArgumentException("actor_token 'aud' must contain the realm issuer " + issuer);
        }
        if (!(claims.get("exp") instanceof Number expN)) {
            throw new IllegalArgumentException("actor_token 'exp' is required");
        }
        long exp = expN.longValue();
        if (exp <= nowSeconds) {
            throw new IllegalArgumentException("actor_token has expired");
        }
        if (exp > nowSeconds + MAX_LIFETIME_SECONDS) {
            throw new IllegalArgumentException("actor_token 'exp' may be at most " + MAX_LIFETIME_SECONDS + " seconds ahead");
        }
        if (claims.get("nbf") instanceof Number nbf && nbf.longValue() > nowSeconds + 5) {
            throw new IllegalArgumentException("actor_token is not valid yet");
        }
        if (!(claims.get("jti") instanceof String jti) || jti.isEmpty() || jti.length() > 128) {
            throw new IllegalArgumentException("actor_token 'jti' is required (1 to 128 characters)");
        }
        return new Actor(jti, exp);
    }

    private static boolean signatureValid(DeviceKeys.DeviceKey key, String alg, JWSInput jws) {
        try {
            Signature s = Signature.getInstance("EdDSA".equals(alg) ? "Ed25519" : "SHA256withECDSAinP1363Format");
            s.initVerify(key.publicKey());
            s.update(jws.getEncodedSignatureInput().getBytes(StandardCharsets.US_ASCII));
            return s.verify(jws.getSignature());
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }
}
