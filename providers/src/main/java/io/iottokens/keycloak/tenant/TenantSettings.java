package io.iottokens.keycloak.tenant;

import java.util.Arrays;
import java.util.List;

import org.keycloak.models.RealmModel;

import io.iottokens.keycloak.common.Attributes;

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
        List<String> v = audiences(realm.getAttribute(AUDIENCE));
        return v == null || v.isEmpty() ? List.of(DEFAULT_AUDIENCE) : v;
    }

    /** The lifespan or batch limit an attribute value means, or null when unset or not a positive whole number (the default applies). */
    public static Integer positive(String v) {
        Long n = Attributes.positive(v, Integer.MAX_VALUE);
        return n == null ? null : n.intValue();
    }

    private static int positive(String v, int fallback) {
        Integer n = positive(v);
        return n == null ? fallback : n;
    }

    /** The audiences an attribute value names, or null when unset or blank (the default applies). */
    public static List<String> audiences(String v) {
        if (v == null || v.isBlank()) {
            return null;
        }
        return Arrays.stream(v.trim().split("[\\s,]+")).filter(a -> !a.isEmpty()).distinct().toList();
    }
}
