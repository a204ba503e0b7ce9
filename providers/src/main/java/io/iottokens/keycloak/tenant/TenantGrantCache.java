package io.iottokens.keycloak.tenant;

import org.keycloak.models.ClientModel;
import org.keycloak.models.utils.KeycloakModelUtils;

import io.iottokens.keycloak.common.BoundedCache;
import io.iottokens.keycloak.tenant.jpa.TenantGrantEntity;

/**
 * Grants on the token path without a database round trip. Entries are stamped with the application's grants
 * version, a client attribute ({@value #VERSION_ATTRIBUTE}) that every change of the application's grants
 * rewrites. Client attributes live in Keycloak's realm cache, which Keycloak invalidates on every node of a
 * cluster when they change; so a revoked grant is seen by the next token request on any node, exactly like a
 * disabled client. Entries also expire after {@value #TTL_MILLIS} ms, and only existing grants are cached.
 * One per node ({@link TenantFeature}).
 */
final class TenantGrantCache {

    static final String VERSION_ATTRIBUTE = "iottokens.tenant.grants-version";
    static final long TTL_MILLIS = 60_000;
    private static final int MAX_ENTRIES = 100_000;

    /** A detached copy of a grant, as loaded under one version. */
    record Entry(String version, long loadedAt, String id, String realmId, String orgId, String orgAlias, String clientId,
                 String level, String scopes, String grantedBy, Long grantedAt) {

        TenantGrantEntity toEntity() {
            TenantGrantEntity g = new TenantGrantEntity();
            g.setId(id);
            g.setRealmId(realmId);
            g.setOrgId(orgId);
            g.setOrgAlias(orgAlias);
            g.setClientId(clientId);
            g.setAccessLevel(level);
            g.setScopes(scopes);
            g.setGrantedBy(grantedBy);
            g.setGrantedAt(grantedAt);
            return g;
        }

        boolean expired(long now) {
            return now - loadedAt > TTL_MILLIS;
        }
    }

    /** When full, expired entries go first. */
    private final BoundedCache<String, Entry> entries = new BoundedCache<>(MAX_ENTRIES, (k, e) -> e.expired(System.currentTimeMillis()));

    static String version(ClientModel client) {
        String v = client.getAttribute(VERSION_ATTRIBUTE);
        return v == null ? "" : v;
    }

    /** Called in the transaction that changes one of the application's grants. */
    static void changed(ClientModel client) {
        client.setAttribute(VERSION_ATTRIBUTE, KeycloakModelUtils.generateId());
    }

    Entry get(String realmId, ClientModel client, String ref) {
        Entry e = entries.get(key(realmId, client.getId(), ref));
        if (e == null || !e.version().equals(version(client)) || e.expired(System.currentTimeMillis())) {
            return null;
        }
        return e;
    }

    void put(ClientModel client, String ref, TenantGrantEntity g) {
        entries.put(key(g.getRealmId(), client.getId(), ref), new Entry(version(client), System.currentTimeMillis(), g.getId(), g.getRealmId(),
                g.getOrgId(), g.getOrgAlias(), g.getClientId(), g.getAccessLevel(), g.getScopes(), g.getGrantedBy(), g.getGrantedAt()));
    }

    private static String key(String realmId, String clientId, String ref) {
        return realmId + '\n' + clientId + '\n' + ref;
    }
}
