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
 * A user session an API key's grant started: how the key's sessions are found when it is suspended, revoked, rotated
 * or deleted, in time proportional to the key's own sessions (an owner may hold thousands of others). A row whose
 * session has ended by itself is harmless and is removed by the sweep once no session can be that old.
 */
@Entity(name = "IotApiKeySession")
@Table(name = "IOT_API_KEY_SESSION")
@Access(AccessType.FIELD)
@NamedQueries({
        @NamedQuery(name = "IotApiKeySession.ofKey",
                query = "select s.userSessionId from IotApiKeySession s where s.apiKeyId = :keyId"),
        @NamedQuery(name = "IotApiKeySession.deleteOfKey",
                query = "delete from IotApiKeySession s where s.apiKeyId = :keyId"),
        @NamedQuery(name = "IotApiKeySession.delete",
                query = "delete from IotApiKeySession s where s.userSessionId in :ids"),
        @NamedQuery(name = "IotApiKeySession.deleteByUser",
                query = "delete from IotApiKeySession s where s.apiKeyId in (select k.id from IotApiKey k where k.realmId = :realmId and k.userId = :userId)"),
        @NamedQuery(name = "IotApiKeySession.deleteByRealm",
                query = "delete from IotApiKeySession s where s.realmId = :realmId"),
        @NamedQuery(name = "IotApiKeySession.deleteOlderThan",
                query = "delete from IotApiKeySession s where s.realmId = :realmId and s.createdAt < :before"),
        @NamedQuery(name = "IotApiKeySession.realms",
                query = "select distinct s.realmId from IotApiKeySession s where s.createdAt < :before"),
})
public class ApiKeySessionEntity {

    @Id
    @Column(name = "USER_SESSION_ID", length = 36)
    private String userSessionId;

    @Column(name = "API_KEY_ID", length = 36, nullable = false)
    private String apiKeyId;

    @Column(name = "REALM_ID", length = 36, nullable = false)
    private String realmId;

    @Column(name = "CREATED_AT", nullable = false)
    private long createdAt;

    public String getUserSessionId() { return userSessionId; }
    public void setUserSessionId(String userSessionId) { this.userSessionId = userSessionId; }
    public String getApiKeyId() { return apiKeyId; }
    public void setApiKeyId(String apiKeyId) { this.apiKeyId = apiKeyId; }
    public String getRealmId() { return realmId; }
    public void setRealmId(String realmId) { this.realmId = realmId; }
    public long getCreatedAt() { return createdAt; }
    public void setCreatedAt(long createdAt) { this.createdAt = createdAt; }
}
