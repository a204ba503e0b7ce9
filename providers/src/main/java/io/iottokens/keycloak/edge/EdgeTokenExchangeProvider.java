package io.iottokens.keycloak.edge;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.keycloak.OAuth2Constants;
import org.keycloak.OAuthErrorException;
import org.keycloak.common.util.Time;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientScopeModel;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.Constants;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.oidc.OIDCAdvancedConfigWrapper;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.protocol.oidc.TokenExchangeContext;
import org.keycloak.protocol.oidc.TokenManager;
import org.keycloak.representations.AccessTokenResponse;
import org.keycloak.representations.IDToken;
import org.keycloak.representations.dpop.DPoP;
import org.keycloak.services.CorsErrorResponseException;
import org.keycloak.services.Urls;
import org.keycloak.services.cors.Cors;
import org.keycloak.services.managers.AuthenticationManager;
import org.keycloak.services.managers.AuthenticationSessionManager;
import org.keycloak.services.managers.BruteForceProtector;
import org.keycloak.services.managers.UserSessionManager;
import org.keycloak.services.util.DPoPUtil;
import org.keycloak.sessions.AuthenticationSessionModel;
import org.keycloak.sessions.RootAuthenticationSessionModel;
import org.keycloak.util.TokenUtil;

import io.iottokens.keycloak.common.ClientMappers;
import io.iottokens.keycloak.common.PackExchangeProvider;
import io.iottokens.keycloak.common.TokenKind;
import io.iottokens.keycloak.device.DeviceKeys;
import io.iottokens.keycloak.device.DeviceService;
import io.iottokens.keycloak.device.jpa.DeviceEntity;

/**
 * mimik's {@code get-edge-access-token} as RFC 8693 token exchange: the developer's ID token (issued by this
 * realm to {@code developer-console}) plus {@code node_id}, asked for by an edge client ({@code edge-cli}),
 * gives an access token for the developer with {@code node_id} and the edge scopes. When the node has a
 * registered key, an {@code actor_token} signed by it is required (once per {@code jti}) and the token is
 * bound to that key (see {@link EdgeProtocolMapper}).
 *
 * <p>The ID token's session ({@code sid}) must still be signed in: an ID token of a developer who has logged out
 * is refused like any other invalid subject token.
 *
 * <p>It only takes requests from clients with {@value #CLIENT_ATTRIBUTE}=true that ask with
 * {@code subject_token_type=id_token} or send {@code node_id}; every other exchange goes to Keycloak's
 * standard providers untouched.
 */
public final class EdgeTokenExchangeProvider extends PackExchangeProvider {

    public static final String CLIENT_ATTRIBUTE = "iottokens.edge.enabled";
    /** Client attribute: the clients whose ID tokens may be exchanged (space separated; default developer-console). */
    public static final String ID_TOKEN_CLIENTS_ATTRIBUTE = "iottokens.edge.id-token-clients";
    public static final String DEFAULT_ID_TOKEN_CLIENT = "developer-console";
    public static final String PARAM_NODE_ID = "node_id";
    public static final String EDGE_SCOPE_PREFIX = "edge:";
    static final String AUTH_METHOD = "edge_token_exchange";

    EdgeTokenExchangeProvider(KeycloakSession session) {
        super(session);
    }

    @Override
    public boolean supports(TokenExchangeContext context) {
        if (!Boolean.parseBoolean(context.getClient().getAttribute(CLIENT_ATTRIBUTE))) {
            return false;
        }
        return OAuth2Constants.ID_TOKEN_TYPE.equals(context.getParams().getSubjectTokenType())
                || context.getFormParams().containsKey(PARAM_NODE_ID);
    }


