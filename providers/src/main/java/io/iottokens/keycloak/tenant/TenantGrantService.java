package io.iottokens.keycloak.tenant;

import java.util.List;

import jakarta.persistence.EntityManager;

import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ModelException;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.organization.OrganizationProvider;

import io.iottokens.keycloak.common.Paging;
import io.iottokens.keycloak.tenant.jpa.TenantGrantEntity;

/** Grants of tenants (Organizations) to applications. Request-scoped. */
public final class TenantGrantService {

    private final KeycloakSession session;

    public TenantGrantService(KeycloakSession session) {
        this.session = session;
    }

    private EntityManager em() {
        return session.getProvider(JpaConnectionProvider.class).getEntityManager();
    }

    /** An organization of the realm by id or alias, or null (also when Organizations are off). */
    public OrganizationModel tenant(RealmModel realm, String idOrAlias) {
        if (idOrAlias == null || idOrAlias.isBlank() || idOrAlias.length() > 255 || !realm.isOrganizationsEnabled()) {
            return null;
        }
        OrganizationProvider orgs = session.getProvider(OrganizationProvider.class);
        if (orgs == null) {
            return null;
        }
        OrganizationModel org;
        try {
            org = orgs.getById(idOrAlias);
        } catch (ModelException e) {
            return null; // Keycloak throws for an organization of another realm: to the caller it does not exist
        }
        if (org == null) {
            org = orgs.getByAlias(idOrAlias);
        }
        return org;
    }

    /** The applications a grant may name: confidential, with a service account, enabled. */
    public static boolean isApplication(ClientModel client) {
        return client != null && !client.isPublicClient() && !client.isBearerOnly() && client.isServiceAccountsEnabled();
    }

    public TenantGrantEntity grant(OrganizationModel org, ClientModel client) {
        List<TenantGrantEntity> found = em().createNamedQuery("IotTenantGrant.byOrgAndClient", TenantGrantEntity.class)
                .setParameter("orgId", org.getId()).setParameter("clientId", client.getId()).getResultList();
        return found.isEmpty() ? null : found.get(0);
    }

    /** The outcome of a put: the grant and whether it is new. */
    public record Put(TenantGrantEntity grant, boolean created) {
    }

    public Put put(RealmModel realm, OrganizationModel org, ClientModel client, String level, List<String> customScopes, String grantedBy) {
        TenantGrantEntity g = grant(org, client);
        boolean created = g == null;
        if (created) {
            g = new TenantGrantEntity();
            g.setId(KeycloakModelUtils.generateId());
            g.setRealmId(realm.getId());
            g.setOrgId(org.getId());
            g.setClientId(client.getId());
        }
        g.setAccessLevel(level);
        g.setScopes(TenantLevels.CUSTOM.equals(level) ? String.join(" ", customScopes) : null);
        g.setGrantedBy(grantedBy);
        g.setGrantedAt(System.currentTimeMillis());
        if (created) {
            em().persist(g);
        }
        return new Put(g, created);
    }

    public List<TenantGrantEntity> byTenant(OrganizationModel org, Paging paging) {
        return em().createNamedQuery("IotTenantGrant.byOrg", TenantGrantEntity.class).setParameter("orgId", org.getId())
                .setFirstResult(paging.first()).setMaxResults(paging.max()).getResultList();
    }

    public List<TenantGrantEntity> byApplication(ClientModel client, Paging paging) {
        return em().createNamedQuery("IotTenantGrant.byClient", TenantGrantEntity.class).setParameter("clientId", client.getId())
                .setFirstResult(paging.first()).setMaxResults(paging.max()).getResultList();
    }

    public void revoke(TenantGrantEntity g) {
        em().remove(g);
    }

    /** The scopes a grant gives today. */
    public static List<String> scopes(RealmModel realm, TenantGrantEntity g) {
        if (TenantLevels.CUSTOM.equals(g.getAccessLevel())) {
            return g.getScopes() == null ? List.of() : TenantLevels.split(g.getScopes());
        }
        return TenantLevels.scopes(realm, g.getAccessLevel());
    }

    // ---- cleanup ----------------------------------------------------------------------------------

    public void clientRemoved(String clientId) {
        em().createQuery("delete from IotTenantGrant g where g.clientId = :clientId").setParameter("clientId", clientId).executeUpdate();
    }

    public void tenantRemoved(String orgId) {
        em().createQuery("delete from IotTenantGrant g where g.orgId = :orgId").setParameter("orgId", orgId).executeUpdate();
    }

    public void realmRemoved(String realmId) {
        em().createQuery("delete from IotTenantGrant g where g.realmId = :realmId").setParameter("realmId", realmId).executeUpdate();
    }
}
