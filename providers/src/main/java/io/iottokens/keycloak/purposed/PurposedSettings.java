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
 * <li>{@value #MAX_LIFETIME}: seconds (default {@value #DEFAULT_MAX_LIFETIME}, 30 days); every purposed token
 * expires within it, bootstrap-issued ones included: a token without {@code expiration} gets it, a longer one is
 * refused. There is no "never expires": a leaked purposed token is a bearer credential until it expires, and
 * verifiers (the SDK) need an {@code exp};</li>
 * <li>{@value #BOOTSTRAP_WINDOW}: seconds a bootstrap request's {@code timestamp} may differ from the server
 * clock (default {@value #DEFAULT_BOOTSTRAP_WINDOW}).</li>
 * </ul>
 */
public final class PurposedSettings {

    public static final String AUDIENCES = "iottokens.purposed.audiences";
    public static final String MAX_LIFETIME = "iottokens.purposed.max-lifetime";
    public static final String BOOTSTRAP_WINDOW = "iottokens.purposed.bootstrap-window";
    static final long DEFAULT_BOOTSTRAP_WINDOW = 300;
    static final long DEFAULT_MAX_LIFETIME = 30L * 24 * 3600;

    private PurposedSettings() {
    }

    /** Seconds; an unset or unreadable attribute means the default, never "unlimited". */
    public static long maxLifetime(RealmModel realm) {
        Long v = positive(realm.getAttribute(MAX_LIFETIME));
        return v == null ? DEFAULT_MAX_LIFETIME : Math.min(v, PurposedRequest.MAX_SECONDS);
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
