package io.iottokens.keycloak.apikey;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import jakarta.persistence.EntityManager;
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
import io.iottokens.keycloak.apikey.jpa.ApiKeySessionEntity;
import io.iottokens.keycloak.common.Durations;
import io.iottokens.keycloak.common.PackException;
import io.iottokens.keycloak.common.Paging;
import io.iottokens.keycloak.common.RowLocks;

/** The API key model: creation, lookups, lifecycle and the sessions a key created. Request-scoped. */
public final class ApiKeyService {

    private static final Logger LOG = Logger.getLogger(ApiKeyService.class);

    /** User session notes written by the grant and read by the mapper and the session cleanup. */
    public static final String NOTE_KEY_ID = "iottokens.api_key_id";
    public static final String NOTE_ROLES = "iottokens.api_key_roles";
    /** On sessions a rotated-out secret obtained during its grace period (value {@link #SECRET_PREVIOUS}). */
    public static final String NOTE_SECRET = "iottokens.api_key_secret";
    public static final String SECRET_PREVIOUS = "previous";
    /** The key's session generation when the session started ({@link ApiKeyEntity#getSessionGeneration}). */
    public static final String NOTE_GENERATION = "iottokens.api_key_generation";
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
                throw PackException.badRequest("Field 'duration' is required: this realm limits API keys to " + max);
            }
            if (duration.compareTo(max) > 0) {
                throw PackException.badRequest("Field 'duration' exceeds this realm's maximum API key lifetime of " + max);
            }
        }
        String rolesValue = null;
        if (roles != null) {
            Set<String> unique = new LinkedHashSet<>();
            for (String r : roles) {
                if (r.contains(" ")) {
                    throw PackException.badRequest("Field 'roles': role names contain no spaces");
                }
                RoleModel role = realm.getRole(r);
                if (role == null) {
                    throw PackException.badRequest("Field 'roles': unknown realm role '" + r + "'");
                }
                if (!owner.hasRole(role)) {
                    throw PackException.forbidden("Field 'roles': the owner does not have the role '" + r + "'");
                }
                unique.add(r);
            }
            rolesValue = String.join(" ", unique);
        }
        if (countLive(realm, owner.getId()) >= config.maxKeysPerUser()) {
            throw PackException.conflict("This user already holds " + config.maxKeysPerUser() + " API keys; revoke or delete one first");
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
                realmMax = Durations.parse(attr);
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
        if (!RowLocks.lock(em(), e)) {
            throw PackException.notFound("API key not found");
        }
        return e;
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
        em().createNamedQuery("IotApiKeySession.deleteOfKey").setParameter("keyId", e.getId()).executeUpdate();
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
            throw PackException.conflict("The API key is " + s.value() + "; that is final");
        }
        return s;
    }

    /**
     * Ends every session the key created, by its generation first: raising it makes every session started under the
     * old one invalid on its next use, on every node, including a session a grant racing this change stores after
     * the lookup below (see {@link #sessionCurrent}). Then removes the sessions found by the key, so their refresh
     * tokens and introspection fail at once and no row is left behind. Time grows with the key's sessions only.
     */
    public int endSessions(RealmModel realm, ApiKeyEntity e) {
        e.setSessionGeneration(e.getSessionGeneration() + 1);
        return removeSessions(realm, e, false);
    }

    /** {@code previousOnly}: just the sessions a rotated-out secret obtained (its grace is over). */
    private int removeSessions(RealmModel realm, ApiKeyEntity e, boolean previousOnly) {
        List<String> ids = em().createNamedQuery("IotApiKeySession.ofKey", String.class).setParameter("keyId", e.getId()).getResultList();
        List<String> removed = new ArrayList<>();
        for (String id : ids) {
            UserSessionModel us = session.sessions().getUserSession(realm, id);
            if (us != null && previousOnly && !SECRET_PREVIOUS.equals(us.getNote(NOTE_SECRET))) {
                continue;
            }
            if (us != null && e.getId().equals(us.getNote(NOTE_KEY_ID))) {
                session.sessions().removeUserSession(realm, us);
            }
            removed.add(id);
        }
        if (!removed.isEmpty()) {
            em().createNamedQuery("IotApiKeySession.delete").setParameter("ids", removed).executeUpdate();
            LOG.debugf("Ended %d session(s) of API key %s", removed.size(), e.getId());
        }
        return removed.size();
    }

    /** Records a session the key's grant started, so {@link #endSessions} finds it by the key. */
    public void recordSession(ApiKeyEntity key, UserSessionModel us, long now) {
        us.setNote(NOTE_GENERATION, Long.toString(key.getSessionGeneration()));
        ApiKeySessionEntity row = new ApiKeySessionEntity();
        row.setUserSessionId(us.getId());
        row.setApiKeyId(key.getId());
        row.setRealmId(key.getRealmId());
        row.setCreatedAt(now);
        em().persist(row);
    }

    /**
     * Whether a session of the key may still give tokens: the key is active, the session was started under the key's
     * current generation (no suspend, revoke, rotation or expiry since), and a session of a rotated-out secret only
     * while its grace lasts. Sessions of versions before the generation existed count as generation 0.
     */
    public static boolean sessionCurrent(ApiKeyEntity key, UserSessionModel us, long now) {
        if (key == null || us == null || ApiKeyStatus.of(key, now) != ApiKeyStatus.ACTIVE || !key.getId().equals(us.getNote(NOTE_KEY_ID))) {
            return false;
        }
        String generation = us.getNote(NOTE_GENERATION);
        if (!Long.toString(key.getSessionGeneration()).equals(generation == null ? "0" : generation)) {
            return false;
        }
        return !SECRET_PREVIOUS.equals(us.getNote(NOTE_SECRET)) || (key.getPreviousSecretUntil() != null && key.getPreviousSecretUntil() > now);
    }

    /**
     * The key's status and generation as committed right now (a query, not the entity this request read): the grant
     * asks it last, so a change that committed while it was working refuses it instead of leaving a session behind.
     */
    public boolean unchangedSince(ApiKeyEntity key) {
        List<Object[]> rows = em().createNamedQuery("IotApiKey.liveState", Object[].class).setParameter("id", key.getId()).getResultList();
        return !rows.isEmpty() && key.getStatus().equals(rows.get(0)[0]) && ((Number) rows.get(0)[1]).longValue() == key.getSessionGeneration();
    }

    // ---- cleanup --------------------------------------------------------------------------------

    public int deleteByUser(RealmModel realm, String userId) {
        em().createNamedQuery("IotApiKeySession.deleteByUser").setParameter("realmId", realm.getId())
                .setParameter("userId", userId).executeUpdate();
        return em().createNamedQuery("IotApiKey.deleteByUser").setParameter("realmId", realm.getId())
                .setParameter("userId", userId).executeUpdate();
    }

    /** Every key of the realm and its hash key. */
    public int deleteByRealm(String realmId) {
        em().createNamedQuery("IotApiKeyHashKey.deleteByRealm").setParameter("realmId", realmId).executeUpdate();
        em().createNamedQuery("IotApiKeySession.deleteByRealm").setParameter("realmId", realmId).executeUpdate();
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
                inRealm(e, realm -> endSessions(realm, e));
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
                inRealm(e, realm -> removeSessions(realm, e, true));
            }
        }
        return expired;
    }

    /**
     * Forgets the session rows no session can still match: older than the realm's longest SSO session lifespan (plus a
     * minute), when Keycloak has ended the session by itself. Returns how many rows went.
     */
    public int forgetOldSessionRows(long now) {
        long shortest = now - 60_000L * 60 * 10; // Keycloak's default SSO Session Max (10 h): no realm row is younger than that and stale
        int forgotten = 0;
        for (String realmId : em().createNamedQuery("IotApiKeySession.realms", String.class).setParameter("before", shortest).getResultList()) {
            RealmModel realm = session.realms().getRealm(realmId);
            long lifespan = realm == null ? 0 : Math.max(realm.getSsoSessionMaxLifespan(), realm.getSsoSessionMaxLifespanRememberMe());
            forgotten += em().createNamedQuery("IotApiKeySession.deleteOlderThan").setParameter("realmId", realmId)
                    .setParameter("before", now - (lifespan + 60) * 1000L).executeUpdate();
        }
        return forgotten;
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
