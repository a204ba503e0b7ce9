package io.iottokens.keycloak.purposed;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import jakarta.persistence.EntityManager;

import org.keycloak.common.VerificationException;
import org.keycloak.common.util.Time;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.crypto.Algorithm;
import org.keycloak.crypto.SignatureProvider;
import org.keycloak.crypto.SignatureSignerContext;
import org.keycloak.jose.jws.JWSBuilder;
import org.keycloak.jose.jws.JWSInput;
import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.representations.JsonWebToken;
import org.keycloak.services.Urls;
import org.keycloak.util.JsonSerialization;

import io.iottokens.keycloak.common.PackException;
import io.iottokens.keycloak.common.Paging;
import io.iottokens.keycloak.common.RowLocks;
import io.iottokens.keycloak.device.DeviceService;
import io.iottokens.keycloak.purposed.jpa.PurposedTokenEntity;

/**
 * Issues, lists, revokes and checks purposed tokens (README "Purposed tokens"). Tokens are ES256 JWTs signed with the realm's
 * active ES256 key; their {@code pur tid tgp ord scp} claims are written by {@link PurposedClaimsMapper#write}.
 * The store keeps what was issued, never the token value. Request-scoped.
 */
public final class PurposedTokenService {

    public static final String CATEGORY_CLAIM = "purposed_claim";
    public static final String CATEGORY_BOOTSTRAP = "bootstrap";
    public static final String BOOTSTRAP_SCOPE = "thing:bootstrap";

    private final KeycloakSession session;

    public PurposedTokenService(KeycloakSession session) {
        this.session = session;
    }

    private EntityManager em() {
        return session.getProvider(JpaConnectionProvider.class).getEntityManager();
    }

    /** A token as issued: the stored row, the signed JWT (its value) and the JWT's claims. */
    public record Issued(PurposedTokenEntity entity, String token, JsonWebToken jwt, PurposedClaims claims) {
    }

    public static String issuer(KeycloakSession session, RealmModel realm) {
        return Urls.realmIssuer(session.getContext().getUri().getBaseUri(), realm.getName());
    }

    public Issued issue(RealmModel realm, UserModel owner, PurposedRequest r) {
        return issue(realm, owner, r.claims(), r.expiration(), r.notBefore());
    }

    /**
     * Stores and signs a token for {@code owner}; {@code expiresIn}/{@code notBefore} are seconds from now or null.
     * Every token gets an {@code exp} within the realm's maximum lifetime: null means the maximum, and a longer
     * {@code expiresIn} (requests are refused earlier, in {@link PurposedRequest}) is cut to it, so no caller of
     * this method (bootstrap, token exchange) can issue a token that outlives the maximum.
     */
    public Issued issue(RealmModel realm, UserModel owner, PurposedClaims claims, Long expiresIn, Long notBefore) {
        return issue(realm, owner, claims, expiresIn, notBefore, null);
    }

    /** {@link #issue(RealmModel, UserModel, PurposedClaims, Long, Long)} from a bootstrap token ({@code sourceId}), which takes it along when deleted. */
    public Issued issue(RealmModel realm, UserModel owner, PurposedClaims claims, Long expiresIn, Long notBefore, String sourceId) {
        long now = Time.currentTime();
        long max = PurposedSettings.maxLifetime(realm);
        Long exp = now + (expiresIn == null ? max : Math.min(expiresIn, max));
        Long nbf = notBefore == null ? null : Long.valueOf(now + notBefore);
        String issuer = issuer(session, realm);
        List<String> audience = PurposedSettings.audiences(realm, claims.scopes(), issuer);

        PurposedTokenEntity e = new PurposedTokenEntity();
        e.setId(KeycloakModelUtils.generateId());
        e.setRealmId(realm.getId());
        e.setOwnerId(owner.getId());
        e.setCategory(claims.scopes().contains(BOOTSTRAP_SCOPE) ? CATEGORY_BOOTSTRAP : CATEGORY_CLAIM);
        e.setPurpose(claims.purpose());
        e.setTargetIdentities(json(claims.targetIdentities()));
        e.setTargetGroups(json(claims.targetGroups()));
        e.setOriginDomains(json(claims.originDomains()));
        e.setScopes(String.join(" ", claims.scopes()));
        e.setAudience(json(audience));
        e.setNotBefore(nbf);
        e.setExpiresAt(exp);
        e.setCreatedAt(System.currentTimeMillis());
        e.setSourceId(sourceId);

        JsonWebToken jwt = new JsonWebToken();
        jwt.id(e.getId());
        jwt.issuer(issuer);
        jwt.subject(owner.getId());
        jwt.audience(audience.toArray(String[]::new));
        jwt.iat(now);
        jwt.exp(exp);
        jwt.nbf(nbf);
        PurposedClaimsMapper.write(jwt.getOtherClaims(), claims);

        SignatureProvider provider = session.getProvider(SignatureProvider.class, Algorithm.ES256);
        SignatureSignerContext signer;
        try {
            signer = provider.signer();
        } catch (RuntimeException ex) {
            throw new PackException(503, "temporarily_unavailable",
                    "The realm has no active ES256 key to sign purposed tokens; an administrator must add one");
        }
        String token = new JWSBuilder().type("JWT").jsonContent(jwt).sign(signer);
        em().persist(e);
        return new Issued(e, token, jwt, claims);
    }

