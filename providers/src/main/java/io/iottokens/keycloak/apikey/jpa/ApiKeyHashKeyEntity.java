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
 * A realm's HMAC key for API secrets, used when the server has no pepper. Kept in a table of the pack rather than
 * as a realm attribute, so no realm representation (GET of the realm, partial export) ever carries it.
 */
@Entity(name = "IotApiKeyHashKey")
@Table(name = "IOT_API_KEY_HASH_KEY")
@Access(AccessType.FIELD)
@NamedQueries({
        @NamedQuery(name = "IotApiKeyHashKey.deleteByRealm",
                query = "delete from IotApiKeyHashKey h where h.realmId = :realmId"),
})
public class ApiKeyHashKeyEntity {

    @Id
    @Column(name = "REALM_ID", length = 36)
    private String realmId;

    /** Base64 of the key bytes. */
    @Column(name = "HASH_KEY", length = 255, nullable = false)
    private String hashKey;

    @Column(name = "CREATED_AT", nullable = false)
    private long createdAt;

    public String getRealmId() { return realmId; }
    public void setRealmId(String realmId) { this.realmId = realmId; }
    public String getHashKey() { return hashKey; }
    public void setHashKey(String hashKey) { this.hashKey = hashKey; }
    public long getCreatedAt() { return createdAt; }
    public void setCreatedAt(long createdAt) { this.createdAt = createdAt; }
}
