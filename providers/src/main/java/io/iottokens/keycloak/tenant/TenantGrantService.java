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

import io.iottokens.keycloak.common.PackException;
import io.iottokens.keycloak.common.Paging;
import io.iottokens.keycloak.common.RowLocks;
import io.iottokens.keycloak.tenant.jpa.TenantGrantEntity;

/** Grants of tenants (Organizations) to applications. Request-scoped; the node's state is the {@link TenantFeature}'s. */
public final class TenantGrantService {

    /**
     * The application's grant from the tenant a reference names: by organization id, or by alias only when no
     * organization of the realm has that id (the rule of {@link #tenant}), so an alias equal to another
     * organization's id means that other organization, whose grant it is or none. At most one row. (The token path
     * caches the outcome per reference: an organization imported later with an id equal to a cached alias is seen
     * when the entry expires, after at most a minute; Keycloak itself generates organization ids.)
     */
    private static final String FOR_TOKEN = "select g from IotTenantGrant g where g.realmId = :realmId and g.clientId = :clientId"
            + " and (g.orgId = :ref or (g.orgAlias = :ref and not exists"
            + " (select o.id from OrganizationEntity o where o.id = :ref and o.realmId = :realmId)))";

    private final KeycloakSession session;
    private final TenantFeature feature;

    public TenantGrantService(KeycloakSession session, TenantFeature feature) {
        this.session = session;
        this.feature = feature;
    }

    private EntityManager em() {
        return session.getProvider(JpaConnectionProvider.class).getEntityManager();
    }

    /**
     * An organization of the realm by id or alias, or null (also when Organizations are off). The id comes first:
     * a reference equal to one organization's id and another one's alias names the first, never the second, so a
     * reference always means one tenant (the second is still reachable by its id).
     */
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
            org = null; // Keycloak throws for an organization of another realm: not one of this realm, may still be an alias
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

    /** A grant of the tenant named by id or alias: its grant and organization. */
    public record Granted(TenantGrantEntity grant, OrganizationModel tenant) {
    }

    /**
     * The application's grant from the tenant {@code ref} (id or alias, id first as in {@link #tenant}) of this
     * realm, or null: one indexed query on the grant table, then the organization from Keycloak's cache. Unknown
     * tenants, tenants of other realms, disabled tenants and tenants without a grant are all null.
     */
    public Granted granted(RealmModel realm, ClientModel client, String ref) {
        if (ref == null || ref.isBlank() || ref.length() > 255 || !realm.isOrganizationsEnabled()) {
            return null;
        }
        TenantGrantEntity g;
        TenantGrantCache cache = feature.grants();
        TenantGrantCache.Entry cached = cache.get(realm.getId(), client, ref);
        if (cached != null) {
            g = cached.toEntity();
        } else {
            String version = TenantGrantCache.version(client);
            List<TenantGrantEntity> found = em().createQuery(FOR_TOKEN, TenantGrantEntity.class)
                    .setParameter("realmId", realm.getId()).setParameter("clientId", client.getId()).setParameter("ref", ref)
                    .getResultList();
            if (found.isEmpty()) {
                return null;
            }
            g = found.get(0);
            if (version.equals(TenantGrantCache.version(client))) {
                cache.put(client, ref, g);
            }
        }
        OrganizationProvider orgs = session.getProvider(OrganizationProvider.class);
        OrganizationModel org = orgs == null ? null : orgs.getById(g.getOrgId());
        // a disabled tenant gets no tokens: to the application it is like a tenant without a grant
        return org == null || !org.isEnabled() ? null : new Granted(g, org);
    }

    /** {@link #granted} for several tenants (a batch request): for each ref, in order, its grant and organization, or null. */
    public List<Granted> grantedAll(RealmModel realm, ClientModel client, List<String> refs) {
        return refs.stream().map(ref -> granted(realm, client, ref)).toList();
    }

    /** The outcome of a put: the grant and whether it is new. */
    public record Put(TenantGrantEntity grant, boolean created) {
    }