    @Override
    protected Response exchange(Exchange x) {
        x.event.detail(Details.AUTH_METHOD, AUTH_METHOD);

        String nodeId = x.context.getFormParams().getFirst(PARAM_NODE_ID);
        if (nodeId == null || nodeId.isBlank()) {
            throw x.invalidRequest("Missing parameter: node_id");
        }
        if (!DeviceService.DEVICE_ID.matcher(nodeId).matches()) {
            throw x.invalidRequest("Parameter node_id must be 1 to 255 letters, digits or . _ : -");
        }
        x.event.detail(PARAM_NODE_ID, nodeId);
        if (!OAuth2Constants.ID_TOKEN_TYPE.equals(x.context.getParams().getSubjectTokenType())) {
            throw x.invalidRequest("Edge tokens are exchanged for an ID token: subject_token_type must be " + OAuth2Constants.ID_TOKEN_TYPE);
        }
        String requested = x.context.getParams().getRequestedTokenType();
        if (requested != null && !OAuth2Constants.ACCESS_TOKEN_TYPE.equals(requested)) {
            throw x.invalidRequest("requested_token_type must be " + OAuth2Constants.ACCESS_TOKEN_TYPE);
        }
        if (x.context.getParams().getAudience() != null && !x.context.getParams().getAudience().isEmpty()) {
            throw x.invalidRequest("Parameter audience is not supported for edge tokens");
        }
        if (!ClientMappers.has(x.client, EdgeProtocolMapper.PROVIDER_ID)) {
            throw x.refuse(Errors.NOT_ALLOWED, OAuthErrorException.UNAUTHORIZED_CLIENT,
                    "Client not configured for edge tokens: add the mapper '" + EdgeProtocolMapper.PROVIDER_ID + "'");
        }
        String subjectToken = x.context.getParams().getSubjectToken();
        if (subjectToken == null || subjectToken.isBlank()) {
            throw x.invalidRequest("Missing parameter: subject_token");
        }

        // --- the developer's ID token: signature, type, issuer, audience, time, revocation, user, session ---
        String issuer = Urls.realmIssuer(session.getContext().getUri().getBaseUri(), x.realm.getName());
        IDToken idToken = session.tokens().decode(subjectToken, IDToken.class);
        if (idToken == null) {
            throw invalidSubject(x.event, x.cors, "signature");
        }
        if (!TokenUtil.TOKEN_TYPE_ID.equals(idToken.getType())) {
            throw invalidSubject(x.event, x.cors, "not_an_id_token");
        }
        if (!issuer.equals(idToken.getIssuer())) {
            throw invalidSubject(x.event, x.cors, "issuer");
        }
        Set<String> allowedClients = allowedIdTokenClients(x.client);
        boolean audienceOk = idToken.getAudience() != null && Arrays.stream(idToken.getAudience()).anyMatch(allowedClients::contains)
                && (idToken.getIssuedFor() == null || allowedClients.contains(idToken.getIssuedFor()));
        if (!audienceOk) {
            throw invalidSubject(x.event, x.cors, "audience");
        }
        if (!idToken.isActive(0)) {
            throw invalidSubject(x.event, x.cors, "expired");
        }
        ClientModel idTokenClient = x.realm.getClientByClientId(idToken.getIssuedFor() != null ? idToken.getIssuedFor() : idToken.getAudience()[0]);
        long iat = idToken.getIat() == null ? 0 : idToken.getIat();
        if (idTokenClient == null || !idTokenClient.isEnabled() || iat < x.realm.getNotBefore() || iat < idTokenClient.getNotBefore()) {
            throw invalidSubject(x.event, x.cors, "revoked");
        }
        UserModel user = idToken.getSubject() == null ? null : session.users().getUserById(x.realm, idToken.getSubject());
        if (user == null) {
            throw invalidSubject(x.event, x.cors, Errors.USER_NOT_FOUND);
        }
        x.event.user(user).detail(Details.USERNAME, user.getUsername());
        if (!user.isEnabled()) {
            throw invalidSubject(x.event, x.cors, Errors.USER_DISABLED);
        }
        if (x.realm.isBruteForceProtected()) {
            BruteForceProtector protector = session.getProvider(BruteForceProtector.class);
            if (protector.isPermanentlyLockedOut(session, x.realm, user) || protector.isTemporarilyDisabled(session, x.realm, user)) {
                throw invalidSubject(x.event, x.cors, Errors.USER_TEMPORARILY_DISABLED);
            }
        }
        if (iat < session.users().getNotBeforeOfUser(x.realm, user)) {
            throw invalidSubject(x.event, x.cors, "revoked");
        }
        if (!signedIn(x.realm, idToken, user, idTokenClient)) {
            throw invalidSubject(x.event, x.cors, "session");
        }

        // --- the node: a registered key demands an actor token signed with it ---
        DeviceService devices = new DeviceService(session);
        DeviceEntity device = devices.byDeviceId(x.realm, nodeId);
        DeviceKeys.DeviceKey key = device == null ? null : devices.key(device);
        String actorToken = x.context.getParams().getActorToken();
        String jkt = null;
        if (key != null) {
            if (actorToken == null || actorToken.isBlank()) {
                throw x.refuse("actor_token_missing", OAuthErrorException.INVALID_REQUEST,
                        "This node has a registered key: an actor_token signed by it is required");
            }
            if (x.context.getParams().getActorTokenType() != null
                    && !OAuth2Constants.JWT_TOKEN_TYPE.equals(x.context.getParams().getActorTokenType())) {
                throw x.invalidRequest("actor_token_type must be " + OAuth2Constants.JWT_TOKEN_TYPE);
            }
            long now = Time.currentTime();
            ActorTokens.Actor actor;
            try {
                actor = ActorTokens.verify(actorToken, key, nodeId, issuer, now);
            } catch (IllegalArgumentException e) {
                throw x.refuse(Errors.INVALID_TOKEN, OAuthErrorException.INVALID_GRANT, e.getMessage());
            }
            if (!session.singleUseObjects().putIfAbsent("iottokens.actor." + x.realm.getId() + "." + nodeId + "." + actor.jti(),
                    Math.max(1, actor.exp() - now + 5))) {
                throw x.refuse("actor_token_replayed", OAuthErrorException.INVALID_GRANT, "actor_token has been used already");
            }
            jkt = key.thumbprint();
            DPoP dpop = session.getAttribute(DPoPUtil.DPOP_SESSION_ATTRIBUTE, DPoP.class);
            if (dpop != null && !jkt.equals(dpop.getThumbprint())) {
                throw x.invalidRequest("The DPoP proof must be signed by the node's registered key");
            }
        } else if (actorToken != null && !actorToken.isBlank()) {
            throw x.invalidRequest("This node has no registered key: register it (POST /devices/{id}/key) or send no actor_token");
        }

        // --- scopes: the x.client's edge scopes unless the request narrows them; no offline tokens ---
        String scope = scope(x.client, x.context.getParams().getScope());
        Set<String> known = new LinkedHashSet<>(x.client.getClientScopes(true).keySet());
        known.addAll(x.client.getClientScopes(false).keySet());
        known.add(OAuth2Constants.SCOPE_OPENID);
        String unknown = Arrays.stream(scope.split(" ")).filter(s -> !known.contains(s)).findFirst().orElse(null);
        if (unknown != null) {
            throw x.refuse(Errors.INVALID_REQUEST, OAuthErrorException.INVALID_SCOPE,
                    "Unknown scope for this x.client: " + (unknown.length() > 60 ? unknown.substring(0, 60) + "..." : unknown));
        }
        if (TokenUtil.isOfflineTokenRequested(scope)) {
            throw x.refuse(Errors.INVALID_REQUEST, OAuthErrorException.INVALID_SCOPE,
                    "offline_access is not available for edge tokens");
        }

        // --- a session of its own for the node: node_id and key binding live in its notes ---
        RootAuthenticationSessionModel root = new AuthenticationSessionManager(session).createAuthenticationSession(x.realm, false);
        AuthenticationSessionModel authSession = root.createAuthenticationSession(x.client);
        authSession.setAuthenticatedUser(user);
        authSession.setProtocol(OIDCLoginProtocol.LOGIN_PROTOCOL);
        authSession.setClientNote(OIDCLoginProtocol.ISSUER, issuer);
        authSession.setClientNote(OIDCLoginProtocol.SCOPE_PARAM, scope);
        String address = x.context.getClientConnection().getRemoteAddr();
        UserSessionModel userSession = new UserSessionManager(session).createUserSession(root.getId(), x.realm, user,
                user.getUsername(), address, AUTH_METHOD, false, null, null, UserSessionModel.SessionPersistenceState.PERSISTENT);
        userSession.setNote(EdgeProtocolMapper.NOTE_NODE_ID, nodeId);
        userSession.setNote(TokenKind.NOTE_GRANT, TokenKind.EDGE_GRANT);
        // under the node's row lock until this exchange commits: a release either comes first (and is counted here)
        // or waits for this session and ends it
        EdgeSessions.note(userSession, devices.releasesLocked(device));
        if (jkt != null) {
            userSession.setNote(EdgeProtocolMapper.NOTE_JKT, jkt);
            x.event.detail("node_key_thumbprint", jkt);
        }
        x.event.session(userSession);
        AuthenticationManager.setClientScopesInSession(session, authSession);
        ClientSessionContext clientSessionCtx = TokenManager.attachAuthenticationSession(session, userSession, authSession);
        clientSessionCtx.setAttribute(Constants.GRANT_TYPE, TokenKind.EDGE_GRANT);
        clientSessionCtx.getClientSession().setNote(Constants.TOKEN_EXCHANGE_SUBJECT_CLIENT + idTokenClient.getClientId(), idToken.getId());

        TokenManager tokenManager = (TokenManager) x.context.getTokenManager();
        TokenManager.AccessTokenResponseBuilder builder = tokenManager
                .responseBuilder(x.realm, x.client, x.event, session, userSession, clientSessionCtx)
                .generateAccessToken();
        if (OIDCAdvancedConfigWrapper.fromClientModel(x.client).isUseRefreshToken()) {
            builder.generateRefreshToken();
        }
        AccessTokenResponse res = builder.build();
        res.setOtherClaims(OAuth2Constants.ISSUED_TOKEN_TYPE, OAuth2Constants.ACCESS_TOKEN_TYPE);
        x.event.success();
        return x.cors.add(Response.ok(res, MediaType.APPLICATION_JSON_TYPE));
    }

