package io.iottokens.keycloak.apikey;

import java.util.Set;

import jakarta.ws.rs.core.Response;

import org.keycloak.OAuthErrorException;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventType;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.protocol.oidc.TokenManager;
import org.keycloak.protocol.oidc.grants.OAuth2GrantTypeBase;
import org.keycloak.representations.AccessToken;
import org.keycloak.services.CorsErrorResponseException;
import org.keycloak.services.Urls;
import org.keycloak.services.managers.AuthenticationManager;
import org.keycloak.services.managers.AuthenticationSessionManager;
import org.keycloak.services.managers.UserSessionManager;
import org.keycloak.sessions.AuthenticationSessionModel;
import org.keycloak.sessions.RootAuthenticationSessionModel;
import org.keycloak.util.TokenUtil;

import io.iottokens.keycloak.apikey.jpa.ApiKeyEntity;
import io.iottokens.keycloak.common.BearerPolicy;
import io.iottokens.keycloak.common.ClientMappers;
import io.iottokens.keycloak.common.LiveCredentialGrant;
import io.iottokens.keycloak.common.OAuthRefusal;
import io.iottokens.keycloak.common.TokenEdge;
import io.iottokens.keycloak.common.TokenKind;

/**
 * {@code grant_type=urn:iottokens:params:oauth:grant-type:api-key} with {@code api_key} and {@code api_secret}:
 * the owner's normal token response (access, refresh, ID token with {@code openid}), roles cut to the key's.
 *
 * <p>All grants of one key through one client share one user session (see {@link ApiKeySessions}): a device
 * that exchanges its key every few minutes does not leave hundreds of live sessions behind.
 *
 * <p>Every refusal of a credential is the same {@code invalid_grant} "Invalid API key or secret" (the event
 * records the real reason for administrators). Per request: one indexed lookup, one HMAC, the user from the
 * user cache, and a write of the last-used time at most once per key per resolution interval.
 *
 * <p>The key is a credential of its own: wrong secrets are counted by {@link ApiKeyThrottle} (per key and address,
 * per address, and a per-key lockout), never by Keycloak's brute-force detection, and a password lockout of the
 * owner does not stop a valid key.
 */
public final class ApiKeyGrantType extends OAuth2GrantTypeBase implements LiveCredentialGrant {

    public static final String GRANT_TYPE = TokenKind.API_KEY_GRANT;
    public static final String CLIENT_ATTRIBUTE = "iottokens.api-key.grant.enabled";
    public static final String PARAM_KEY = "api_key";
    public static final String PARAM_SECRET = "api_secret";
    public static final String EVENT_DETAIL_KEY = "api_key_id";
    public static final String AUTH_METHOD = "api_key";
    private static final String GENERIC_ERROR = "Invalid API key or secret";

    private final ApiKeyService service;
    private final ApiKeyThrottle throttle;
    private final ApiKeySessions sessions;
    private boolean issueRefreshToken = true;

    ApiKeyGrantType(ApiKeyService service, ApiKeyThrottle throttle, ApiKeySessions sessions) {
        this.service = service;
        this.throttle = throttle;
        this.sessions = sessions;
    }

    @Override
    public Response process(Context context) {
        return TokenEdge.call(context.getSession(), context.getEvent(), context.getCors(), () -> grant(context));
    }

