package io.iottokens.keycloak.common;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.ws.rs.core.PathSegment;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.UserModel;
import org.keycloak.representations.AccessToken;
import org.keycloak.services.managers.AuthenticationManager.AuthResult;

/**
 * The one place that says which kind of token ({@link TokenKind}) may call which endpoint of the pack. The README's
 * "Bearer policy" table is this enum. Every bearer endpoint of the pack starts with {@link #require}; a token of
 * another kind is refused with 403 before any work.
 *
 * <p>Keycloak's own bearer-token endpoints (admin REST API, account API, broker token retrieval, authorization
 * services) ask the grant type encoded in the token's {@code jti}. The pack's grant types answer there with
 * {@link #atPackEndpoint}: API-key, tenant and edge tokens are accepted only on the pack's own paths, where
 * this policy decides, and nowhere else in Keycloak.
 */
public enum BearerPolicy {

    /** {@code /realms/{r}/api-keys/**}: a person manages their keys; a key cannot mint or manage keys. */
    API_KEYS("/realms/{realm}/api-keys/**", TokenKind.LOGIN),
    /** {@code /realms/{r}/purposed-tokens} create, list, delete: credentials are made by a signed-in person. */
    PURPOSED_TOKENS("/realms/{realm}/purposed-tokens (create, list, delete)", TokenKind.LOGIN),
    /** {@code /realms/{r}/devices} list, get, forget, and {@code {id}/unassociate}: the owner's view. */
    DEVICES("/realms/{realm}/devices (list, get, forget)", TokenKind.LOGIN),
    /** The optional bearer of {@code POST /realms/{r}/devices/{id}/key}: the owner vouching for a device's key. */
    DEVICE_KEY_OWNER("/realms/{realm}/devices/{id}/key (owner's bearer, when the device has an owner)", TokenKind.LOGIN),
    /** {@code /realms/{r}/devices/associate|unassociate}: the node itself, with its edge token. */
    EDGE_ACCOUNT("/realms/{realm}/devices/associate, /unassociate", TokenKind.EDGE),
    /** {@code /realms/{r}/tenant-delegation/tenants/{org}/grants/**}: a tenant admin or realm admin. */
    TENANT_GRANTS("/realms/{realm}/tenant-delegation/tenants/{org}/grants/**", TokenKind.LOGIN),
    /** {@code /realms/{r}/tenant-delegation/authorized-tenants} and {@code /tokens}: the application itself. */
    TENANT_APPLICATION("/realms/{realm}/tenant-delegation/authorized-tenants, /tokens", TokenKind.SERVICE_ACCOUNT);

    /** The realm resources of the pack (their factory ids): the paths where {@link #atPackEndpoint} is true. */
    public static final Set<String> PACK_RESOURCES = Set.of("api-keys", "purposed-tokens", "devices", "tenant-delegation");

    private final String path;
    private final Set<TokenKind> accepted;

    BearerPolicy(String path, TokenKind first, TokenKind... rest) {
        this.path = path;
        this.accepted = EnumSet.of(first, rest);
    }

    public String path() {
        return path;
    }

    public boolean accepts(TokenKind kind) {
        return accepted.contains(kind);
    }

    /** The caller of this endpoint: a valid bearer token (else 401) of an accepted kind (else 403), with CORS headers. */
    public AuthResult require(KeycloakSession session) {
        AuthResult auth = BearerAuth.require(session);
        check(session, auth.getToken(), auth.getUser());
        RestCors.allow(auth.getToken());
        return auth;
    }

    /** For a token verified elsewhere (the stateless check of applications' tokens): 403 unless of an accepted kind. */
    public TokenKind check(KeycloakSession session, AccessToken token, UserModel user) {
        TokenKind kind = TokenKind.of(session, token, user);
        if (!accepts(kind)) {
            throw PackException.forbidden("This endpoint does not take " + kind.description() + "; it takes "
                    + accepted.stream().map(TokenKind::description).collect(Collectors.joining(" or ")));
        }
        return kind;
    }

    /**
     * Whether the request being served is one of the pack's realm resources ({@code /realms/{r}/<pack resource>/...}).
     * Used by the pack's grant types in {@code isTokenAllowed}: their tokens reach the pack's own policy there and are
     * refused by every other bearer-token endpoint of Keycloak (admin REST API, account API and the rest).
     */
    public static boolean atPackEndpoint(KeycloakSession session) {
        if (session.getContext().getUri() == null) {
            return false;
        }
        List<PathSegment> segments = session.getContext().getUri().getPathSegments();
        return segments.size() >= 3 && "realms".equals(segments.get(0).getPath()) && PACK_RESOURCES.contains(segments.get(2).getPath());
    }
}