    public List<PurposedTokenEntity> list(RealmModel realm, String ownerId, Paging paging) {
        return em().createNamedQuery("IotPurposedToken.byOwner", PurposedTokenEntity.class)
                .setParameter("realmId", realm.getId()).setParameter("ownerId", ownerId)
                .setFirstResult(paging.first()).setMaxResults(paging.max())
                .getResultList();
    }

    /** Every token of the realm, newest first (the administrators' view). */
    public List<PurposedTokenEntity> list(RealmModel realm, Paging paging) {
        return em().createNamedQuery("IotPurposedToken.byRealm", PurposedTokenEntity.class)
                .setParameter("realmId", realm.getId())
                .setFirstResult(paging.first()).setMaxResults(paging.max())
                .getResultList();
    }

    public PurposedTokenEntity byId(RealmModel realm, String id) {
        if (id == null || id.length() > 36) {
            return null;
        }
        List<PurposedTokenEntity> found = em().createNamedQuery("IotPurposedToken.byId", PurposedTokenEntity.class)
                .setParameter("realmId", realm.getId()).setParameter("id", id).getResultList();
        return found.isEmpty() ? null : found.get(0);
    }

    /**
     * Deletes the token and every token issued from it (a bootstrap token's devices' tokens), under the token's row
     * lock: a bootstrap holding the lock finishes first and its tokens go too; one that comes later finds the token
     * gone. False when a concurrent delete came first (nothing left to delete).
     */
    public boolean delete(PurposedTokenEntity e) {
        if (!RowLocks.lock(em(), e)) {
            return false;
        }
        em().createQuery("delete from IotPurposedToken t where t.sourceId = :id").setParameter("id", e.getId()).executeUpdate();
        em().remove(e);
        return true;
    }

    /**
     * Locks a checked token's row until the transaction ends (the bootstrap, before it issues tokens from it); false
     * when it was deleted since the check.
     */
    public boolean lock(PurposedTokenEntity e) {
        return RowLocks.lock(em(), e);
    }

    /** A token that passed every check of {@link #check}: its claims and stored row. */
    public record Checked(Map<String, Object> claims, PurposedTokenEntity entity, UserModel owner) {
    }