    /**
     * Creates or changes the grant, under the application's lock ({@link #lockApplication}). A changed grant (level or
     * scopes) gets a new {@code grantedAt}: tenant tokens issued under the previous one are refused from then on
     * ({@link #stillGranted}). Putting the grant it already is changes nothing.
     */
    public Put put(RealmModel realm, OrganizationModel org, ClientModel client, String level, List<String> customScopes, String grantedBy) {
        lockApplication(client);
        TenantGrantEntity g = grant(org, client);
        if (g != null && !RowLocks.lock(em(), g)) {
            // known to this request from before the lock and revoked since: the revoke stands
            throw PackException.conflict("The grant was revoked during this request; try again");
        }
        boolean created = g == null;
        String scopes = TenantLevels.CUSTOM.equals(level) ? String.join(" ", customScopes) : null;
        if (!created && level.equals(g.getAccessLevel()) && java.util.Objects.equals(scopes, g.getScopes())) {
            return new Put(g, false);
        }
        if (created) {
            g = new TenantGrantEntity();
            g.setId(KeycloakModelUtils.generateId());
            g.setRealmId(realm.getId());
            g.setOrgId(org.getId());
            g.setOrgAlias(org.getAlias());
            g.setClientId(client.getId());
        }
        g.setAccessLevel(level);
        g.setScopes(scopes);
        g.setGrantedBy(grantedBy);
        g.setGrantedAt(System.currentTimeMillis());
        if (created) {
            em().persist(g);
        }
        TenantGrantCache.changed(client);
        return new Put(g, created);
    }

    /**
     * Serialises the changes of one application's grants: a row lock on the application's client row (Keycloak's
     * {@code CLIENT} table), held until the transaction ends. Two grants of one tenant to one application cannot
     * both be created, and a put or revoke always works on what the one before it wrote.
     */
    private void lockApplication(ClientModel client) {
        em().createNativeQuery("select ID from CLIENT where ID = ?1 for update").setParameter(1, client.getId()).getResultList();
    }

    public List<TenantGrantEntity> byTenant(OrganizationModel org, Paging paging) {
        return em().createNamedQuery("IotTenantGrant.byOrg", TenantGrantEntity.class).setParameter("orgId", org.getId())
                .setFirstResult(paging.first()).setMaxResults(paging.max()).getResultList();
    }

    /** The application's grants from enabled tenants, paged in the database so every page is full. */
    public List<TenantGrantEntity> byApplication(ClientModel client, Paging paging) {
        return em().createQuery("select g from IotTenantGrant g, OrganizationEntity o where g.clientId = :clientId"
                        + " and o.id = g.orgId and o.enabled = true order by g.grantedAt, g.id", TenantGrantEntity.class)
                .setParameter("clientId", client.getId())
                .setFirstResult(paging.first()).setMaxResults(paging.max()).getResultList();
    }

    /**
     * Deletes the grant under the application's lock; false when a concurrent revoke came first. Every tenant token
     * issued under it is refused from the answer on, on every node ({@link #stillGranted}).
     */
    public boolean revoke(ClientModel client, TenantGrantEntity g) {
        lockApplication(client);
        if (!RowLocks.lock(em(), g)) {
            return false;
        }
        em().remove(g);
        TenantGrantCache.changed(client);
        return true;
    }

    /**
     * Whether a tenant token (of the application {@code azp}, the tenant {@code ten_id}, issued at {@code iat}) is
     * still covered by a grant: the grant exists, its tenant is enabled, and the token is not older than the grant
     * (a grant revoked and granted again, or changed, after the token was issued does not revive it). Read like the
     * token path ({@link #granted}): from the node's cache while the application's grants version is unchanged,
     * which every grant change rewrites in Keycloak's cluster-invalidated client cache.
     */
    public boolean stillGranted(RealmModel realm, String azp, String tenantId, Long iat) {
        ClientModel client = azp == null ? null : realm.getClientByClientId(azp);
        Granted g = client == null || tenantId == null ? null : granted(realm, client, tenantId);
        return g != null && g.tenant().getId().equals(tenantId) && iat != null && iat >= issuedNoEarlierThan(g.grant());
    }