    private Response grant(Context context) {
        setContext(context);
        event.detail(Details.AUTH_METHOD, AUTH_METHOD);

        if (!Boolean.parseBoolean(client.getAttribute(CLIENT_ATTRIBUTE))) {
            return refuse(Errors.NOT_ALLOWED, OAuthErrorException.UNAUTHORIZED_CLIENT, "Client not allowed for the API key grant");
        }
        if (!ClientMappers.has(client, ApiKeyProtocolMapper.PROVIDER_ID)) {
            return refuse(Errors.NOT_ALLOWED, OAuthErrorException.UNAUTHORIZED_CLIENT,
                    "Client not configured for the API key grant: add the mapper '" + ApiKeyProtocolMapper.PROVIDER_ID + "'");
        }
        if (client.isConsentRequired()) {
            return refuse(Errors.CONSENT_DENIED, OAuthErrorException.INVALID_CLIENT, "Client requires user consent");
        }
        String apiKey = formParams.getFirst(PARAM_KEY);
        String secret = formParams.getFirst(PARAM_SECRET);
        if (apiKey == null || apiKey.isEmpty()) {
            return refuse(Errors.INVALID_REQUEST, OAuthErrorException.INVALID_REQUEST, "Missing parameter: " + PARAM_KEY);
        }
        if (secret == null || secret.isEmpty()) {
            return refuse(Errors.INVALID_REQUEST, OAuthErrorException.INVALID_REQUEST, "Missing parameter: " + PARAM_SECRET);
        }

        long now = System.currentTimeMillis();
        String address = clientConnection.getRemoteAddr();
        String realmId = realm.getId();
        ApiKeyThrottle.Refusal early = throttle.blockedReason(realmId, address, apiKey, now);
        if (early == ApiKeyThrottle.Refusal.THROTTLED) {
            return invalidGrant(early.reason()); // saves the lookup; the decision for the others is below
        }
        ApiKeyEntity key = ApiKeySecrets.looksLikeKey(apiKey) ? service.byKey(realm, apiKey) : null;
        byte[] hashKey = service.hashKey(realm, false);
        if (key == null || hashKey == null) {
            if (hashKey != null) {
                ApiKeySecrets.hash(hashKey, secret); // same work as a known key: no timing hint
            }
            return invalidGrant(reason(throttle.wrong(realmId, address, null, now), "unknown_api_key"));
        }
        event.detail(EVENT_DETAIL_KEY, key.getId());
        event.user(key.getUserId()); // the owner sees failed attempts on their keys among their events
        if (early == ApiKeyThrottle.Refusal.KEY_LOCKED) {
            return invalidGrant(early.reason()); // looked up only so the owner's events show it
        }

        boolean current = ApiKeySecrets.matches(hashKey, secret, key.getSecretHash());
        boolean previous = !current && key.getPreviousSecretUntil() != null && key.getPreviousSecretUntil() > now
                && ApiKeySecrets.matches(hashKey, secret, key.getPreviousSecretHash());
        // Counted and judged in one atomic step per counter, so concurrent guesses cannot overrun the limits.
        if (!current && !previous) {
            return invalidGrant(reason(throttle.wrong(realmId, address, apiKey, now), "wrong_api_secret"));
        }
        ApiKeyThrottle.Refusal refused = throttle.right(realmId, address, apiKey, now);
        if (refused != null) {
            return invalidGrant(refused.reason());
        }
        ApiKeyStatus status = ApiKeyStatus.of(key, now);
        if (status != ApiKeyStatus.ACTIVE) {
            return invalidGrant("api_key_" + status.value());
        }
        UserModel user = session.users().getUserById(realm, key.getUserId());
        if (user == null) {
            return invalidGrant(Errors.USER_NOT_FOUND);
        }
        event.user(user).detail(Details.USERNAME, user.getUsername());
        if (!user.isEnabled()) {
            return invalidGrant(Errors.USER_DISABLED);
        }
        // Deliberately no look at Keycloak's brute-force state of the owner: that is the password's lockout, and
        // wrong passwords must not stop a valid key (nor do wrong secrets feed it: nothing here reports to it).
        String scope = getRequestedScopes();
        if (TokenUtil.isOfflineTokenRequested(scope)) {
            event.detail(Details.REASON, "offline_access is not available with API keys");
            event.error(Errors.INVALID_REQUEST);
            throw new CorsErrorResponseException(cors, OAuthErrorException.INVALID_SCOPE,
                    "offline_access is not available with API keys: the key itself is the long-lived credential", Response.Status.BAD_REQUEST);
        }
        if (previous) {
            event.detail("api_key_secret", "previous");
        }

        // A secret that was rotated out gets access tokens only, so nothing it obtains outlives the grace period by more than one access token.
        issueRefreshToken = current && clientConfig.isUseRefreshToken();

        ClientSessionContext reused = sessions.reuse(session, realm, key, client, user, scope, previous, now);
        if (reused != null) {
            UserSessionModel userSession = reused.getClientSession().getUserSession();
            event.session(userSession);
            service.recordUse(key, now);
            // no last look here: a reused session is one a change finds by the key and ends (and its generation is old)
            return createTokenResponse(user, userSession, reused, scope, true, null);
        }

        RootAuthenticationSessionModel rootAuthSession = new AuthenticationSessionManager(session).createAuthenticationSession(realm, false);
        AuthenticationSessionModel authSession = rootAuthSession.createAuthenticationSession(client);
        authSession.setAuthenticatedUser(user);
        authSession.setProtocol(OIDCLoginProtocol.LOGIN_PROTOCOL);
        authSession.setClientNote(OIDCLoginProtocol.ISSUER, Urls.realmIssuer(session.getContext().getUri().getBaseUri(), realm.getName()));
        authSession.setClientNote(OIDCLoginProtocol.SCOPE_PARAM, scope);

        // Always a stored session, also for a rotated-out secret or a client without refresh tokens: ending the key
        // finds every session by its note and removes it, which is what makes introspection call its tokens inactive.
        UserSessionModel userSession = new UserSessionManager(session).createUserSession(rootAuthSession.getId(), realm, user,
                user.getUsername(), address, AUTH_METHOD, false, null, null, UserSessionModel.SessionPersistenceState.PERSISTENT);
        userSession.setNote(ApiKeyService.NOTE_KEY_ID, key.getId());
        userSession.setNote(TokenKind.NOTE_GRANT, GRANT_TYPE);
        if (key.getRoles() != null) {
            userSession.setNote(ApiKeyService.NOTE_ROLES, key.getRoles());
        }
        if (previous) {
            userSession.setNote(ApiKeyService.NOTE_SECRET, ApiKeyService.SECRET_PREVIOUS); // ended when the grace is over
        }
        service.recordSession(key, userSession, now);
        sessions.remember(key, client, userSession, previous);
        event.session(userSession);

        AuthenticationManager.setClientScopesInSession(session, authSession);
        ClientSessionContext clientSessionCtx = TokenManager.attachAuthenticationSession(session, userSession, authSession);
        updateUserSessionFromClientAuth(userSession);
        service.recordUse(key, now);
        requireUnchanged(key, userSession);
        return createTokenResponse(user, userSession, clientSessionCtx, scope, true, null);
    }

