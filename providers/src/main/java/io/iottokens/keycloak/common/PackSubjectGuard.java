package io.iottokens.keycloak.common;

import jakarta.ws.rs.core.Response;

import org.keycloak.OAuthErrorException;
import org.keycloak.events.Errors;
import org.keycloak.jose.jws.JWSInput;
import org.keycloak.jose.jws.JWSInputException;
import org.keycloak.models.KeycloakSession;
import org.keycloak.protocol.oidc.TokenExchangeContext;
import org.keycloak.protocol.oidc.TokenExchangeProvider;
import org.keycloak.representations.AccessToken;

/**
 * Keeps the pack's tokens out of Keycloak's standard token exchange. Keycloak's exchange (order 10) would take an
 * API-key, tenant or edge token as {@code subject_token} (or {@code actor_token}) of any client in the token's
 * audience with the exchange enabled, and return an ordinary token without the key's role restriction, the tenant or
 * the node binding: a credential worth more than it was issued for. This provider is asked after the pack's own
 * exchanges (order 100) and before Keycloak's: it claims exactly the requests whose subject or actor token is of a
 * pack kind and refuses them; every other exchange reaches Keycloak unchanged. The token is only read, not verified:
 * a token that merely claims to be of a pack kind is refused all the same.
 */
public final class PackSubjectGuard implements TokenExchangeProvider {

    private final KeycloakSession session;

    PackSubjectGuard(KeycloakSession session) {
        this.session = session;
    }

    @Override
    public boolean supports(TokenExchangeContext context) {
        return packKind(context.getParams().getSubjectToken()) != null || packKind(context.getParams().getActorToken()) != null;
    }

    @Override
    public Response exchange(TokenExchangeContext context) {
        TokenKind kind = packKind(context.getParams().getSubjectToken());
        if (kind == null) {
            kind = packKind(context.getParams().getActorToken());
        }
        context.getEvent().detail("token_kind", kind.label());
        throw OAuthRefusal.of(context.getEvent(), context.getCors(), Errors.NOT_ALLOWED, OAuthErrorException.INVALID_REQUEST,
                "The subject or actor token is " + kind.description() + ", which cannot be exchanged: it is a credential for resource servers only",
                Response.Status.BAD_REQUEST);
    }

    /** The pack kind a token claims to be (API key, tenant, edge), or null for anything else, unparsable included. */
    private TokenKind packKind(String token) {
        if (token == null || token.isBlank() || token.length() > 16 * 1024) {
            return null;
        }
        AccessToken parsed;
        try {
            parsed = new JWSInput(token).readJsonContent(AccessToken.class);
        } catch (JWSInputException | RuntimeException e) {
            return null;
        }
        if (parsed == null) {
            return null;
        }
        TokenKind kind = TokenKind.of(session, parsed, null);
        return kind == TokenKind.API_KEY || kind == TokenKind.TENANT || kind == TokenKind.EDGE ? kind : null;
    }

    @Override
    public void close() {
    }

    /** Asked after the pack's exchanges ({@value ExchangeProviderFactory#ORDER}) and before Keycloak's (10). */
    public static final class Factory extends ExchangeProviderFactory {
        public Factory() {
            super("iottokens-pack-subject-guard", PackSubjectGuard::new);
        }

        @Override
        public int order() {
            return 50;
        }
    }
}
