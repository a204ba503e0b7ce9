package io.iottokens.keycloak.common;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.oidc.grants.OAuth2GrantType;
import org.keycloak.representations.AccessToken;

/**
 * A grant of the pack whose tokens live only as long as the credential behind them: an API key, a tenant grant, a
 * node's association with its account. Keycloak knows nothing of these credentials, so the pack asks the grant on
 * every use of such a token: each refresh ({@link KindRefreshTokenProvider}), each bearer use (the grant's
 * {@code isTokenAllowed}) and each RFC 7662 introspection ({@link PackIntrospection}). A token of a credential that
 * was suspended, revoked or deleted is then refused everywhere, on every node, even where a session it created
 * outlived the change (a grant that raced it).
 */
public interface LiveCredentialGrant {

    /**
     * Whether the credential that {@code token} was issued for is still valid now.
     *
     * @param token       the access or refresh token being used (verified by Keycloak: signature, expiry, realm)
     * @param userSession the token's user session, or null for a token without one
     */
    boolean credentialStillValid(KeycloakSession session, RealmModel realm, AccessToken token, UserSessionModel userSession);

    /**
     * Asks the grant the token was issued under, if it is a {@link LiveCredentialGrant}: the grant type recorded in
     * the user session by the pack's grants ({@link TokenKind#NOTE_GRANT}), else the one Keycloak encodes in the
     * token's {@code jti}. Tokens of every other grant are valid as far as the pack is concerned.
     */
    static boolean stillValid(KeycloakSession session, RealmModel realm, AccessToken token, UserSessionModel userSession) {
        String grantType = userSession == null ? null : userSession.getNote(TokenKind.NOTE_GRANT);
        if (grantType == null) {
            grantType = TokenKind.grantType(session, token);
        }
        if (grantType == null) {
            return true;
        }
        OAuth2GrantType grant = session.getProvider(OAuth2GrantType.class, grantType);
        return !(grant instanceof LiveCredentialGrant live) || live.credentialStillValid(session, realm, token, userSession);
    }
}
