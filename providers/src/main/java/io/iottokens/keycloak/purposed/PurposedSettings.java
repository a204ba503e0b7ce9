package io.iottokens.keycloak.purposed;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.keycloak.models.RealmModel;
import org.keycloak.util.JsonSerialization;

/**
 * Realm settings of purposed tokens (realm attributes, editable in the admin console's realm attributes or
 * through the admin REST API):
 * <ul>
 * <li>{@value #AUDIENCES}: JSON object scope → audience (string or array); scopes without an entry get the
 * realm issuer as audience (that is where {@code thing:bootstrap} tokens are consumed);</li>
 * <li>{@value #MAX_LIFETIME}: seconds; when set, a token without {@code expiration} expires after it and a
 * longer one is refused;</li>
 * <li>{@value #BOOTSTRAP_WINDOW}: seconds a bootstrap request's {@code timestamp} may differ from the server
 * clock (default {@value #DEFAULT_BOOTSTRAP_WINDOW}).</li>
 * </ul>
 */
public final class PurposedSettings {

    public static final String AUDIENCES = "iottokens.purposed.audiences";
    public static final String MAX_LIFETIME = "iottokens.purposed.max-lifetime";
    public static final String BOOTSTRAP_WINDOW = "iottokens.purposed.bootstrap-window";
    static final long DEFAULT_BOOTSTRAP_WINDOW = 300;

    private PurposedSettings() {
    }

    public static Long maxLifetime(RealmModel realm) {
        return positive(realm.getAttribute(MAX_LIFETIME));
    }

    public static long bootstrapWindow(RealmModel realm) {
        Long v = positive(realm.getAttribute(BOOTSTRAP_WINDOW));
        return v == null ? DEFAULT_BOOTSTRAP_WINDOW : v;
    }

    /** The audiences of a token with these scopes, in scope order, without duplicates. */
    public static List<String> audiences(RealmModel realm, List<String> scopes, String issuer) {
        Map<?, ?> map = Map.of();
        String configured = realm.getAttribute(AUDIENCES);
        if (configured != null && !configured.isBlank()) {
            try {
                map = JsonSerialization.readValue(configured, Map.class);
            } catch (IOException e) {
                map = Map.of(); // an unreadable setting falls back to the issuer; the admin sees it in the token
            }
        }
        Set<String> out = new LinkedHashSet<>();
        for (String scope : scopes) {
            Object a = map.get(scope);
            if (a instanceof String s && !s.isBlank()) {
                out.add(s);
            } else if (a instanceof List<?> l && !l.isEmpty()) {
                l.forEach(x -> out.add(String.valueOf(x)));
            } else {
                out.add(issuer);
            }
        }
        return new ArrayList<>(out);
    }

    private static Long positive(String v) {
        if (v == null || v.isBlank()) {
            return null;
        }
        try {
            long n = Long.parseLong(v.trim());
            return n > 0 ? n : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
