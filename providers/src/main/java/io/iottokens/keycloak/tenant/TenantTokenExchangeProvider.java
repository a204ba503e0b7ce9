package io.iottokens.keycloak.tenant;

import java.util.Arrays;
import java.util.List;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.keycloak.OAuth2Constants;
import org.keycloak.OAuthErrorException;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.protocol.oidc.TokenExchangeContext;
import org.keycloak.representations.AccessToken;
import org.keycloak.representations.AccessTokenResponse;
import org.keycloak.services.managers.AuthenticationManager;

import io.iottokens.keycloak.common.PackExchangeProvider;
import io.iottokens.keycloak.common.TokenKind;
import io.iottokens.keycloak.tenant.jpa.TenantGrantEntity;

/**
 * The token for one tenant (README "Tenant delegation") as RFC 8693 token exchange: an application (confidential, service account)
 * sends its own access token as {@code subject_token} and {@code tenant} (organization id or alias). Claimed
 * only for requests that carry {@code tenant}; Keycloak's standard exchange keeps every other request.
 */
public final class TenantTokenExchangeProvider extends PackExchangeProvider {

    public static final String PARAM_TENANT = "tenant";

    private final TenantFeature feature;
    private final TenantGrantService grants;

    TenantTokenExchangeProvider(KeycloakSession session, TenantFeature feature) {
        super(session);
        this.feature = feature;
        this.grants = new TenantGrantService(session, feature);
    }

    @Override
    public boolean supports(TokenExchangeContext context) {
        return context.getFormParams().containsKey(PARAM_TENANT);
    }


    @Override
    protected Response exchange(Exchange x) {
        x.event.detail(Details.AUTH_METHOD, TenantTokens.AUTH_METHOD);

        String tenantRef = x.context.getFormParams().getFirst(PARAM_TENANT);
        x.event.detail("tenant", tenantRef);
        if (!TenantGrantService.isApplication(x.client)) {
            throw x.refuse(Errors.NOT_ALLOWED, OAuthErrorException.UNAUTHORIZED_CLIENT,
                    "Only confidential clients with a service account can ask for tenant tokens");
        }
        UserModel serviceAccount = session.users().getServiceAccount(x.client);
        if (serviceAccount == null || !serviceAccount.isEnabled()) {
            throw x.refuse(Errors.USER_DISABLED, OAuthErrorException.UNAUTHORIZED_CLIENT,
                    "The application's service account is missing or disabled");
        }
        if (tenantRef == null || tenantRef.isBlank()) {
            throw x.invalidRequest("Parameter 'tenant' is empty");
        }
        String requested = x.context.getParams().getRequestedTokenType();
        if (requested != null && !OAuth2Constants.ACCESS_TOKEN_TYPE.equals(requested)) {
            throw x.invalidRequest("requested_token_type must be " + OAuth2Constants.ACCESS_TOKEN_TYPE);
        }
        // a tenant token's audience is fixed (the application's scopes plus the platform): asking for another is refused, not ignored
        List<String> audience = x.context.getParams().getAudience();
        List<String> resource = x.context.getParams().getResource();
        if ((audience != null && !audience.isEmpty()) || (resource != null && !resource.isEmpty())) {
            throw x.refuse(Errors.INVALID_REQUEST, "invalid_target",
                    "Tenant tokens take no 'audience' or 'resource': their audience is the application's and the platform's");
        }
        String subjectToken = x.subjectAccessToken();
        AccessToken st = verifySubject(x.context, x.realm, subjectToken);
        if (st == null) {
            throw x.refuse(Errors.INVALID_TOKEN, OAuthErrorException.INVALID_REQUEST, "Invalid subject_token");
        }
        // the application's own service-account token, nothing else: a tenant token never mints the next one
        if (!x.client.getClientId().equals(st.getIssuedFor()) || !serviceAccount.getId().equals(st.getSubject())
                || TokenKind.of(session, st, serviceAccount) != TokenKind.SERVICE_ACCOUNT) {
            throw x.refuse(Errors.NOT_ALLOWED, OAuthErrorException.INVALID_REQUEST,
                    "subject_token must be this application's own service-account access token");
        }

        TenantGrantService.Granted granted = grants.granted(x.realm, x.client, tenantRef);
        if (granted == null) {
            throw x.refuse(Errors.NOT_ALLOWED, OAuthErrorException.ACCESS_DENIED,
                    "The tenant has not granted this application access", Response.Status.FORBIDDEN);
        }
        TenantGrantEntity grant = granted.grant();
        OrganizationModel tenant = granted.tenant();
        List<String> scopes = grants.scopes(x.realm, grant);
        String scopeParam = x.context.getParams().getScope();
        if (scopeParam != null && !scopeParam.isBlank()) {
            List<String> asked = Arrays.stream(scopeParam.trim().split("\\s+")).distinct().toList();
            if (!scopes.containsAll(asked)) {
                throw x.refuse(Errors.INVALID_REQUEST, OAuthErrorException.INVALID_SCOPE,
                        "The requested scope exceeds the tenant's grant (" + grant.getAccessLevel() + ")");
            }
            scopes = asked;
        }
        AccessTokenResponse res = TenantTokens.issue(session, x.realm, x.client, serviceAccount, tenant, grant, scopes, x.event);
        res.setOtherClaims(OAuth2Constants.ISSUED_TOKEN_TYPE, OAuth2Constants.ACCESS_TOKEN_TYPE);
        return x.cors.add(Response.ok(res, MediaType.APPLICATION_JSON_TYPE));
    }

    /** Stateless subject tokens by {@link StatelessTokens}; session-bound and DPoP-bound ones by Keycloak's full check. */
    private AccessToken verifySubject(TokenExchangeContext context, RealmModel realm, String subjectToken) {
        StatelessTokens.Result r = feature.tokens().verify(session, realm, subjectToken);
        if (r.stateless()) {
            return r.token();
        }
        AuthenticationManager.AuthResult full = AuthenticationManager.verifyIdentityToken(session, realm, session.getContext().getUri(),
                context.getClientConnection(), true, true, null, false, subjectToken, context.getHeaders(), verifier -> {
                });
        return full == null ? null : full.getToken();
    }

}
