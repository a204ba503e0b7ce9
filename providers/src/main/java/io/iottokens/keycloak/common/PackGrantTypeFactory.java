package io.iottokens.keycloak.common;

import java.util.Set;

import jakarta.ws.rs.core.Response;

import org.keycloak.OAuthErrorException;
import org.keycloak.events.Errors;
import org.keycloak.events.EventType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.oidc.grants.OAuth2GrantType;
import org.keycloak.protocol.oidc.grants.OAuth2GrantTypeBase;
import org.keycloak.protocol.oidc.grants.OAuth2GrantTypeFactory;
import org.keycloak.representations.AccessToken;
import org.keycloak.services.CorsErrorResponseException;

/**
 * A grant type that exists only to be recorded in the {@code jti} of tokens the pack mints through token
 * exchange (tenant and edge tokens), so that Keycloak's bearer-token check asks this grant whether such a token
 * may be used ({@link OAuth2GrantType#isTokenAllowed}): only on the pack's own paths ({@link BearerPolicy}).
 * Asking the token endpoint for it directly is {@code unsupported_grant_type}.
 */
public abstract class PackGrantTypeFactory implements OAuth2GrantTypeFactory, NoLifecycle<OAuth2GrantType> {

    private final String id;
    private final String shortcut;

    protected PackGrantTypeFactory(String id, String shortcut) {
        this.id = id;
        this.shortcut = shortcut;
    }

    @Override
    public String getId() {
        return id;
    }

    @Override
    public String getShortcut() {
        return shortcut;
    }

    @Override
    public OAuth2GrantType create(KeycloakSession session) {
        return new Marker();
    }

    /**
     * Whether the credential a token of this grant was issued for is still valid (asked on every bearer use, refresh and
     * introspection, see {@link LiveCredentialGrant}); by default it is.
     */
    protected boolean credentialStillValid(KeycloakSession session, RealmModel realm, AccessToken token, UserSessionModel userSession) {
        return true;
    }

    private final class Marker extends OAuth2GrantTypeBase implements LiveCredentialGrant {
        @Override
        public Response process(Context context) {
            setContext(context);
            event.detail("reason", "grant type recorded in pack tokens only");
            event.error(Errors.INVALID_REQUEST);
            throw new CorsErrorResponseException(cors, OAuthErrorException.UNSUPPORTED_GRANT_TYPE,
                    "Unsupported grant_type", Response.Status.BAD_REQUEST);
        }

        @Override
        public boolean isTokenAllowed(KeycloakSession session, AccessToken token) {
            if (!BearerPolicy.atPackEndpoint(session)) {
                return false;
            }
            RealmModel realm = session.getContext().getRealm();
            UserSessionModel userSession = token.getSessionId() == null ? null : session.sessions().getUserSession(realm, token.getSessionId());
            return credentialStillValid(session, realm, token, userSession);
        }

        @Override
        public boolean credentialStillValid(KeycloakSession session, RealmModel realm, AccessToken token, UserSessionModel userSession) {
            return PackGrantTypeFactory.this.credentialStillValid(session, realm, token, userSession);
        }

        @Override
        public EventType getEventType() {
            return EventType.TOKEN_EXCHANGE;
        }

        @Override
        public Set<String> getTokenParameterNames() {
            return Set.of();
        }

        @Override
        public void close() {
        }
    }
}
