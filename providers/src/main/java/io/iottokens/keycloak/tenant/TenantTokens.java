package io.iottokens.keycloak.tenant;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

import org.keycloak.OAuth2Constants;
import org.keycloak.common.util.SecretGenerator;
import org.keycloak.common.util.Time;
import org.keycloak.events.Details;
import org.keycloak.events.EventBuilder;
import org.keycloak.models.AuthenticatedClientSessionModel;
import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.Constants;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.ProtocolMapperUtils;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.protocol.oidc.mappers.OIDCAccessTokenResponseMapper;
import org.keycloak.protocol.oidc.TokenManager;
import org.keycloak.protocol.oidc.encode.TokenContextEncoderProvider;
import org.keycloak.representations.AccessToken;
import org.keycloak.representations.AccessTokenResponse;
import org.keycloak.services.Urls;
import org.keycloak.services.util.DefaultClientSessionContext;
import org.keycloak.util.JsonSerialization;

import io.iottokens.keycloak.common.TokenKind;
import io.iottokens.keycloak.tenant.jpa.TenantGrantEntity;

/**
 * Issues tenant tokens: Keycloak's own token pipeline (the application's client scopes, protocol mappers and
 * token post-processors) on a transient session of the application's service account, as client_credentials
 * does and with nothing stored, then the platform audience ({@link TenantSettings#audiences}), {@code ten},
 * {@code ten_id}, the level's {@code scope} and the short tenant lifetime. Each issued token is a Keycloak event
 * with tenant and level.
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
     * minted. Unlike a login, a tenant token has no authentication to record: the session is a user session
     * with one client session, both {@code TRANSIENT} and built directly (no authentication session, no
     * device note, no lookup of a stored client session). Keycloak's pipeline runs once per minter; every
     * further token of a batch is a copy of that result with its own {@code jti}, times, tenant claims and
     * signature, so a batch pays for the mappers once.
     */
    public static final class Minter {
        private final KeycloakSession session;
        private final RealmModel realm;
        private final ClientModel app;
        private final UserModel serviceAccount;
        private final UserSessionModel userSession;
        private final ClientSessionContext ctx;
        /** The pipeline's token after post-processing, without tenant claims: the template for further tokens. */
        private AccessToken base;
        /** {@link #base} as JSON, made when a second token is asked for (a single exchange never needs it). */
        private byte[] template;
        private String responseTokenType;
        private int notBeforePolicy;
        /** Whether the application has mappers of the token response (rare): only then is each copy's response mapped. */
        private boolean responseMappers;

        public Minter(KeycloakSession session, RealmModel realm, ClientModel app, UserModel serviceAccount) {
            this.session = session;
            this.realm = realm;
            this.app = app;
            this.serviceAccount = serviceAccount;
            if (session.getContext().getClient() == null) {
                // the batch endpoint: the authenticated application is the client the mappers read from the context
                session.getContext().setClient(app);
            }
            String address = session.getContext().getConnection().getRemoteAddr();
            this.userSession = session.sessions().createUserSession(null, realm, serviceAccount, serviceAccount.getUsername(), address,
                    AUTH_METHOD, false, null, null, UserSessionModel.SessionPersistenceState.TRANSIENT);
            AuthenticatedClientSessionModel clientSession = session.sessions().createClientSession(realm, app, userSession);
            clientSession.setProtocol(OIDCLoginProtocol.LOGIN_PROTOCOL);
            clientSession.setNote(OIDCLoginProtocol.ISSUER, Urls.realmIssuer(session.getContext().getUri().getBaseUri(), realm.getName()));
            clientSession.setNote(OIDCLoginProtocol.SCOPE_PARAM, "");
            // no authentication happened: the level client_credentials records for its throw-away authentication session
            clientSession.setNote(Constants.LEVEL_OF_AUTHENTICATION, String.valueOf(Constants.NO_LOA));
            clientSession.setTimestamp(userSession.getLastSessionRefresh());
            this.ctx = DefaultClientSessionContext.fromClientSessionAndScopeParameter(clientSession, "", session);
            ctx.setAttribute(Constants.GRANT_TYPE, TokenKind.TENANT_GRANT);
        }

        public AccessTokenResponse issue(OrganizationModel tenant, TenantGrantEntity grant, List<String> scopes, EventBuilder event) {
            EventBuilder e = event.clone().user(serviceAccount).client(app)
                    .detail(Details.USERNAME, serviceAccount.getUsername())
                    .detail("tenant", tenant.getAlias()).detail("tenant_id", tenant.getId())
                    .detail("access_level", grant.getAccessLevel());
            String scope = String.join(" ", scopes);
            AccessTokenResponse res = base == null ? first(tenant, grant, scope, e) : copy(tenant, grant, scope, e);
            res.setScope(scope);
            e.detail(Details.SCOPE, scope).success();
            return res;
        }

        /**
         * A token is never older than its grant ({@link TenantGrantService#issuedNoEarlierThan}), even when the node
         * that made the grant has a clock a little ahead of this one's: else it would be refused as soon as issued.
         */
        private static void notBeforeGrant(AccessToken token, TenantGrantEntity grant) {
            long earliest = TenantGrantService.issuedNoEarlierThan(grant);
            if (token.getIat() == null || token.getIat() < earliest) {
                token.iat(earliest);
            }
        }

        /** Keycloak's whole pipeline; remembers its token (post-processed, without tenant claims) as the template. */
        private AccessTokenResponse first(OrganizationModel tenant, TenantGrantEntity grant, String scope, EventBuilder e) {
            TokenManager.AccessTokenResponseBuilder builder = new TokenManager().responseBuilder(realm, app, e, session, userSession, ctx)
                    .generateAccessToken();
            AccessToken token = builder.getAccessToken();
            token.setSessionId(null);
            TokenKind.withoutAdminRoles(token);
            // the platform's audience whatever the application's scopes give: copies of a batch inherit it
            TenantSettings.audiences(realm).forEach(token::addAudience);
            token.setScope(scope);
            token.getOtherClaims().put(CLAIM_TENANT, tenant.getAlias());
            token.getOtherClaims().put(CLAIM_TENANT_ID, tenant.getId());
            token.exp(Time.currentTime() + (long) TenantSettings.lifespan(realm));
            notBeforeGrant(token, grant);
            AccessTokenResponse res = builder.build();
            token.getOtherClaims().remove(CLAIM_TENANT);
            token.getOtherClaims().remove(CLAIM_TENANT_ID);
            base = token;
            responseTokenType = res.getTokenType();
            notBeforePolicy = res.getNotBeforePolicy();
            return res;
        }

        /** A further token of the same session: the template with a new id, times, tenant claims and signature. */
        private AccessTokenResponse copy(OrganizationModel tenant, TenantGrantEntity grant, String scope, EventBuilder e) {
            AccessToken token;
            try {
                if (template == null) {
                    template = JsonSerialization.writeValueAsBytes(base);
                    responseMappers = ProtocolMapperUtils.getSortedProtocolMappers(session, ctx,
                            m -> m.getValue() instanceof OIDCAccessTokenResponseMapper).findAny().isPresent();
                }
                token = JsonSerialization.readValue(template, AccessToken.class);
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
            TokenContextEncoderProvider encoder = session.getProvider(TokenContextEncoderProvider.class);
            token.id(encoder.encodeTokenId(encoder.getTokenContextFromClientSessionContext(ctx, SecretGenerator.getInstance().generateSecureID(), false)));
            token.issuedNow();
            token.exp(Time.currentTime() + (long) TenantSettings.lifespan(realm));
            notBeforeGrant(token, grant);
            token.setScope(scope);
            token.getOtherClaims().put(CLAIM_TENANT, tenant.getAlias());
            token.getOtherClaims().put(CLAIM_TENANT_ID, tenant.getId());
            e.detail(Details.TOKEN_ID, token.getId());
            AccessTokenResponse res = new AccessTokenResponse();
            res.setToken(session.tokens().encode(token));
            res.setTokenType(responseTokenType);
            res.setExpiresIn(token.getExp() - Time.currentTime());
            res.setNotBeforePolicy(notBeforePolicy);
            return responseMappers ? new TokenManager().transformAccessTokenResponse(session, res, userSession, ctx) : res;
        }
    }
}
