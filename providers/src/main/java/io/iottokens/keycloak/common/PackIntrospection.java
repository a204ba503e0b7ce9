package io.iottokens.keycloak.common;

import java.util.function.Function;

import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.oidc.AccessTokenIntrospectionProvider;
import org.keycloak.protocol.oidc.RefreshTokenIntrospectionProvider;
import org.keycloak.protocol.oidc.TokenIntrospectionProvider;
import org.keycloak.protocol.oidc.TokenIntrospectionProviderFactory;
import org.keycloak.representations.AccessToken;

/**
 * Keycloak's RFC 7662 introspection of access and refresh tokens, plus one check: a token of a pack grant
 * ({@link LiveCredentialGrant}) is active only while the credential it was issued for still is. Keycloak's own
 * checks (signature, expiry, client, session, audience) run first and unchanged; tokens of Keycloak's own grants are
 * answered exactly as Keycloak answers them. The two factories take the ids of Keycloak's ({@code access_token},
 * {@code refresh_token}) with a higher {@link #order}, which is how Keycloak picks between providers of one id.
 */
public final class PackIntrospection {

    /** Above Keycloak's (0): of two factories with one id, Keycloak keeps the higher order. */
    static final int ORDER = 10;

    private PackIntrospection() {
    }

    static final class AccessTokens extends AccessTokenIntrospectionProvider<AccessToken> {
        AccessTokens(KeycloakSession session) {
            super(session);
        }

        @Override
        protected boolean introspectionChecks(String tokenStr) {
            return super.introspectionChecks(tokenStr) && stillValid(session, realm, token, userSession, eventBuilder);
        }

        /**
         * Keycloak answers with claims rebuilt from the client's mappers, which know nothing of the tenant a tenant token
         * was issued for: its {@code ten} and {@code ten_id} (signed, written only by the pack) are carried over.
         */
        @Override
        public AccessToken transformAccessToken(AccessToken token, UserSessionModel userSession) {
            AccessToken answer = super.transformAccessToken(token, userSession);
            for (String claim : TENANT_CLAIMS) {
                Object value = token.getOtherClaims().get(claim);
                if (value != null && answer != null) {
                    answer.getOtherClaims().putIfAbsent(claim, value);
                }
            }
            return answer;
        }
    }

    /** The claims of a tenant token that introspection answers as they are in the token. */
    private static final java.util.List<String> TENANT_CLAIMS = java.util.List.of(TokenKind.CLAIM_TENANT, TokenKind.CLAIM_TENANT_ID);

    static final class RefreshTokens extends RefreshTokenIntrospectionProvider {
        RefreshTokens(KeycloakSession session) {
            super(session);
        }

        @Override
        protected boolean introspectionChecks(String tokenStr) {
            return super.introspectionChecks(tokenStr) && stillValid(session, realm, token, userSession, eventBuilder);
        }
    }

    /** After Keycloak's checks passed (so token and session are set): the pack's credential check; an error event if it fails. */
    private static boolean stillValid(KeycloakSession session, RealmModel realm, AccessToken token, UserSessionModel userSession,
                                      EventBuilder event) {
        if (LiveCredentialGrant.stillValid(session, realm, token, userSession)) {
            return true;
        }
        event.detail(Details.REASON, "the credential this token was issued for is no longer valid");
        event.error(Errors.INVALID_TOKEN);
        return false;
    }

    /** {@code access_token}: the default introspection. */
    public static final class AccessTokenFactory extends Factory {
        public AccessTokenFactory() {
            super("access_token", AccessTokens::new);
        }
    }

    /** {@code refresh_token}: introspection with {@code token_type_hint=refresh_token}. */
    public static final class RefreshTokenFactory extends Factory {
        public RefreshTokenFactory() {
            super("refresh_token", RefreshTokens::new);
        }
    }

    private abstract static class Factory extends OrderedFactory<TokenIntrospectionProvider> implements TokenIntrospectionProviderFactory {
        Factory(String id, Function<KeycloakSession, TokenIntrospectionProvider> create) {
            super(id, ORDER, create);
        }
    }
}
