package io.iottokens.keycloak.purposed;

import java.net.URI;
import java.net.URISyntaxException;
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

import io.iottokens.keycloak.common.ApiError;
import io.iottokens.keycloak.common.JsonBody;
import io.iottokens.keycloak.device.DeviceService;

/**
 * A checked claim object of seed 002 ({@code tenantId purpose targetIdentities targetGroups expiration notBefore
 * originDomains scopes}). Every rule of the seed is enforced here, for the REST route and the token-exchange
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
    /** About 317 years: the seed's own examples ask for 200. */
    static final long MAX_SECONDS = 10_000_000_000L;
    private static final int MAX_JSON = 4000;

    public PurposedClaims claims() {
        return new PurposedClaims(purpose, targetIdentities, targetGroups, originDomains, scopes);
    }

    public static PurposedRequest validate(KeycloakSession session, RealmModel realm, UserModel caller, JsonBody body) {
        if (body.has("tenantId")) {
            String tenant = body.string("tenantId", 255);
            if (!caller.getId().equals(tenant)) {
                throw ApiError.of(Response.Status.FORBIDDEN, "access_denied", "Field 'tenantId' must be your own user id");
            }
        }
        String purpose = body.string("purpose", 255);
        if (purpose == null || purpose.strip().length() < MIN_PURPOSE) {
            throw ApiError.badRequest("Field 'purpose' is required: at least " + MIN_PURPOSE + " characters");
        }

        List<String> scopes = body.strings("scopes", 20, 64);
        if (scopes == null || scopes.isEmpty()) {
            throw ApiError.badRequest("Field 'scopes' needs at least one scope of " + PurposedScopes.of(realm));
        }
        List<String> catalogue = PurposedScopes.of(realm);
        for (String s : scopes) {
            if (!catalogue.contains(s)) {
                throw ApiError.badRequest("Field 'scopes': unknown scope '" + s + "'; the realm offers " + catalogue);
            }
        }

        List<String> identities = orEmpty(body.strings("targetIdentities", 100, 255));
        DeviceService devices = new DeviceService(session);
        if (identities.contains(WILDCARD)) {
            if (identities.size() != 1) {
                throw ApiError.badRequest("Field 'targetIdentities': the wildcard \"*\" must be alone: [\"*\"]");
            }
        } else {
            List<String> foreign = devices.notOwned(realm, caller.getId(), identities);
            if (!foreign.isEmpty()) {
                throw ApiError.badRequest("Field 'targetIdentities': '" + abbreviate(foreign.get(0)) + "' is not a device you own");
            }
        }

        List<String> groups = new ArrayList<>();
        for (String ref : orEmpty(body.strings("targetGroups", 50, 255))) {
            GroupModel g = devices.group(realm, ref);
            if (g == null || !caller.isMemberOf(g)) {
                throw ApiError.badRequest("Field 'targetGroups': '" + abbreviate(ref) + "' is not a group you belong to");
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
            throw ApiError.badRequest("Field 'expiration' must be a positive number of seconds from now (at most " + MAX_SECONDS + ") or null");
        }
        if (notBefore != null && (notBefore < 0 || notBefore > MAX_SECONDS)) {
            throw ApiError.badRequest("Field 'notBefore' must be zero or a positive number of seconds from now, or null");
        }
        if (expiration != null && notBefore != null && notBefore >= expiration) {
            throw ApiError.badRequest("Fields 'notBefore' and 'expiration' are inconsistent: the token would expire before it becomes valid");
        }
        Long max = PurposedSettings.maxLifetime(realm);
        if (max != null && expiration != null && expiration > max) {
            throw ApiError.badRequest("Field 'expiration' exceeds the realm's maximum of " + max + " seconds");
        }
        if (max != null && notBefore != null && expiration == null && notBefore >= max) {
            throw ApiError.badRequest("Field 'notBefore' is beyond the realm's maximum lifetime of " + max + " seconds");
        }

        PurposedRequest r = new PurposedRequest(purpose, dedupe(identities), dedupe(groups), dedupe(origins), dedupe(scopes), expiration, notBefore);
        if (PurposedTokenService.json(r.targetIdentities()).length() > MAX_JSON || PurposedTokenService.json(r.originDomains()).length() > MAX_JSON
                || PurposedTokenService.json(r.targetGroups()).length() > MAX_JSON) {
            throw ApiError.badRequest("Fields 'targetIdentities', 'targetGroups' and 'originDomains' may hold at most " + MAX_JSON + " characters each");
        }
        return r;
    }

    /** An absolute http(s) origin: scheme, host and optional port, nothing else; returned in lower case. */
    static String origin(String value) {
        String error = "Field 'originDomains': '" + abbreviate(value) + "' is not an absolute http(s) origin such as https://app.example.com";
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw ApiError.badRequest(error);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean pathOk = uri.getRawPath() == null || uri.getRawPath().isEmpty() || "/".equals(uri.getRawPath());
        if (!("http".equals(scheme) || "https".equals(scheme)) || uri.getHost() == null || uri.getRawUserInfo() != null
                || !pathOk || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw ApiError.badRequest(error);
        }
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (uri.getPort() >= 0 ? ":" + uri.getPort() : "");
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
