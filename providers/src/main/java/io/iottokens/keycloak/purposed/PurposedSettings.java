package io.iottokens.keycloak.purposed;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.keycloak.models.RealmModel;
import org.keycloak.util.JsonSerialization;

import io.iottokens.keycloak.common.Attributes;

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
        Map<String, List<String>> map;
        try {
            map = parseAudiences(realm.getAttribute(AUDIENCES));
        } catch (IllegalArgumentException e) {
            map = Map.of(); // an unreadable setting falls back to the issuer; the admin sees it in the token (and in the settings)
        }
        Set<String> out = new LinkedHashSet<>();
        for (String scope : scopes) {
            List<String> a = map.get(scope);
            if (a != null) {
                out.addAll(a);
            } else {
                out.add(issuer);
            }
        }
        return new ArrayList<>(out);
    }

    /** Seconds an attribute value means, or null when unset or not a positive whole number (the default applies). */
    public static Long positive(String v) {
        return Attributes.positive(v, Long.MAX_VALUE);
    }

    /**
     * The audience map an attribute value holds (scope → audiences, in order), empty when unset or blank; an
     * {@link IllegalArgumentException} saying why when it is not a JSON object of scope → non-blank string or
     * non-empty array of non-blank strings.
     */
    public static Map<String, List<String>> parseAudiences(String json) {
        if (json == null || json.isBlank()) {
            return Map.of();
        }
        Map<?, ?> map;
        try {
            map = JsonSerialization.readValue(json, Map.class);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a JSON object scope -> audience (string or array of strings)");
        }
        if (map == null) {
            throw new IllegalArgumentException("not a JSON object scope -> audience (string or array of strings)");
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String scope = String.valueOf(e.getKey());
            Object a = e.getValue();
            List<String> audiences = new ArrayList<>();
            if (a instanceof String s && !s.isBlank()) {
                audiences.add(s);
            } else if (a instanceof List<?> l && !l.isEmpty()) {
                for (Object x : l) {
                    if (!(x instanceof String s) || s.isBlank()) {
                        throw new IllegalArgumentException("scope '" + scope + "': audiences must be non-blank strings");
                    }
                    audiences.add(s);
                }
            } else {
                throw new IllegalArgumentException("scope '" + scope + "': the audience must be a non-blank string or a non-empty array of strings");
            }
            out.put(scope, List.copyOf(new LinkedHashSet<>(audiences)));
        }
        return out;
    }
}
