package io.iottokens.keycloak.apikey.jpa;

import jakarta.persistence.Access;
import jakarta.persistence.AccessType;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQueries;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/**
 * One API key of a user in a realm. The secret itself is never stored: only its keyed hash (and, during a
 * rotation's grace period, the previous secret's hash).
 */
@Entity(name = "IotApiKey")
@Table(name = "IOT_API_KEY")
@Access(AccessType.FIELD)
@NamedQueries({
        @NamedQuery(name = "IotApiKey.byKey",
                query = "select k from IotApiKey k where k.realmId = :realmId and k.apiKey = :apiKey"),
        @NamedQuery(name = "IotApiKey.byUser",
                query = "select k from IotApiKey k where k.realmId = :realmId and k.userId = :userId order by k.createdAt desc, k.id"),
        // the lists name only the filters given (see ApiKeyService#list): one query per combination, each served by
        // an index in created-at order (IDX_IOT_API_KEY_REALM_CREATED, _USER, _STATUS)
        @NamedQuery(name = "IotApiKey.byRealm",
                query = "select k from IotApiKey k where k.realmId = :realmId order by k.createdAt desc, k.id"),
        @NamedQuery(name = "IotApiKey.byStatus",
                query = "select k from IotApiKey k where k.realmId = :realmId and k.status = :status order by k.createdAt desc, k.id"),
        @NamedQuery(name = "IotApiKey.byUserAndStatus",
                query = "select k from IotApiKey k where k.realmId = :realmId and k.userId = :userId and k.status = :status"
                        + " order by k.createdAt desc, k.id"),
        @NamedQuery(name = "IotApiKey.expiredActive",
                query = "select k.id from IotApiKey k where k.status in ('active', 'suspended') and k.expiresAt is not null and k.expiresAt <= :now order by k.expiresAt, k.id"),
        @NamedQuery(name = "IotApiKey.graceOver",
                query = "select k.id from IotApiKey k where k.previousSecretUntil is not null and k.previousSecretUntil <= :now order by k.previousSecretUntil, k.id"),
        @NamedQuery(name = "IotApiKey.recordUse",
                query = "update IotApiKey k set k.lastUsedAt = :now where k.id = :id and (k.lastUsedAt is null or k.lastUsedAt <= :before)"),
        @NamedQuery(name = "IotApiKey.liveState",
                query = "select k.status, k.sessionGeneration from IotApiKey k where k.id = :id"),
        @NamedQuery(name = "IotApiKey.deleteByUser",
                query = "delete from IotApiKey k where k.realmId = :realmId and k.userId = :userId"),
        @NamedQuery(name = "IotApiKey.deleteByRealm",
                query = "delete from IotApiKey k where k.realmId = :realmId"),
})
public class ApiKeyEntity {

    @Id
    @Column(name = "ID", length = 36)
    private String id;

    @Column(name = "REALM_ID", length = 36, nullable = false)
    private String realmId;

    @Column(name = "USER_ID", length = 36, nullable = false)
    private String userId;

    /** The public half of the credential ({@code iotk_...}). */
    @Column(name = "API_KEY", length = 64, nullable = false)
    private String apiKey;

    @Column(name = "SECRET_HASH", length = 64, nullable = false)
    private String secretHash;

    @Column(name = "PREVIOUS_SECRET_HASH", length = 64)
    private String previousSecretHash;

    /** Epoch millis until which the previous secret is still accepted. */
    @Column(name = "PREVIOUS_SECRET_UNTIL")
    private Long previousSecretUntil;

    @Column(name = "MEMO", length = 255)
    private String memo;

    /** Space-separated role names the key's tokens are cut down to; null = all of the owner's roles. */
    @Column(name = "ROLES", length = 2048)
    private String roles;

    @Column(name = "STATUS", length = 16, nullable = false)
    private String status;

    @Column(name = "CREATED_AT", nullable = false)
    private long createdAt;

    @Column(name = "EXPIRES_AT")
    private Long expiresAt;

    @Column(name = "LAST_USED_AT")
    private Long lastUsedAt;

    @Column(name = "ROTATED_AT")
    private Long rotatedAt;

    /**
     * Raised by every change that ends the key's sessions (suspend, revoke, rotation, expiry): a session started under
     * an older generation is refused on every use, also one a grant racing the change stored after it.
     */
    @Column(name = "SESSION_GENERATION", nullable = false)
    private long sessionGeneration;

    public String getId() { return id; }
    public void setId(String id) { this.id = id; }
    public String getRealmId() { return realmId; }
    public void setRealmId(String realmId) { this.realmId = realmId; }
    public String getUserId() { return userId; }
    public void setUserId(String userId) { this.userId = userId; }
    public String getApiKey() { return apiKey; }
    public void setApiKey(String apiKey) { this.apiKey = apiKey; }
    public String getSecretHash() { return secretHash; }
    public void setSecretHash(String secretHash) { this.secretHash = secretHash; }
    public String getPreviousSecretHash() { return previousSecretHash; }
    public void setPreviousSecretHash(String previousSecretHash) { this.previousSecretHash = previousSecretHash; }
    public Long getPreviousSecretUntil() { return previousSecretUntil; }
    public void setPreviousSecretUntil(Long previousSecretUntil) { this.previousSecretUntil = previousSecretUntil; }
    public String getMemo() { return memo; }
    public void setMemo(String memo) { this.memo = memo; }
    public String getRoles() { return roles; }
    public void setRoles(String roles) { this.roles = roles; }
    public String getStatus() { return status; }
    public void setStatus(String status) { this.status = status; }
    public long getCreatedAt() { return createdAt; }
    public void setCreatedAt(long createdAt) { this.createdAt = createdAt; }
    public Long getExpiresAt() { return expiresAt; }
    public void setExpiresAt(Long expiresAt) { this.expiresAt = expiresAt; }
    public Long getLastUsedAt() { return lastUsedAt; }
    public void setLastUsedAt(Long lastUsedAt) { this.lastUsedAt = lastUsedAt; }
    public Long getRotatedAt() { return rotatedAt; }
    public void setRotatedAt(Long rotatedAt) { this.rotatedAt = rotatedAt; }
    public long getSessionGeneration() { return sessionGeneration; }
    public void setSessionGeneration(long sessionGeneration) { this.sessionGeneration = sessionGeneration; }
}