    /**
     * ubirch's state verification: the token is valid only if its ES256 signature verifies with a realm key, it
     * was issued by this realm, it is within its time window, it has not been deleted, its owner is still an
     * enabled user, every target device is still the owner's and every target group still exists with the owner
     * in it. Null otherwise; {@code reason[0]} receives why (for the event, never for the caller).
     */
    public Checked check(RealmModel realm, String token, String[] reason) {
        Map<String, Object> claims = verifySignature(realm, token);
        if (claims == null) {
            reason[0] = "signature";
            return null;
        }
        long now = Time.currentTime();
        if (!issuer(session, realm).equals(claims.get("iss"))) {
            reason[0] = "issuer";
            return null;
        }
        if (claims.get("exp") instanceof Number exp && exp.longValue() <= now) {
            reason[0] = "expired";
            return null;
        }
        if (!(claims.get("exp") instanceof Number) && beyondMaxLifetime(realm, claims.get("iat"), now)) {
            reason[0] = "expired";
            return null;
        }
        if (claims.get("nbf") instanceof Number nbf && nbf.longValue() > now) {
            reason[0] = "not_yet_valid";
            return null;
        }
        PurposedTokenEntity e = claims.get("jti") instanceof String jti ? byId(realm, jti) : null;
        if (e == null) {
            reason[0] = "deleted";
            return null;
        }
        if (!e.getOwnerId().equals(claims.get("sub"))) {
            reason[0] = "subject";
            return null;
        }
        UserModel owner = session.users().getUserById(realm, e.getOwnerId());
        if (owner == null || !owner.isEnabled()) {
            reason[0] = "owner_disabled";
            return null;
        }
        List<String> targets = list(e.getTargetIdentities());
        if (!targets.contains(PurposedRequest.WILDCARD) && !new DeviceService(session).notOwned(realm, owner.getId(), targets).isEmpty()) {
            reason[0] = "device_not_owned";
            return null;
        }
        for (String groupId : list(e.getTargetGroups())) {
            GroupModel g = session.groups().getGroupById(realm, groupId);
            if (g == null || !owner.isMemberOf(g)) {
                reason[0] = "group_mismatch";
                return null;
            }
        }
        return new Checked(claims, e, owner);
    }

    /**
     * Tokens issued before every token had an {@code exp} carry none: the realm's maximum lifetime applies to
     * them from their {@code iat} (a token without {@code iat} was not issued by this pack and is refused).
     */
    private static boolean beyondMaxLifetime(RealmModel realm, Object iat, long now) {
        return !(iat instanceof Number n) || n.longValue() + PurposedSettings.maxLifetime(realm) <= now;
    }

    /** The claims of an ES256 JWS signed by one of the realm's keys, or null. */
    @SuppressWarnings("unchecked")
    Map<String, Object> verifySignature(RealmModel realm, String token) {
        if (token == null || token.length() > 16 * 1024) {
            return null;
        }
        try {
            JWSInput jws = new JWSInput(token);
            if (jws.getHeader().getAlgorithm() == null || !Algorithm.ES256.equals(jws.getHeader().getAlgorithm().name())
                    || jws.getHeader().getKeyId() == null) {
                return null;
            }
            boolean ok = session.getProvider(SignatureProvider.class, Algorithm.ES256).verifier(jws.getHeader().getKeyId())
                    .verify(jws.getEncodedSignatureInput().getBytes(java.nio.charset.StandardCharsets.US_ASCII), jws.getSignature());
            return ok ? JsonSerialization.readValue(jws.getContent(), Map.class) : null;
        } catch (VerificationException | IOException | RuntimeException | org.keycloak.jose.jws.JWSInputException e) {
            return null;
        }
    }

    // ---- cleanup ----------------------------------------------------------------------------------

    public void ownerRemoved(RealmModel realm, String userId) {
        em().createQuery("delete from IotPurposedToken t where t.realmId = :realmId and t.ownerId = :ownerId")
                .setParameter("realmId", realm.getId()).setParameter("ownerId", userId).executeUpdate();
    }

    /**
     * Deletes up to {@code limit} tokens that expired before {@code cutoff} (epoch seconds); the number deleted.
     * Rows without expiry (issued before every token got one) are kept; {@link #check} treats them as expired
     * once beyond the realm's maximum lifetime. Expired tokens are inactive anyway: this only keeps the table small.
     */
    public int sweepExpired(long cutoff, int limit) {
        List<String> ids = em().createQuery("select t.id from IotPurposedToken t where t.expiresAt < :cutoff", String.class)
                .setParameter("cutoff", cutoff).setMaxResults(limit).getResultList();
        if (ids.isEmpty()) {
            return 0;
        }
        return em().createQuery("delete from IotPurposedToken t where t.id in :ids").setParameter("ids", ids).executeUpdate();
    }

    public void realmRemoved(String realmId) {
        em().createQuery("delete from IotPurposedToken t where t.realmId = :realmId").setParameter("realmId", realmId).executeUpdate();
    }

    // ---- JSON lists -------------------------------------------------------------------------------

    public static String json(Object value) {
        try {
            return JsonSerialization.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    public static List<String> list(String json) {
        try {
            return json == null ? List.of() : JsonSerialization.readValue(json, List.class);
        } catch (IOException e) {
            throw new IllegalStateException("unreadable stored list", e);
        }
    }
}
