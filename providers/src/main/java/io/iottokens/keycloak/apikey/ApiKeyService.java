package io.iottokens.keycloak.apikey;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityNotFoundException;
import jakarta.persistence.LockModeType;

import org.jboss.logging.Logger;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.models.utils.KeycloakModelUtils;

import io.iottokens.keycloak.apikey.jpa.ApiKeyEntity;
import io.iottokens.keycloak.apikey.jpa.ApiKeyHashKeyEntity;
import io.iottokens.keycloak.common.ApiError;
import io.iottokens.keycloak.common.Paging;

/** The API key model: creation, lookups, lifecycle and the sessions a key created. Request-scoped. */
public final class ApiKeyService {

    private static final Logger LOG = Logger.getLogger(ApiKeyService.class);

    /** User session notes written by the grant and read by the mapper and the session cleanup. */
    public static final String NOTE_KEY_ID = "iottokens.api_key_id";
    public static final String NOTE_ROLES = "iottokens.api_key_roles";
    /** On sessions a rotated-out secret obtained during its grace period (value {@link #SECRET_PREVIOUS}). */
    public static final String NOTE_SECRET = "iottokens.api_key_secret";
    public static final String SECRET_PREVIOUS = "previous";
    /** Where versions before 2026-11-30 kept the realm's hash key; moved to IOT_API_KEY_HASH_KEY on first use. */
    static final String LEGACY_HASH_KEY_ATTRIBUTE = "iottokens.apiKey.hashKey";

    private final KeycloakSession session;
    private final ApiKeyConfig config;

    public ApiKeyService(KeycloakSession session, ApiKeyConfig config) {
        this.session = session;
        this.config = config;
    }

    public ApiKeyConfig config() {
        return config;
    }

    private EntityManager em() {
        return session.getProvider(JpaConnectionProvider.class).getEntityManager();
    }

    /** What {@link #create} and {@link #rotate} hand back once: the entity and the clear secret. */
    public record WithSecret(ApiKeyEntity key, String secret) {
    }

    // ---- hashing --------------------------------------------------------------------------------

    /**
     * The HMAC key: the server pepper, or else the realm's own random key from IOT_API_KEY_HASH_KEY (created on first
     * use when asked). A key left in the realm attribute by earlier versions is moved to the table on first use, with
     * or without a pepper, so no realm representation or export carries it again and existing secrets keep working.
     */
    public byte[] hashKey(RealmModel realm, boolean createIfMissing) {
        boolean legacy = realm.getAttribute(LEGACY_HASH_KEY_ATTRIBUTE) != null;
        if (config.pepper() != null) {
            if (legacy) {
                storeHashKey(realm);
            }
            return config.pepper();
        }
        ApiKeyHashKeyEntity row = em().find(ApiKeyHashKeyEntity.class, realm.getId());
        if (row == null && !legacy && !createIfMissing) {
            return null;
        }
        if (row == null || legacy) {
            storeHashKey(realm);
            row = em().find(ApiKeyHashKeyEntity.class, realm.getId());
            if (row == null) {
                throw new IllegalStateException("The API key hash key of realm " + realm.getName() + " could not be stored");
            }
        }
        return Base64.getDecoder().decode(row.getHashKey());
    }

    /**
     * Creates the realm's row (from the legacy attribute if there is one) and removes the attribute, in a transaction
     * of its own: two first uses at once must not fail a request (on PostgreSQL a failed insert spoils the whole
     * transaction), so the loser of the insert race just reads the winner's row afterwards.
     */
    private void storeHashKey(RealmModel realm) {
        String realmId = realm.getId();
        try {
            KeycloakModelUtils.runJobInTransaction(session.getKeycloakSessionFactory(), s -> {
                RealmModel r = s.realms().getRealm(realmId);
                if (r == null) {
                    return;
                }
                EntityManager em = s.getProvider(JpaConnectionProvider.class).getEntityManager();
                String legacy = r.getAttribute(LEGACY_HASH_KEY_ATTRIBUTE);
                if (em.find(ApiKeyHashKeyEntity.class, realmId) == null) {
                    ApiKeyHashKeyEntity row = new ApiKeyHashKeyEntity();
                    row.setRealmId(realmId);
                    row.setHashKey(usable(legacy) ? legacy : Base64.getEncoder().encodeToString(ApiKeySecrets.newPepper()));
                    row.setCreatedAt(System.currentTimeMillis());
                    em.persist(row);
                    if (legacy != null) {
                        LOG.infof("Realm %s: API key hash key moved from the realm attribute %s to the table IOT_API_KEY_HASH_KEY",
                                r.getName(), LEGACY_HASH_KEY_ATTRIBUTE);
                    }
                }
                if (legacy != null) {
                    r.removeAttribute(LEGACY_HASH_KEY_ATTRIBUTE);
                }
            });
        } catch (RuntimeException e) {
            // most likely another request stored the row first; the caller reads it (and fails if there is none)
            LOG.debugf("Realm %s: storing the API key hash key: %s", realm.getName(), e.getClass().getName());
        }
    }

