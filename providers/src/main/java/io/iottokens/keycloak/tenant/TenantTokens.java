package io.iottokens.keycloak.tenant;

import java.util.List;

import org.keycloak.OAuth2Constants;
import org.keycloak.common.util.Time;
import org.keycloak.events.Details;
import org.keycloak.events.EventBuilder;
import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.Constants;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.protocol.oidc.TokenManager;
import org.keycloak.representations.AccessToken;
import org.keycloak.representations.AccessTokenResponse;
import org.keycloak.services.Urls;
import org.keycloak.services.managers.AuthenticationManager;
import org.keycloak.services.managers.AuthenticationSessionManager;
import org.keycloak.services.managers.UserSessionManager;
import org.keycloak.sessions.AuthenticationSessionModel;
import org.keycloak.sessions.RootAuthenticationSessionModel;

import io.iottokens.keycloak.tenant.jpa.TenantGrantEntity;

/**
 * Issues one tenant token: Keycloak's own token pipeline on a transient session of the application's service
 * account (as client_credentials does, nothing is stored), then {@code ten}, {@code ten_id}, the level's
 * {@code scope} and the short tenant lifetime. Each issued token is a Keycloak event with tenant and level.
 */
public final class TenantTokens {

    public static final String CLAIM_TENANT = "ten";
    public static final String CLAIM_TENANT_ID = "ten_id";
    static final String AUTH_METHOD = "tenant_delegation";

    private TenantTokens() {
    }

    public static AccessTokenResponse issue(KeycloakSession session, RealmModel realm, ClientModel app, UserModel serviceAccount,
                                            OrganizationModel tenant, TenantGrantEntity grant, List<String> scopes, EventBuilder event) {
        return new Minter(session, realm, app, serviceAccount).issue(tenant, grant, scopes, event);
    }

    /**
     * One transient session of the application's service account, from which any number of tenant tokens are
     * minted: a batch pays for the session once.
     */
    public static final class Minter {
        private final KeycloakSession session;
        private final RealmModel realm;
        private final ClientModel app;
        private final UserModel serviceAccount;
        private final UserSessionModel userSession;
        private final ClientSessionContext ctx;

        public Minter(KeycloakSession session, RealmModel realm, ClientModel app, UserModel serviceAccount) {
            this.session = session;
            this.realm = realm;
            this.app = app;
            this.serviceAccount = serviceAccount;
            RootAuthenticationSessionModel root = new AuthenticationSessionManager(session).createAuthenticationSession(realm, false);
            AuthenticationSessionModel authSession = root.createAuthenticationSession(app);
            authSession.setAuthenticatedUser(serviceAccount);
            authSession.setProtocol(OIDCLoginProtocol.LOGIN_PROTOCOL);
            authSession.setClientNote(OIDCLoginProtocol.ISSUER, Urls.realmIssuer(session.getContext().getUri().getBaseUri(), realm.getName()));
            authSession.setClientNote(OIDCLoginProtocol.SCOPE_PARAM, "");
            String address = session.getContext().getConnection().getRemoteAddr();
            this.userSession = new UserSessionManager(session).createUserSession(root.getId(), realm, serviceAccount,
                    serviceAccount.getUsername(), address, AUTH_METHOD, false, null, null, UserSessionModel.SessionPersistenceState.TRANSIENT);
            AuthenticationManager.setClientScopesInSession(session, authSession);
            this.ctx = TokenManager.attachAuthenticationSession(session, userSession, authSession);
            ctx.setAttribute(Constants.GRANT_TYPE, OAuth2Constants.TOKEN_EXCHANGE_GRANT_TYPE);
        }

        public AccessTokenResponse issue(OrganizationModel tenant, TenantGrantEntity grant, List<String> scopes, EventBuilder event) {
            EventBuilder e = event.clone().user(serviceAccount).client(app)
                    .detail(Details.USERNAME, serviceAccount.getUsername())
                    .detail("tenant", tenant.getAlias()).detail("tenant_id", tenant.getId())
                    .detail("access_level", grant.getAccessLevel());
            TokenManager.AccessTokenResponseBuilder builder = new TokenManager().responseBuilder(realm, app, e, session, userSession, ctx)
                    .generateAccessToken();
            AccessToken token = builder.getAccessToken();
            String scope = String.join(" ", scopes);
            token.setScope(scope);
            token.getOtherClaims().put(CLAIM_TENANT, tenant.getAlias());
            token.getOtherClaims().put(CLAIM_TENANT_ID, tenant.getId());
            token.setSessionId(null);
            token.exp(Time.currentTime() + (long) TenantSettings.lifespan(realm));
            AccessTokenResponse res = builder.build();
            res.setScope(scope);
            e.detail(Details.SCOPE, scope).success();
            return res;
        }
    }
}