    /**
     * Whether the developer is still signed in where the ID token comes from: its {@code sid} names a user session of
     * this realm that exists (logging out removes it), belongs to the token's subject, is signed in and within the
     * realm's idle and maximum lifespans, and still holds a client session of the ID token's client (a logout of
     * that client removes it). An ID token outlives its session; a new 24 h edge session must not.
     */
    private boolean signedIn(RealmModel realm, IDToken idToken, UserModel user, ClientModel idTokenClient) {
        String sid = idToken.getSessionId();
        UserSessionModel developerSession = sid == null ? null : session.sessions().getUserSession(realm, sid);
        return developerSession != null
                && developerSession.getState() == UserSessionModel.State.LOGGED_IN
                && developerSession.getUser() != null && user.getId().equals(developerSession.getUser().getId())
                && AuthenticationManager.isSessionValid(realm, developerSession)
                && developerSession.getAuthenticatedClientSessionByClient(idTokenClient.getId()) != null;
    }

    private static Set<String> allowedIdTokenClients(ClientModel client) {
        String configured = client.getAttribute(ID_TOKEN_CLIENTS_ATTRIBUTE);
        if (configured == null || configured.isBlank()) {
            return Set.of(DEFAULT_ID_TOKEN_CLIENT);
        }
        return Arrays.stream(configured.trim().split("[\\s,]+")).collect(Collectors.toSet());
    }

    /** "openid" plus the requested scopes, or plus every {@code edge:*} scope of the client when none are asked for. */
    static String scope(ClientModel client, String requested) {
        Set<String> scopes = new LinkedHashSet<>();
        scopes.add(OAuth2Constants.SCOPE_OPENID);
        if (requested == null || requested.isBlank()) {
            client.getClientScopes(false).values().stream()
                    .map(ClientScopeModel::getName)
                    .filter(n -> n.startsWith(EDGE_SCOPE_PREFIX))
                    .sorted()
                    .forEach(scopes::add);
        } else {
            scopes.addAll(Arrays.asList(requested.trim().split("\\s+")));
        }
        return String.join(" ", scopes);
    }

    /** Every refusal of the subject token gets the same answer; the event keeps the reason. */
    private static CorsErrorResponseException invalidSubject(EventBuilder event, Cors cors, String reason) {
        event.detail(Details.REASON, "subject_token: " + reason);
        event.error(reason.startsWith("user_") ? reason : Errors.INVALID_TOKEN);
        return new CorsErrorResponseException(cors, OAuthErrorException.INVALID_GRANT,
                "subject_token is not a valid, current ID token of this realm for an allowed client", Response.Status.BAD_REQUEST);
    }

}
