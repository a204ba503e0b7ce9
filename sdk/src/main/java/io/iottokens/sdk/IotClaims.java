package io.iottokens.sdk;

import java.text.ParseException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.nimbusds.jwt.JWTClaimsSet;

import io.iottokens.sdk.IotTokenException.InsufficientScopeException;

/**
 * The claims of a verified token with typed views for each token type of the pack, and the authorization
 * checks resource servers need. Obtain it from {@link IotTokenVerifier#decodeAndVerify(String)}.
 */
public final class IotClaims {

    /** ubirch purposed token: {@code pur tid tgp ord scp}. */
    public record Purposed(String purpose, List<String> targetIdentities, List<String> targetGroups,
                           List<String> originDomains, List<String> scopes) {
    }

    /** Tenant-delegation token: {@code ten} (organization alias), {@code ten_id}, and the level's scopes. */
    public record Tenant(String alias, String id, List<String> scopes) {
    }

    /** Node-bound edge token: {@code node_id} and the key it is bound to ({@code cnf.jkt}), if any. */
    public record Edge(String nodeId, String boundKeyThumbprint) {
    }

    /** A token obtained with an API key. */
    public record ApiKey(String keyId) {
    }

    private final JWTClaimsSet claims;

    IotClaims(JWTClaimsSet claims) {
        this.claims = claims;
    }

    public JWTClaimsSet raw() {
        return claims;
    }

    public String subject() {
        return claims.getSubject();
    }

    public String issuer() {
        return claims.getIssuer();
    }

    public List<String> audience() {
        return claims.getAudience();
    }

    public String tokenId() {
        return claims.getJWTID();
    }

    public Instant expiresAt() {
        return claims.getExpirationTime() == null ? null : claims.getExpirationTime().toInstant();
    }

    /** {@code azp}: the client the token was issued to. */
    public String authorizedParty() {
        return string("azp");
    }

    /** The scopes: {@code scp} (array, purposed tokens) or {@code scope} (space-separated, OAuth tokens). */
    public List<String> scopes() {
        List<String> scp = strings("scp");
        if (!scp.isEmpty()) {
            return scp;
        }
        String scope = string("scope");
        return scope == null || scope.isBlank() ? List.of() : Arrays.asList(scope.trim().split("\\s+"));
    }

    public List<String> realmRoles() {
        Object realmAccess = claims.getClaim("realm_access");
        if (realmAccess instanceof Map<?, ?> m && m.get("roles") instanceof List<?> roles) {
            return roles.stream().map(String::valueOf).toList();
        }
        return List.of();
    }

    public Optional<Purposed> purposed() {
        String pur = string("pur");
        if (pur == null) {
            return Optional.empty();
        }
        return Optional.of(new Purposed(pur, strings("tid"), strings("tgp"), strings("ord"), strings("scp")));
    }

    public Optional<Tenant> tenant() {
        String ten = string("ten");
        return ten == null ? Optional.empty() : Optional.of(new Tenant(ten, string("ten_id"), scopes()));
    }

    public Optional<Edge> edge() {
        String node = string("node_id");
        if (node == null) {
            return Optional.empty();
        }
        Object cnf = claims.getClaim("cnf");
        String jkt = cnf instanceof Map<?, ?> m && m.get("jkt") != null ? String.valueOf(m.get("jkt")) : null;
        return Optional.of(new Edge(node, jkt));
    }

    public Optional<ApiKey> apiKey() {
        String id = string("api_key_id");
        return id == null ? Optional.empty() : Optional.of(new ApiKey(id));
    }

    // ---- authorization helpers ----------------------------------------------------------------------

    public boolean hasScope(String scope) {
        return scopes().contains(scope);
    }

    /** True when a purposed token targets this device: its id is in {@code tid}, or {@code tid} is {@code ["*"]}. */
    public boolean targetsIdentity(String identity) {
        List<String> tid = strings("tid");
        return tid.contains("*") || tid.contains(identity);
    }

    /** True when the request's {@code Origin} is among the token's {@code ord} (exact match of scheme, host, port). */
    public boolean originAllowed(String origin) {
        if (origin == null) {
            return false;
        }
        String o = origin.endsWith("/") ? origin.substring(0, origin.length() - 1) : origin;
        return strings("ord").stream().anyMatch(allowed -> allowed.equalsIgnoreCase(o));
    }

    /** True when a tenant token is for this tenant, named by organization alias or id. */
    public boolean tenantIs(String aliasOrId) {
        return aliasOrId != null && (aliasOrId.equals(string("ten")) || aliasOrId.equals(string("ten_id")));
    }

    public IotClaims requireScope(String scope) {
        return require(hasScope(scope), "The token lacks the scope " + scope);
    }

    public IotClaims requireTargetsIdentity(String identity) {
        return require(targetsIdentity(identity), "The token does not target " + identity);
    }

    public IotClaims requireOrigin(String origin) {
        return require(originAllowed(origin), "The origin is not allowed by the token");
    }

    public IotClaims requireTenant(String aliasOrId) {
        return require(tenantIs(aliasOrId), "The token is not for tenant " + aliasOrId);
    }

    private IotClaims require(boolean allowed, String refusal) {
        if (!allowed) {
            throw new InsufficientScopeException(refusal);
        }
        return this;
    }

    private String string(String name) {
        Object v = claims.getClaim(name);
        return v == null ? null : String.valueOf(v);
    }

    private List<String> strings(String name) {
        try {
            List<String> list = claims.getStringListClaim(name);
            return list == null ? List.of() : Collections.unmodifiableList(list);
        } catch (ParseException e) {
            String single = string(name);
            return single == null ? List.of() : List.of(single);
        }
    }

    @Override
    public String toString() {
        return "IotClaims" + claims.toJSONObject().keySet();
    }
}