    /** A legacy attribute value the earlier versions could have used: Base64 that fits the column. */
    private static boolean usable(String legacy) {
        if (legacy == null || legacy.isEmpty() || legacy.length() > 255) {
            return false;
        }
        try {
            return Base64.getDecoder().decode(legacy).length > 0;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    // ---- create and read ------------------------------------------------------------------------

    public WithSecret create(RealmModel realm, UserModel owner, String memo, Duration duration, List<String> roles) {
        Duration max = maxLifetime(realm);
        if (max != null) {
            if (duration == null) {
                throw ApiError.badRequest("Field 'duration' is required: this realm limits API keys to " + max);
            }
            if (duration.compareTo(max) > 0) {
                throw ApiError.badRequest("Field 'duration' exceeds this realm's maximum API key lifetime of " + max);
            }
        }
        String rolesValue = null;
        if (roles != null) {
            Set<String> unique = new LinkedHashSet<>();
            for (String r : roles) {
                if (r.contains(" ")) {
                    throw ApiError.badRequest("Field 'roles': role names contain no spaces");
                }
                RoleModel role = realm.getRole(r);
                if (role == null) {
                    throw ApiError.badRequest("Field 'roles': unknown realm role '" + r + "'");
                }
                if (!owner.hasRole(role)) {
                    throw ApiError.forbidden("Field 'roles': the owner does not have the role '" + r + "'");
                }
                unique.add(r);
            }
            rolesValue = String.join(" ", unique);
        }
        if (countLive(realm, owner.getId()) >= config.maxKeysPerUser()) {
            throw ApiError.conflict("This user already holds " + config.maxKeysPerUser() + " API keys; revoke or delete one first");
        }
        long now = System.currentTimeMillis();
        String secret = ApiKeySecrets.newSecret();
        ApiKeyEntity e = new ApiKeyEntity();
        e.setId(KeycloakModelUtils.generateId());
        e.setRealmId(realm.getId());
        e.setUserId(owner.getId());
        e.setApiKey(ApiKeySecrets.newKey());
        e.setSecretHash(ApiKeySecrets.hash(hashKey(realm, true), secret));
        e.setMemo(memo == null ? "" : memo);
        e.setRoles(rolesValue);
        e.setStatus(ApiKeyStatus.ACTIVE.value());
        e.setCreatedAt(now);
        e.setExpiresAt(duration == null ? null : now + duration.toMillis());
        em().persist(e);
        return new WithSecret(e, secret);
    }

    /** The realm's limit (attribute) or the server's, whichever is shorter; null = none. */
    public Duration maxLifetime(RealmModel realm) {
        Duration server = config.maxLifetime();
        String attr = realm.getAttribute(ApiKeyConfig.REALM_MAX_LIFETIME_ATTRIBUTE);
        Duration realmMax = null;
        if (attr != null && !attr.isBlank()) {
            try {
                realmMax = ApiKeyDurations.parse(attr);
            } catch (RuntimeException ex) {
                LOG.warnf("Realm %s: attribute %s is not a duration; ignored", realm.getName(), ApiKeyConfig.REALM_MAX_LIFETIME_ATTRIBUTE);
            }
        }
        if (server == null) {
            return realmMax;
        }
        return realmMax == null || server.compareTo(realmMax) < 0 ? server : realmMax;
    }

    private long countLive(RealmModel realm, String userId) {
        return em().createQuery("select count(k) from IotApiKey k where k.realmId = :realmId and k.userId = :userId and k.status <> 'revoked'", Long.class)
                .setParameter("realmId", realm.getId())
                .setParameter("userId", userId)
                .getSingleResult();
    }

    public ApiKeyEntity byKey(RealmModel realm, String apiKey) {
        List<ApiKeyEntity> found = em().createNamedQuery("IotApiKey.byKey", ApiKeyEntity.class)
                .setParameter("realmId", realm.getId())
                .setParameter("apiKey", apiKey)
                .getResultList();
        return found.isEmpty() ? null : found.get(0);
    }

    /** The key with this id in this realm, or null. */
    public ApiKeyEntity byId(RealmModel realm, String id) {
        if (id == null || id.length() > 36) {
            return null;
        }
        ApiKeyEntity e = em().find(ApiKeyEntity.class, id);
        return e != null && e.getRealmId().equals(realm.getId()) ? e : null;
    }

    public List<ApiKeyEntity> list(RealmModel realm, String userId, ApiKeyStatus status, Paging paging) {
        // 'expired' is partly computed (an active key past its expiry), so it is filtered after the query
        if (status == ApiKeyStatus.EXPIRED || status == ApiKeyStatus.ACTIVE || status == ApiKeyStatus.SUSPENDED) {
            long now = System.currentTimeMillis();
            List<ApiKeyEntity> out = new ArrayList<>();
            int skipped = 0;
            int offset = 0;
            final int batch = 200;
            while (out.size() < paging.max()) {
                List<ApiKeyEntity> page = query(realm, userId, status == ApiKeyStatus.EXPIRED ? null : status.value(), offset, batch);
                for (ApiKeyEntity e : page) {
                    if (ApiKeyStatus.of(e, now) == status) {
                        if (skipped < paging.first()) {
                            skipped++;
                        } else if (out.size() < paging.max()) {
                            out.add(e);
                        }
                    }
                }
                if (page.size() < batch) {
                    break;
                }
                offset += batch;
            }
            return out;
        }
        return query(realm, userId, status == null ? null : status.value(), paging.first(), paging.max());
    }

    private List<ApiKeyEntity> query(RealmModel realm, String userId, String status, int first, int max) {
        // only the filters given: a cached generic plan of ":x is null or ..." cannot use the user or status index
        String name = userId != null ? (status != null ? "IotApiKey.byUserAndStatus" : "IotApiKey.byUser")
                : status != null ? "IotApiKey.byStatus" : "IotApiKey.byRealm";
        var query = em().createNamedQuery(name, ApiKeyEntity.class).setParameter("realmId", realm.getId());
        if (userId != null) {
            query.setParameter("userId", userId);
        }
        if (status != null) {
            query.setParameter("status", status);
        }
        return query.setFirstResult(first).setMaxResults(max).getResultList();
    }

    // ---- lifecycle ------------------------------------------------------------------------------
    //
    // Every change of a key's state locks its row (SELECT ... FOR UPDATE, H2 and PostgreSQL alike) and re-reads it
    // first, so concurrent operations on one key run one after the other on the current state: a rotation never
    // builds on a secret another rotation replaced, and nothing writes an old status or secret back over a revoke.

    /**
     * Locks the key's row for this transaction and refreshes the entity from it; 404 if it was deleted meanwhile.
     * Call it before reading any state a change depends on.
     */
    public ApiKeyEntity lock(ApiKeyEntity e) {
        try {
            em().refresh(e, LockModeType.PESSIMISTIC_WRITE);
            return e;
        } catch (EntityNotFoundException gone) {
            throw ApiError.notFound("API key not found");
        }
    }

    public void suspend(RealmModel realm, ApiKeyEntity e) {
        lock(e);
        ApiKeyStatus s = requireNotFinal(e);
        if (s == ApiKeyStatus.ACTIVE) {
            e.setStatus(ApiKeyStatus.SUSPENDED.value());
        }
        endSessions(realm, e);
    }

    public void resume(ApiKeyEntity e) {
        lock(e);
        requireNotFinal(e);
        e.setStatus(ApiKeyStatus.ACTIVE.value());
    }

    /** Final: every later suspend, resume or rotate is 409; a second revoke changes nothing. */
    public void revoke(RealmModel realm, ApiKeyEntity e) {
        lock(e);
        e.setStatus(ApiKeyStatus.REVOKED.value());
        e.setPreviousSecretHash(null);
        e.setPreviousSecretUntil(null);
        endSessions(realm, e);
    }

    /** A new secret; the old one keeps working for {@code graceSeconds} (access tokens only, see the grant). */
    public String rotate(RealmModel realm, ApiKeyEntity e, long graceSeconds) {
        byte[] hashKey = hashKey(realm, true); // before the lock: it may need a transaction of its own
        lock(e);
        requireNotFinal(e);
        long now = System.currentTimeMillis();
        String secret = ApiKeySecrets.newSecret();
        if (graceSeconds > 0) {
            e.setPreviousSecretHash(e.getSecretHash());
            e.setPreviousSecretUntil(now + graceSeconds * 1000);
        } else {
            e.setPreviousSecretHash(null);
            e.setPreviousSecretUntil(null);
        }
        e.setSecretHash(ApiKeySecrets.hash(hashKey, secret));
        e.setRotatedAt(now);
        endSessions(realm, e);
        return secret;
    }

    public void delete(RealmModel realm, ApiKeyEntity e) {
        lock(e);
        endSessions(realm, e);
        em().remove(e);
    }

    /**
     * The last-used time, written at most once per key and resolution interval, by a conditional UPDATE of that one
     * column: the grant never writes the row it read, so it cannot put back a status or secret that a concurrent
     * operation has just changed.
     */
    public void recordUse(ApiKeyEntity key, long now) {
        long resolution = config.lastUsedResolution().toMillis();
        Long lastUsed = key.getLastUsedAt();
        if (lastUsed != null && now - lastUsed < resolution) {
            return;
        }
        em().createNamedQuery("IotApiKey.recordUse")
                .setParameter("id", key.getId())
                .setParameter("now", now)
                .setParameter("before", now - resolution)
                .executeUpdate();
    }

    private static ApiKeyStatus requireNotFinal(ApiKeyEntity e) {
        ApiKeyStatus s = ApiKeyStatus.of(e, System.currentTimeMillis());
        if (s == ApiKeyStatus.REVOKED || s == ApiKeyStatus.EXPIRED) {
            throw ApiError.conflict("The API key is " + s.value() + "; that is final");
        }
        return s;
    }

    /**
     * Ends every session the key created: their refresh tokens stop working at once and RFC 7662
     * introspection reports their access tokens inactive.
     */
    public int endSessions(RealmModel realm, ApiKeyEntity e) {
        return endSessions(realm, e, false);
    }

    /** {@code previousOnly}: just the sessions a rotated-out secret obtained (its grace is over). */
    private int endSessions(RealmModel realm, ApiKeyEntity e, boolean previousOnly) {
        UserModel user = session.users().getUserById(realm, e.getUserId());
        if (user == null) {
            return 0;
        }
        List<UserSessionModel> mine = session.sessions().getUserSessionsStream(realm, user)
                .filter(s -> e.getId().equals(s.getNote(NOTE_KEY_ID)))
                .filter(s -> !previousOnly || SECRET_PREVIOUS.equals(s.getNote(NOTE_SECRET)))
                .toList();
        mine.forEach(s -> session.sessions().removeUserSession(realm, s));
        if (!mine.isEmpty()) {
            LOG.debugf("Ended %d session(s) of API key %s", mine.size(), e.getId());
        }
        return mine.size();
    }

    // ---- cleanup --------------------------------------------------------------------------------

    public int deleteByUser(RealmModel realm, String userId) {
        return em().createNamedQuery("IotApiKey.deleteByUser").setParameter("realmId", realm.getId())
                .setParameter("userId", userId).executeUpdate();
    }

    /** Every key of the realm and its hash key. */
    public int deleteByRealm(String realmId) {
        em().createNamedQuery("IotApiKeyHashKey.deleteByRealm").setParameter("realmId", realmId).executeUpdate();
        return em().createNamedQuery("IotApiKey.deleteByRealm").setParameter("realmId", realmId).executeUpdate();
    }

    /**
     * The sweep: marks keys past their expiry as expired and ends their sessions, and ends the sessions a rotated-out
     * secret obtained once its grace is over (forgetting that secret's hash); at most {@code limit} keys of each per
     * call. Each key is read under its row lock (ids first, so nothing stale is in the persistence context), like
     * every other change of a key; one deleted meanwhile is skipped.
     */
    public int expireDue(long now, int limit) {
        List<String> due = em().createNamedQuery("IotApiKey.expiredActive", String.class)
                .setParameter("now", now).setMaxResults(limit).getResultList();
        int expired = 0;
        for (String id : due) {
            ApiKeyEntity e = em().find(ApiKeyEntity.class, id, LockModeType.PESSIMISTIC_WRITE);
            ApiKeyStatus stored = e == null ? null : ApiKeyStatus.parse(e.getStatus());
            if ((stored == ApiKeyStatus.ACTIVE || stored == ApiKeyStatus.SUSPENDED) && ApiKeyStatus.of(e, now) == ApiKeyStatus.EXPIRED) {
                e.setStatus(ApiKeyStatus.EXPIRED.value());
                e.setPreviousSecretHash(null);
                e.setPreviousSecretUntil(null);
                inRealm(e, realm -> endSessions(realm, e, false));
                expired++;
            }
        }
        List<String> graceOver = em().createNamedQuery("IotApiKey.graceOver", String.class)
                .setParameter("now", now).setMaxResults(limit).getResultList();
        for (String id : graceOver) {
            ApiKeyEntity e = em().find(ApiKeyEntity.class, id, LockModeType.PESSIMISTIC_WRITE);
            if (e != null && e.getPreviousSecretUntil() != null && e.getPreviousSecretUntil() <= now) {
                e.setPreviousSecretHash(null);
                e.setPreviousSecretUntil(null);
                inRealm(e, realm -> endSessions(realm, e, true));
            }
        }
        return expired;
    }

    /** Runs {@code job} with the key's realm as the session's realm (session lookups need it); nothing if it is gone. */
    private void inRealm(ApiKeyEntity e, java.util.function.Consumer<RealmModel> job) {
        RealmModel realm = session.realms().getRealm(e.getRealmId());
        if (realm == null) {
            return;
        }
        RealmModel previous = session.getContext().getRealm();
        session.getContext().setRealm(realm);
        try {
            job.accept(realm);
        } finally {
            session.getContext().setRealm(previous);
        }
    }
}
