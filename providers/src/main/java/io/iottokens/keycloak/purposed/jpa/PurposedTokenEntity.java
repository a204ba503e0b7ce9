package io.iottokens.keycloak.purposed.jpa;

import jakarta.persistence.Access;
import jakarta.persistence.AccessType;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQueries;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/**
 * A purposed token as issued (README "Purposed tokens"): everything but the token value, which is never stored. Lists are
 * JSON arrays. Deleting the row revokes the token: introspection answers {@code active: false} from then on (on
 * every node: introspection reads the row, nothing caches it).
 */
@Entity(name = "IotPurposedToken")
@Table(name = "IOT_PURPOSED_TOKEN")
@Access(AccessType.FIELD)
@NamedQueries({
        @NamedQuery(name = "IotPurposedToken.byOwner", query = "select t from IotPurposedToken t where t.realmId = :realmId and t.ownerId = :ownerId order by t.createdAt desc, t.id"),
        @NamedQuery(name = "IotPurposedToken.byRealm", query = "select t from IotPurposedToken t where t.realmId = :realmId order by t.createdAt desc, t.id"),
        @NamedQuery(name = "IotPurposedToken.byId", query = "select t from IotPurposedToken t where t.realmId = :realmId and t.id = :id"),
})
public class PurposedTokenEntity {

    /** The token's {@code jti}. */
    @Id
    @Column(name = "ID", length = 36)
    private String id;

    @Column(name = "REALM_ID", length = 36, nullable = false)
    private String realmId;

    @Column(name = "OWNER_ID", length = 36, nullable = false)
    private String ownerId;

    /** {@code purposed_claim} or {@code bootstrap}. */
    @Column(name = "CATEGORY", length = 32, nullable = false)
    private String category;

    @Column(name = "PURPOSE", length = 255, nullable = false)
    private String purpose;

    @Column(name = "TARGET_IDENTITIES", length = 4000, nullable = false)
    private String targetIdentities;

    /** Group ids. */
    @Column(name = "TARGET_GROUPS", length = 4000, nullable = false)
    private String targetGroups;

    @Column(name = "ORIGIN_DOMAINS", length = 4000, nullable = false)
    private String originDomains;

    @Column(name = "SCOPES", length = 1024, nullable = false)
    private String scopes;

    @Column(name = "AUDIENCE", length = 1024, nullable = false)
    private String audience;

    /** Epoch seconds, as in the token. */
    @Column(name = "NOT_BEFORE")
    private Long notBefore;

    @Column(name = "EXPIRES_AT")
    private Long expiresAt;

    @Column(name = "CREATED_AT", nullable = false)
    private Long createdAt;

    /** The bootstrap token this token was issued from (null for all others): deleting that one deletes this one. */
    @Column(name = "SOURCE_ID", length = 36)
    private String sourceId;

    public String getId() { return id; }
    public void setId(String id) { this.id = id; }
    public String getRealmId() { return realmId; }
    public void setRealmId(String realmId) { this.realmId = realmId; }
    public String getOwnerId() { return ownerId; }
    public void setOwnerId(String ownerId) { this.ownerId = ownerId; }
    public String getCategory() { return category; }
    public void setCategory(String category) { this.category = category; }
    public String getPurpose() { return purpose; }
    public void setPurpose(String purpose) { this.purpose = purpose; }
    public String getTargetIdentities() { return targetIdentities; }
    public void setTargetIdentities(String targetIdentities) { this.targetIdentities = targetIdentities; }
    public String getTargetGroups() { return targetGroups; }
    public void setTargetGroups(String targetGroups) { this.targetGroups = targetGroups; }
    public String getOriginDomains() { return originDomains; }
    public void setOriginDomains(String originDomains) { this.originDomains = originDomains; }
    public String getScopes() { return scopes; }
    public void setScopes(String scopes) { this.scopes = scopes; }
    public String getAudience() { return audience; }
    public void setAudience(String audience) { this.audience = audience; }
    public Long getNotBefore() { return notBefore; }
    public void setNotBefore(Long notBefore) { this.notBefore = notBefore; }
    public Long getExpiresAt() { return expiresAt; }
    public void setExpiresAt(Long expiresAt) { this.expiresAt = expiresAt; }
    public Long getCreatedAt() { return createdAt; }
    public void setCreatedAt(Long createdAt) { this.createdAt = createdAt; }
    public String getSourceId() { return sourceId; }
    public void setSourceId(String sourceId) { this.sourceId = sourceId; }
}
