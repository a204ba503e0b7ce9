package io.iottokens.keycloak.device.jpa;

import java.util.LinkedHashSet;
import java.util.Set;

import jakarta.persistence.Access;
import jakarta.persistence.AccessType;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.NamedQueries;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/**
 * A device (ubirch thing, mimik edge node) of a realm: not a Keycloak user. It may have one registered public
 * key, an owner (the account it is associated with) and Keycloak group memberships.
 */
@Entity(name = "IotDevice")
@Table(name = "IOT_DEVICE")
@Access(AccessType.FIELD)
@NamedQueries({
        @NamedQuery(name = "IotDevice.byDeviceId", query = "select d from IotDevice d where d.realmId = :realmId and d.deviceId = :deviceId"),
})
public class DeviceEntity {

    @Id
    @Column(name = "ID", length = 36)
    private String id;

    @Column(name = "REALM_ID", length = 36, nullable = false)
    private String realmId;

    /** The device's own identifier (ubirch device UUID, mimik node id). */
    @Column(name = "DEVICE_ID", length = 255, nullable = false)
    private String deviceId;

    @Column(name = "OWNER_ID", length = 36)
    private String ownerId;

    @Column(name = "ASSOCIATED_AT")
    private Long associatedAt;

    /** The public JWK (canonical members only). */
    @Column(name = "PUBLIC_KEY", length = 1024)
    private String publicKey;

    @Column(name = "KEY_THUMBPRINT", length = 64)
    private String keyThumbprint;

    @Column(name = "KEY_REGISTERED_AT")
    private Long keyRegisteredAt;

    @Column(name = "CREATED_AT", nullable = false)
    private long createdAt;

    /**
     * How often the node was let go (unassociated, forgotten by its owner): an edge session remembers the value it
     * was opened under, and a session of an earlier value no longer speaks for the node.
     */
    @Column(name = "RELEASES", nullable = false)
    private long releases;

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "IOT_DEVICE_GROUP", joinColumns = @JoinColumn(name = "DEVICE_ID"))
    @Column(name = "GROUP_ID", length = 36)
    private Set<String> groups = new LinkedHashSet<>();

    public String getId() { return id; }
    public void setId(String id) { this.id = id; }
    public String getRealmId() { return realmId; }
    public void setRealmId(String realmId) { this.realmId = realmId; }
    public String getDeviceId() { return deviceId; }
    public void setDeviceId(String deviceId) { this.deviceId = deviceId; }
    public String getOwnerId() { return ownerId; }
    public void setOwnerId(String ownerId) { this.ownerId = ownerId; }
    public Long getAssociatedAt() { return associatedAt; }
    public void setAssociatedAt(Long associatedAt) { this.associatedAt = associatedAt; }
    public String getPublicKey() { return publicKey; }
    public void setPublicKey(String publicKey) { this.publicKey = publicKey; }
    public String getKeyThumbprint() { return keyThumbprint; }
    public void setKeyThumbprint(String keyThumbprint) { this.keyThumbprint = keyThumbprint; }
    public Long getKeyRegisteredAt() { return keyRegisteredAt; }
    public void setKeyRegisteredAt(Long keyRegisteredAt) { this.keyRegisteredAt = keyRegisteredAt; }
    public long getCreatedAt() { return createdAt; }
    public void setCreatedAt(long createdAt) { this.createdAt = createdAt; }
    public long getReleases() { return releases; }
    public void setReleases(long releases) { this.releases = releases; }
    public Set<String> getGroups() { return groups; }
    public void setGroups(Set<String> groups) { this.groups = groups; }
}
