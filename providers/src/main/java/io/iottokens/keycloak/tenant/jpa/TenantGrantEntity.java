package io.iottokens.keycloak.tenant.jpa;

import jakarta.persistence.Access;
import jakarta.persistence.AccessType;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQueries;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/**
 * A tenant's (Keycloak Organization's) grant to an application (a confidential client with a service account):
 * one access level, plus explicit scopes for {@code custom}. Scopes of the other levels are resolved at issue
 * time, so a changed level map applies to existing grants.
 */
@Entity(name = "IotTenantGrant")
@Table(name = "IOT_TENANT_GRANT")
@Access(AccessType.FIELD)
@NamedQueries({
        @NamedQuery(name = "IotTenantGrant.byOrgAndClient", query = "select g from IotTenantGrant g where g.orgId = :orgId and g.clientId = :clientId"),
        @NamedQuery(name = "IotTenantGrant.byOrg", query = "select g from IotTenantGrant g where g.orgId = :orgId order by g.grantedAt, g.id"),
})
public class TenantGrantEntity {

    @Id
    @Column(name = "ID", length = 36)
    private String id;

    @Column(name = "REALM_ID", length = 36, nullable = false)
    private String realmId;

    @Column(name = "ORG_ID", length = 36, nullable = false)
    private String orgId;

    /** Organization aliases are immutable in Keycloak; kept for one-query lookups by alias. */
    @Column(name = "ORG_ALIAS", length = 255, nullable = false)
    private String orgAlias;

    /** The client's internal id (not its clientId), so renaming a client keeps its grants. */
    @Column(name = "CLIENT_ID", length = 36, nullable = false)
    private String clientId;

    @Column(name = "ACCESS_LEVEL", length = 32, nullable = false)
    private String accessLevel;

    /** Space-separated; only for {@code custom}. */
    @Column(name = "SCOPES", length = 2048)
    private String scopes;

    @Column(name = "GRANTED_BY", length = 36, nullable = false)
    private String grantedBy;

    @Column(name = "GRANTED_AT", nullable = false)
    private Long grantedAt;

    public String getId() { return id; }
    public void setId(String id) { this.id = id; }
    public String getRealmId() { return realmId; }
    public void setRealmId(String realmId) { this.realmId = realmId; }
    public String getOrgId() { return orgId; }
    public void setOrgId(String orgId) { this.orgId = orgId; }
    public String getOrgAlias() { return orgAlias; }
    public void setOrgAlias(String orgAlias) { this.orgAlias = orgAlias; }
    public String getClientId() { return clientId; }
    public void setClientId(String clientId) { this.clientId = clientId; }
    public String getAccessLevel() { return accessLevel; }
    public void setAccessLevel(String accessLevel) { this.accessLevel = accessLevel; }
    public String getScopes() { return scopes; }
    public void setScopes(String scopes) { this.scopes = scopes; }
    public String getGrantedBy() { return grantedBy; }
    public void setGrantedBy(String grantedBy) { this.grantedBy = grantedBy; }
    public Long getGrantedAt() { return grantedAt; }
    public void setGrantedAt(Long grantedAt) { this.grantedAt = grantedAt; }
}
