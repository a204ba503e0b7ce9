package io.iottokens.keycloak.purposed;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import jakarta.ws.rs.core.Response;

import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

import io.iottokens.keycloak.common.JsonBody;
import io.iottokens.keycloak.common.PackException;
import io.iottokens.keycloak.device.DeviceService;

/**
 * A checked claim object ({@code tenantId purpose targetIdentities targetGroups expiration notBefore
 * originDomains scopes}). Every rule of the README's "Purposed tokens" is enforced here, for the REST route and the token-exchange
 * route alike: each violation is a 400 naming the field, someone else's {@code tenantId} a 403.
 *
 * @param targetGroups group ids (the request may name groups by id, path or name)
 * @param expiration   seconds from now, or null for none
 * @param notBefore    seconds from now, or null
 */
public record PurposedRequest(String purpose, List<String> targetIdentities, List<String> targetGroups,
                              List<String> originDomains, List<String> scopes, Long expiration, Long notBefore) {

    public static final Set<String> FIELDS = Set.of("tenantId", "purpose", "targetIdentities", "targetGroups",
            "expiration", "notBefore", "originDomains", "scopes");
    public static final String WILDCARD = "*";
    static final int MIN_PURPOSE = 6;
    /** About 317 years: ubirch's own examples ask for 200. */
    static final long MAX_SECONDS = 10_000_000_000L;
    private static final int MAX_JSON = 4000;

    public PurposedClaims claims() {
        return new PurposedClaims(purpose, targetIdentities, targetGroups, originDomains, scopes);
    }

    public static PurposedRequest validate(KeycloakSession session, RealmModel realm, UserModel caller, JsonBody body) {
        if (body.has("tenantId")) {
            String tenant = body.string("tenantId", 255);
            if (!caller.getId().equals(tenant)) {
                throw new PackException(Response.Status.FORBIDDEN.getStatusCode(), "access_denied", "Field 'tenantId' must be your own user id");
            }
        }
        String purpose = body.string("purpose", 255);
        if (purpose == null || purpose.strip().length() < MIN_PURPOSE) {
            throw PackException.badRequest("Field 'purpose' is required: at least " + MIN_PURPOSE + " characters");
        }

        List<String> scopes = body.strings("scopes", 20, 64);
        if (scopes == null || scopes.isEmpty()) {
            throw PackException.badRequest("Field 'scopes' needs at least one scope of " + PurposedScopes.of(realm));
        }
        List<String> catalogue = PurposedScopes.of(realm);
        for (String s : scopes) {
            if (!catalogue.contains(s)) {
                throw PackException.badRequest("Field 'scopes': unknown scope '" + s + "'; the realm offers " + catalogue);
            }
        }

        List<String> identities = orEmpty(body.strings("targetIdentities", 100, 255));
        DeviceService devices = new DeviceService(session);
        if (identities.contains(WILDCARD)) {
            if (identities.size() != 1) {
                throw PackException.badRequest("Field 'targetIdentities': the wildcard \"*\" must be alone: [\"*\"]");
            }
        } else {
            List<String> foreign = devices.notOwned(realm, caller.getId(), identities);
            if (!foreign.isEmpty()) {
                throw PackException.badRequest("Field 'targetIdentities': '" + abbreviate(foreign.get(0)) + "' is not a device you own");
            }
        }

        List<String> groups = new ArrayList<>();
        for (String ref : orEmpty(body.strings("targetGroups", 50, 255))) {
            GroupModel g = devices.group(realm, ref);
            if (g == null || !caller.isMemberOf(g)) {
                throw PackException.badRequest("Field 'targetGroups': '" + abbreviate(ref) + "' is not a group you belong to");
            }
            groups.add(g.getId());
        }

        List<String> origins = new ArrayList<>();
        for (String o : orEmpty(body.strings("originDomains", 20, 255))) {
            origins.add(origin(o));
        }

        Long expiration = body.integer("expiration");
        Long notBefore = body.integer("notBefore");
        if (expiration != null && (expiration <= 0 || expiration > MAX_SECONDS)) {
            throw PackException.badRequest("Field 'expiration' must be a positive number of seconds from now (at most " + MAX_SECONDS + ") or null");
        }
        if (notBefore != null && (notBefore < 0 || notBefore > MAX_SECONDS)) {
            throw PackException.badRequest("Field 'notBefore' must be zero or a positive number of seconds from now, or null");
        }
        if (expiration != null && notBefore != null && notBefore >= expiration) {
            throw PackException.badRequest("Fields 'notBefore' and 'expiration' are inconsistent: the token would expire before it becomes valid");
        }
        Long max = PurposedSettings.maxLifetime(realm);
        if (max != null && expiration != null && expiration > max) {
            throw PackException.badRequest("Field 'expiration' exceeds the realm's maximum of " + max + " seconds");
        }
        if (max != null && notBefore != null && expiration == null && notBefore >= max) {
            throw PackException.badRequest("Field 'notBefore' is beyond the realm's maximum lifetime of " + max + " seconds");
        }

        PurposedRequest r = new PurposedRequest(purpose, dedupe(identities), dedupe(groups), dedupe(origins), dedupe(scopes), expiration, notBefore);
        if (PurposedTokenService.json(r.targetIdentities()).length() > MAX_JSON || PurposedTokenService.json(r.originDomains()).length() > MAX_JSON
                || PurposedTokenService.json(r.targetGroups()).length() > MAX_JSON) {
            throw PackException.badRequest("Fields 'targetIdentities', 'targetGroups' and 'originDomains' may hold at most " + MAX_JSON + " characters each");
        }
        return r;
    }

    /**
     * An absolute http(s) origin as a browser sends it in {@code Origin} (RFC 6454): {@code scheme://host[:port]},
     * nothing else (a single trailing "/" is tolerated and dropped). Checked by hand rather than by {@link java.net.URI},
     * which takes ports above 65535, empty ports and registry names:
     * <ul>
     * <li>scheme {@code http} or {@code https};</li>
     * <li>host: a DNS name of ASCII letters, digits and hyphens (labels of 1 to 63, not starting or ending with a hyphen,
     * 253 in all; internationalised names in their {@code xn--} form), a dotted-quad IPv4 address without leading zeros
     * (a name whose last label is numeric must be one, as WHATWG URL parsing reads it), or an IPv6 address in brackets;</li>
     * <li>port: 1 to 5 ASCII digits, 1 to 65535;</li>
     * <li>no user info, path, query or fragment, no whitespace or other characters.</li>
     * </ul>
     * Returned as a browser serialises it, so the SDK's exact comparison with the {@code Origin} header works: scheme and
     * host in lower case, IPv6 compressed (RFC 5952), the scheme's default port and leading zeros dropped.
     */
    static String origin(String value) {
        String error = "Field 'originDomains': '" + abbreviate(value) + "' is not an absolute http(s) origin such as https://app.example.com";
        // printable ASCII only, checked before any case mapping (the Kelvin sign lower-cases to "k")
        if (!value.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw PackException.badRequest(error);
        }
        String v = value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
        int sep = v.indexOf("://");
        String scheme = sep < 0 ? "" : v.substring(0, sep).toLowerCase(Locale.ROOT);
        if (!("http".equals(scheme) || "https".equals(scheme))) {
            throw PackException.badRequest(error);
        }
        String authority = v.substring(sep + 3);
        String host;
        String port = null;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                throw PackException.badRequest(error);
            }
            host = ipv6(authority.substring(1, close));
            String rest = authority.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw PackException.badRequest(error);
                }
                port = rest.substring(1);
            }
        } else {
            int colon = authority.indexOf(':');
            String name = colon < 0 ? authority : authority.substring(0, colon);
            port = colon < 0 ? null : authority.substring(colon + 1);
            host = hostName(name);
        }
        if (host == null) {
            throw PackException.badRequest(error);
        }
        int defaultPort = "https".equals(scheme) ? 443 : 80;
        Integer p = port == null ? null : port(port);
        if (port != null && p == null) {
            throw PackException.badRequest("Field 'originDomains': '" + abbreviate(value) + "' has an invalid port (1 to 65535)");
        }
        return scheme + "://" + host + (p == null || p == defaultPort ? "" : ":" + p);
    }

    /** 1 to 5 ASCII digits, 1 to 65535; null otherwise. */
    private static Integer port(String s) {
        if (s.isEmpty() || s.length() > 5) {
            return null;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return null;
            }
        }
        int p = Integer.parseInt(s);
        return p >= 1 && p <= 65535 ? p : null;
    }

    /** A DNS name or dotted-quad IPv4 address in lower case; null when it is neither. */
    private static String hostName(String name) {
        if (name.isEmpty() || name.length() > 253) {
            return null;
        }
        String lower = name.toLowerCase(Locale.ROOT);
        String[] labels = lower.split("\\.", -1);
        for (String label : labels) {
            if (label.isEmpty() || label.length() > 63 || label.startsWith("-") || label.endsWith("-")) {
                return null;
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
                    return null;
                }
            }
        }
        String last = labels[labels.length - 1];
        boolean numericLast = last.chars().allMatch(c -> c >= '0' && c <= '9');
        if (numericLast || last.startsWith("0x")) {
            return ipv4(labels) ? lower : null;
        }
        return lower;
    }

    /** Four decimal parts 0 to 255 without leading zeros (which some parsers read as octal). */
    private static boolean ipv4(String[] parts) {
        if (parts.length != 4) {
            return false;
        }
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || (part.length() > 1 && part.startsWith("0"))
                    || !part.chars().allMatch(c -> c >= '0' && c <= '9') || Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }

    /** An IPv6 literal (no zone) in brackets, compressed as RFC 5952 and WHATWG URL write it; null when invalid. */
    private static String ipv6(String literal) {
        // only hex digits, colons and dots reach InetAddress, and a colon is required: it then parses the literal and
        // never resolves a name
        if (literal.isEmpty() || literal.indexOf(':') < 0 || !(literal.charAt(0) == ':' || Character.digit(literal.charAt(0), 16) >= 0)
                || !literal.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
            return null;
        }
        byte[] addr;
        try {
            addr = java.net.InetAddress.getByName(literal).getAddress();
        } catch (java.net.UnknownHostException | RuntimeException e) {
            return null;
        }
        if (addr.length == 4) { // Java turns ::ffff:a.b.c.d into an IPv4 address
            addr = new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, addr[0], addr[1], addr[2], addr[3]};
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((addr[2 * i] & 0xff) << 8) | (addr[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8;) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (out.length() > 1 && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(groups[i]));
        }
        return out.append(']').toString();
    }

    private static List<String> orEmpty(List<String> l) {
        return l == null ? List.of() : l;
    }

    private static List<String> dedupe(List<String> l) {
        return List.copyOf(new LinkedHashSet<>(l));
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }
}
