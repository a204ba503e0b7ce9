package io.iottokens.keycloak.common;

import java.util.Map;

import org.keycloak.OAuth2Constants;
import org.keycloak.models.Constants;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.UserModel;
import org.keycloak.protocol.oidc.encode.AccessTokenContext;
import org.keycloak.protocol.oidc.encode.TokenContextEncoderProvider;
import org.keycloak.representations.AccessToken;

/**
 * What a Keycloak access token of this realm was issued as. The pack decides where each kind is accepted
 * ({@link BearerPolicy}); Keycloak's own bearer-token endpoints consult the grant type encoded in the token's
 * {@code jti} ({@code OAuth2GrantType#isTokenAllowed}), which is why tenant and edge tokens are issued under
 * grant types of their own and keep them on refresh ({@link KindRefreshTokenProvider}).
 *
 * <p>A kind is read from signed claims the pack writes only for its own tokens ({@code ten}, {@code node_id},
 * {@code api_key_id}) and from the grant type in the {@code jti}; either suffices, so a token keeps its kind even
 * if an administrator removes a mapper.
 */
public enum TokenKind {
    /** A person's sign-in: authorization code, password, device or CIBA grant, and their refreshes. */
    LOGIN("login", "a login token"),
    /** The API-key grant. */
    API_KEY("api-key", "an API key token"),
    /** An application's own token (client_credentials, or any token of a service-account user). */
    SERVICE_ACCOUNT("service-account", "a service-account token"),
    /** A tenant token of an application (tenant delegation). */
    TENANT("tenant", "a tenant token"),
    /** A node-bound edge token. */
    EDGE("edge", "an edge token"),
    /** A token from Keycloak's standard token exchange: meant for the resource server it was exchanged for. */
    EXCHANGED("exchanged", "a token from Keycloak's token exchange");

    /** The grant type of API-key tokens (the {@code grant_type} value of the token request). */
    public static final String API_KEY_GRANT = "urn:iottokens:params:oauth:grant-type:api-key";
    /** The grant type recorded in tenant tokens' {@code jti}; not a grant anyone can ask for. */
    public static final String TENANT_GRANT = "urn:iottokens:params:oauth:grant-type:tenant-token";
    /** The grant type recorded in edge tokens' {@code jti}; not a grant anyone can ask for. */
    public static final String EDGE_GRANT = "urn:iottokens:params:oauth:grant-type:edge-token";

    /** Claims only the pack writes, each naming one kind. */
    public static final String CLAIM_TENANT = "ten";
    public static final String CLAIM_TENANT_ID = "ten_id";
    public static final String CLAIM_NODE_ID = "node_id";
    public static final String CLAIM_API_KEY_ID = "api_key_id";

    /** User-session note naming the grant type a session's refreshed tokens keep. */
    public static final String NOTE_GRANT = "iottokens.grant";

    private final String label;
    private final String description;

    TokenKind(String label, String description) {
        this.label = label;
        this.description = description;
    }

    /** For error descriptions: "an API key token". */
    public String description() {
        return description;
    }

    /** The name used in the README's table and in error descriptions. */
    public String label() {
        return label;
    }

    /** The kind of a verified access token; {@code user} (may be null) tells service accounts apart. */
    public static TokenKind of(KeycloakSession session, AccessToken token, UserModel user) {
        Map<String, Object> claims = token.getOtherClaims();
        if (claims.containsKey(CLAIM_TENANT)) {
            return TENANT;
        }
        if (claims.containsKey(CLAIM_NODE_ID)) {
            return EDGE;
        }
        if (claims.containsKey(CLAIM_API_KEY_ID)) {
            return API_KEY;
        }
        String grant = grantType(session, token);
        if (grant != null) {
            switch (grant) {
                case TENANT_GRANT:
                    return TENANT;
                case EDGE_GRANT:
                    return EDGE;
                case API_KEY_GRANT:
                    return API_KEY;
                case OAuth2Constants.CLIENT_CREDENTIALS:
                    return SERVICE_ACCOUNT;
                case OAuth2Constants.TOKEN_EXCHANGE_GRANT_TYPE:
                    return EXCHANGED;
                default:
                    break;
            }
        }
        if (user != null && user.getServiceAccountClientLink() != null) {
            return SERVICE_ACCOUNT;
        }
        return LOGIN;
    }

    /**
     * Removes the realm's administration roles ({@code resource_access.realm-management}) from a token of the pack's
     * kinds (API key, edge, tenant). Keycloak's admin and account APIs already refuse such tokens (their grant types'
     * {@code isTokenAllowed}), but some Keycloak endpoints read roles from the token without asking the grant, such
     * as Dynamic Client Registration ({@code /clients-registrations}, which would read client secrets and create
     * clients for a token holding {@code manage-clients}): a token of these kinds carries no admin role at all.
     */
    public static AccessToken withoutAdminRoles(AccessToken token) {
        if (token.getResourceAccess() != null) {
            token.getResourceAccess().remove(Constants.REALM_MANAGEMENT_CLIENT_ID);
        }
        return token;
    }

    /** The grant type encoded in the token's {@code jti}, or null when it carries none. */
    public static String grantType(KeycloakSession session, AccessToken token) {
        if (token.getId() == null) {
            return null;
        }
        try {
            AccessTokenContext context = session.getProvider(TokenContextEncoderProvider.class).getTokenContextFromTokenId(token.getId());
            return context == null ? null : context.getGrantType();
        } catch (RuntimeException e) {
            return null;
        }
    }
}