    /**
     * The last look before the tokens of a new session are made (one primary-key query; the common repeat grant reuses a
     * session and skips it): if a suspend, revoke, rotation or delete of the key committed while this grant was working,
     * the grant fails and drops its session. (A change committing after this look has raised the
     * key's generation, so the session is refused on its first use and removed then: see {@link #credentialStillValid}.)
     */
    private void requireUnchanged(ApiKeyEntity key, UserSessionModel userSession) {
        if (!service.unchangedSince(key)) {
            session.sessions().removeUserSession(realm, userSession);
            invalidGrant("api_key_changed");
        }
    }

    /** The event reason of a wrong credential: the plain one when it counted, else why the throttle refused it. */
    private static String reason(ApiKeyThrottle.Refusal refusal, String counted) {
        return refusal == null ? counted : refusal.reason();
    }

    @Override
    protected boolean useRefreshToken() {
        return issueRefreshToken;
    }

    /**
     * Bearer use of this grant's access tokens (Keycloak's bearer check asks it, also for refreshed tokens, see
     * {@code KindRefreshTokenProvider}): only while the key is active, and only on the pack's own endpoints, whose
     * {@link BearerPolicy} decides. Keycloak's admin REST API, account API and other bearer endpoints refuse API-key
     * tokens, restricted or not: a key is a credential for the platform's APIs, without the second factor or the
     * session a person's sign-in has.
     */
    @Override
    public boolean isTokenAllowed(KeycloakSession session, AccessToken token) {
        RealmModel realm = session.getContext().getRealm();
        if (realm == null || token.getSessionId() == null || !BearerPolicy.atPackEndpoint(session)) {
            return false;
        }
        return credentialStillValid(session, realm, token, session.sessions().getUserSession(realm, token.getSessionId()));
    }

    /**
     * Every use of a token of a key's session (bearer, refresh, introspection): only while the key is active and the
     * session current ({@link ApiKeyService#sessionCurrent}). A session that is not (a grant raced a suspend or revoke
     * and stored it after the change ended the key's sessions) is removed here, the first time it is seen.
     */
    @Override
    public boolean credentialStillValid(KeycloakSession session, RealmModel realm, AccessToken token, UserSessionModel userSession) {
        String keyId = userSession == null ? null : userSession.getNote(ApiKeyService.NOTE_KEY_ID);
        if (keyId == null) {
            return false;
        }
        if (ApiKeyService.sessionCurrent(service.byId(realm, keyId), userSession, System.currentTimeMillis())) {
            return true;
        }
        session.sessions().removeUserSession(realm, userSession);
        return false;
    }

    /** The one answer for every refused credential; the event keeps the reason for administrators. */
    private Response invalidGrant(String reason) {
        event.detail(Details.REASON, reason);
        event.error(reason.startsWith("user_") ? reason : Errors.INVALID_USER_CREDENTIALS);
        throw new CorsErrorResponseException(cors, OAuthErrorException.INVALID_GRANT, GENERIC_ERROR, Response.Status.BAD_REQUEST);
    }

    private Response refuse(String eventError, String oauthError, String description) {
        throw OAuthRefusal.of(event, cors, eventError, oauthError, description);
    }

    @Override
    public EventType getEventType() {
        return EventType.LOGIN;
    }

    @Override
    public Set<String> getTokenParameterNames() {
        return Set.of();
    }

    @Override
    public void close() {
    }
}
