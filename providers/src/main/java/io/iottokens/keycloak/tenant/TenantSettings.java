package io.iottokens.keycloak.tenant;

import java.util.Arrays;
import java.util.List;

import org.keycloak.models.RealmModel;

/**
 * Realm attributes of tenant delegation: {@value #TOKEN_LIFESPAN} (seconds, default {@value #DEFAULT_LIFESPAN}),
 * {@value #BATCH_LIMIT} (tenants per batch request, default {@value #DEFAULT_BATCH_LIMIT}, README "Tenant delegation") and
 * {@value #AUDIENCE} (the audiences every tenant token carries, separated by spaces or commas, default
 * {@value #DEFAULT_AUDIENCE}).
 */
public final class TenantSettings {

    public static final String TOKEN_LIFESPAN = "iottokens.tenant.token-lifespan";
    public static final String BATCH_LIMIT = "iottokens.tenant.batch-limit";
    public static final String AUDIENCE = "iottokens.tenant.audience";
    static final int DEFAULT_LIFESPAN = 300;
    static final int DEFAULT_BATCH_LIMIT = 5;
    /** The platform's resource-server client: its introspection needs to be in a token's audience. */
    static final String DEFAULT_AUDIENCE = "iot-platform";

    private TenantSettings() {
    }

    public static int lifespan(RealmModel realm) {
        return positive(realm.getAttribute(TOKEN_LIFESPAN), DEFAULT_LIFESPAN);
    }

    public static int batchLimit(RealmModel realm) {
        return positive(realm.getAttribute(BATCH_LIMIT), DEFAULT_BATCH_LIMIT);
    }

    /**
     * The audiences put into every tenant token, whatever the application's client scopes and mappers give: the
     * platform's resource servers check {@code aud} and introspect as {@value #DEFAULT_AUDIENCE}, and operators add
     * applications without audience mappers. Missing or blank: {@value #DEFAULT_AUDIENCE}.
     */
    public static List<String> audiences(RealmModel realm) {
        String v = realm.getAttribute(AUDIENCE);
        if (v == null || v.isBlank()) {
            return List.of(DEFAULT_AUDIENCE);
        }
        return Arrays.stream(v.trim().split("[\\s,]+")).filter(a -> !a.isEmpty()).distinct().toList();
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