    /**
     * The earliest {@code iat} (seconds) of a token under the grant: the second the grant was made or last changed.
     * Tokens carry whole seconds, so a token issued in that same second under the grant before still passes (a
     * revoke and a new grant within one second); {@link TenantTokens} never issues one earlier than this.
     */
    public static long issuedNoEarlierThan(TenantGrantEntity g) {
        return g.getGrantedAt() == null ? 0 : g.getGrantedAt() / 1000;
    }

    /** The scopes a grant gives today. */
    public List<String> scopes(RealmModel realm, TenantGrantEntity g) {
        if (TenantLevels.CUSTOM.equals(g.getAccessLevel())) {
            return g.getScopes() == null ? List.of() : TenantLevels.split(g.getScopes());
        }
        return feature.levels().scopes(realm, g.getAccessLevel());
    }

    /**
     * The grant's scopes, or null while the realm's level map is broken: for what a revocation records, which must
     * not depend on the levels (revoking is the administrator's way out, also while the levels are being repaired).
     */
    public List<String> scopesIfReadable(RealmModel realm, TenantGrantEntity g) {
        try {
            return scopes(realm, g);
        } catch (PackException unreadable) {
            return null;
        }
    }

    /** The scopes a custom grant may name in this realm. */
    public java.util.Set<String> catalogue(RealmModel realm) {
        return feature.levels().catalogue(realm);
    }

    // ---- the administrators' view -----------------------------------------------------------------

    /** A grant of this realm by its id, or null. */
    public TenantGrantEntity byId(RealmModel realm, String id) {
        if (id == null || id.length() > 36) {
            return null;
        }
        List<TenantGrantEntity> found = em().createQuery("select g from IotTenantGrant g where g.realmId = :realmId and g.id = :id",
                TenantGrantEntity.class).setParameter("realmId", realm.getId()).setParameter("id", id).getResultList();
        return found.isEmpty() ? null : found.get(0);
    }

    /** The realm's grants, oldest first, of one tenant and/or one application when given (null: any). */
    public List<TenantGrantEntity> search(RealmModel realm, OrganizationModel org, ClientModel client, Paging paging) {
        String q = "select g from IotTenantGrant g where g.realmId = :realmId"
                + (org == null ? "" : " and g.orgId = :orgId")
                + (client == null ? "" : " and g.clientId = :clientId")
                + " order by g.grantedAt, g.id";
        jakarta.persistence.TypedQuery<TenantGrantEntity> query = em().createQuery(q, TenantGrantEntity.class).setParameter("realmId", realm.getId());
        if (org != null) {
            query.setParameter("orgId", org.getId());
        }
        if (client != null) {
            query.setParameter("clientId", client.getId());
        }
        return query.setFirstResult(paging.first()).setMaxResults(paging.max()).getResultList();
    }

    // ---- cleanup ----------------------------------------------------------------------------------

    public void clientRemoved(String clientId) {
        em().createQuery("delete from IotTenantGrant g where g.clientId = :clientId").setParameter("clientId", clientId).executeUpdate();
    }

    public void tenantRemoved(String orgId) {
        // the applications that lose a grant get a new grants version, so no node serves the grant from its cache
        List<Object[]> affected = em().createQuery("select g.realmId, g.clientId from IotTenantGrant g where g.orgId = :orgId", Object[].class)
                .setParameter("orgId", orgId).getResultList();
        for (Object[] row : affected) {
            RealmModel realm = session.realms().getRealm((String) row[0]);
            ClientModel client = realm == null ? null : session.clients().getClientById(realm, (String) row[1]);
            if (client != null) {
                TenantGrantCache.changed(client);
            }
        }
        em().createQuery("delete from IotTenantGrant g where g.orgId = :orgId").setParameter("orgId", orgId).executeUpdate();
    }

    public void realmRemoved(String realmId) {
        em().createQuery("delete from IotTenantGrant g where g.realmId = :realmId").setParameter("realmId", realmId).executeUpdate();
    }
}
