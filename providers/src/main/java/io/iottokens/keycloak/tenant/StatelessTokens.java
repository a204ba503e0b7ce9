package io.iottokens.keycloak.tenant;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

import org.keycloak.common.VerificationException;
import org.keycloak.crypto.KeyUse;
import org.keycloak.crypto.KeyWrapper;
import org.keycloak.crypto.SignatureProvider;
import org.keycloak.jose.jws.JWSInput;
import org.keycloak.jose.jws.JWSInputException;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.protocol.oidc.TokenManager;
import org.keycloak.representations.AccessToken;
import org.keycloak.services.Urls;
import org.keycloak.util.TokenUtil;

import io.iottokens.keycloak.common.BoundedCache;

/**
 * Applications' own access tokens (client_credentials: no {@code sid}, {@code typ} Bearer) checked without the
 * transient session Keycloak's general bearer check builds for them, which made a tenant token cost about as
 * much as a second client_credentials grant. The checks are the same: signature by an enabled realm key,
 * issuer, expiry, realm, client and user not-before, Keycloak's revoked-token list, an enabled client and an
 * enabled subject. An application presents the same token for many tenant tokens, so a verified signature is
 * remembered by the token's SHA-256 while its key stays enabled; every other check runs on every use.
 * Session-bound and DPoP-bound tokens are {@link Result#NOT_STATELESS}: callers use Keycloak's full check.
 * One per node ({@link TenantFeature}).
 */
public final class StatelessTokens {

    /** The outcome: a verified stateless token, an invalid token, or a token for Keycloak's full check. */
    public record Result(Kind kind, AccessToken token) {
        public enum Kind { VALID, INVALID, NOT_STATELESS }

        public static final Result INVALID = new Result(Kind.INVALID, null);
        public static final Result NOT_STATELESS = new Result(Kind.NOT_STATELESS, null);

        public boolean stateless() {
            return kind != Kind.NOT_STATELESS;
        }
    }

    private record Verified(String realmId, AccessToken token, String kid, String algorithm) {
    }

    private static final int MAX_VERIFIED = 10_000;

    /** Verified signatures by the token's SHA-256; when full, expired tokens go first. */
    private final BoundedCache<String, Verified> verified = new BoundedCache<>(MAX_VERIFIED, (k, v) -> v.token().isExpired());

    StatelessTokens() {
    }

    public Result verify(KeycloakSession session, RealmModel realm, String token) {
        if (token == null || token.isBlank() || token.length() > 16 * 1024) {
            return Result.INVALID;
        }
        String digest = sha256(token);
        Verified v = verified.get(digest);
        boolean fresh = v == null || !v.realmId().equals(realm.getId()) || !keyEnabled(session, realm, v);
        if (fresh) {
            JWSInput jws;
            try {
                jws = new JWSInput(token);
                v = new Verified(realm.getId(), jws.readJsonContent(AccessToken.class), jws.getHeader().getKeyId(),
                        jws.getHeader().getAlgorithm() == null ? null : jws.getHeader().getAlgorithm().name());
            } catch (JWSInputException | RuntimeException e) {
                return Result.INVALID;
            }
            if (v.token().getSessionId() != null || !TokenUtil.TOKEN_TYPE_BEARER.equalsIgnoreCase(v.token().getType())) {
                return Result.NOT_STATELESS; // Keycloak's full check verifies it, signature included: not done twice
            }
            if (!signatureValid(session, jws, v)) {
                return Result.INVALID;
            }
        }
        AccessToken t = v.token();
        String issuer = Urls.realmIssuer(session.getContext().getUri().getBaseUri(), realm.getName());
        ClientModel issuedFor = t.getIssuedFor() == null ? null : realm.getClientByClientId(t.getIssuedFor());
        long iat = t.getIat() == null ? 0 : t.getIat();
        if (!issuer.equals(t.getIssuer()) || !t.isActive() || issuedFor == null || !issuedFor.isEnabled()
                || iat < realm.getNotBefore() || iat < issuedFor.getNotBefore() || session.revokedTokens().contains(t.getId())) {
            return Result.INVALID;
        }
        UserModel user = TokenManager.lookupUserFromStatelessToken(session, realm, t);
        if (user == null || !user.isEnabled() || iat < session.users().getNotBeforeOfUser(realm, user)) {
            return Result.INVALID;
        }
        if (fresh) {
            verified.put(digest, v);
        }
        return new Result(Result.Kind.VALID, t);
    }

    /** The signature, by the enabled realm key the header names. */
    private static boolean signatureValid(KeycloakSession session, JWSInput jws, Verified v) {
        if (v.kid() == null || v.algorithm() == null) {
            return false;
        }
        try {
            SignatureProvider provider = session.getProvider(SignatureProvider.class, v.algorithm());
            return provider != null && provider.verifier(v.kid())
                    .verify(jws.getEncodedSignatureInput().getBytes(StandardCharsets.US_ASCII), jws.getSignature());
        } catch (VerificationException | RuntimeException e) {
            return false;
        }
    }

    private static boolean keyEnabled(KeycloakSession session, RealmModel realm, Verified v) {
        KeyWrapper key = session.keys().getKey(realm, v.kid(), KeyUse.SIG, v.algorithm());
        return key != null && key.getStatus() != null && key.getStatus().isEnabled();
    }

    private static String sha256(String token) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
