package io.iottokens.keycloak.tenant;

import org.keycloak.models.RealmModel;

/**
 * Realm attributes of tenant delegation: {@value #TOKEN_LIFESPAN} (seconds, default {@value #DEFAULT_LIFESPAN})
 * and {@value #BATCH_LIMIT} (tenants per batch request, default {@value #DEFAULT_BATCH_LIMIT} as in seed 001).
 */
public final class TenantSettings {

    public static final String TOKEN_LIFESPAN = "iottokens.tenant.token-lifespan";
    public static final String BATCH_LIMIT = "iottokens.tenant.batch-limit";
    static final int DEFAULT_LIFESPAN = 300;
    static final int DEFAULT_BATCH_LIMIT = 5;

    private TenantSettings() {
    }

    public static int lifespan(RealmModel realm) {
        return positive(realm.getAttribute(TOKEN_LIFESPAN), DEFAULT_LIFESPAN);
    }

    public static int batchLimit(RealmModel realm) {
        return positive(realm.getAttribute(BATCH_LIMIT), DEFAULT_BATCH_LIMIT);
    }

    private static int positive(String v, int fallback) {
        try {
            int n = v == null ? fallback : Integer.parseInt(v.trim());
            return n > 0 ? n : fallback;
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
