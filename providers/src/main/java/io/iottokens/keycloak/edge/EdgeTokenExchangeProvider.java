package io.iottokens.keycloak.edge;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.keycloak.OAuth2Constants;
import org.keycloak.OAuthErrorException;
import org.keycloak.common.util.Time;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
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
 * <p>It only takes requests from edge clients ({@link EdgeClient}: {@value EdgeClient#ENABLED_ATTRIBUTE}=true) that
 * ask with {@code subject_token_type=id_token} or send {@code node_id}; every other exchange goes to Keycloak's
 * standard providers untouched.
 */
public final class EdgeTokenExchangeProvider extends PackExchangeProvider {

    private static final Logger LOG = Logger.getLogger(EdgeTokenExchangeProvider.class);

    public static final String PARAM_NODE_ID = "node_id";
    public static final String EDGE_SCOPE_PREFIX = "edge:";
    static final String AUTH_METHOD = "edge_token_exchange";

    EdgeTokenExchangeProvider(KeycloakSession session) {
        super(session);
    }

    /**
     * Edge-shaped requests (an ID token or a {@code node_id}) of edge clients. A client whose edge attribute is
     * malformed gets its edge-shaped requests too, so that {@link #exchange} can say what is wrong instead of
     * Keycloak's standard exchange answering something unrelated.
     */
    @Override
    public boolean supports(TokenExchangeContext context) {
        boolean edgeShaped = OAuth2Constants.ID_TOKEN_TYPE.equals(context.getParams().getSubjectTokenType())
                || context.getFormParams().containsKey(PARAM_NODE_ID);
        if (!edgeShaped) {
            return false;
        }
        try {
            return EdgeClient.of(context.getClient()).enabled();
        } catch (IllegalArgumentException e) {
            return true;
        }
    }

    /** The developer behind the ID token: the token, its user, and the client it was issued to. */
    private record Developer(IDToken idToken, UserModel user, ClientModel idTokenClient) {
    }

    /** The node as the exchange found it: its row (null when unknown) and the thumbprint its tokens are bound to. */
    private record Node(String id, DeviceEntity device, String boundJkt) {
    }

    @Override
    protected Response exchange(Exchange x) {
        x.event.detail(Details.AUTH_METHOD, AUTH_METHOD);
        EdgeClient edgeClient = edgeClient(x);
        String nodeId = nodeId(x);
        requireEdgeRequest(x);
        String issuer = Urls.realmIssuer(session.getContext().getUri().getBaseUri(), x.realm.getName());
        Developer developer = developer(x, x.subjectToken(OAuth2Constants.ID_TOKEN_TYPE), issuer, edgeClient);
        DeviceService devices = new DeviceService(session);
        Node node = node(x, devices, nodeId, issuer);
        String scope = requestedScope(x);
        return issue(x, devices, developer, node, scope, issuer);
    }

    /** The client's edge settings; a malformed attribute is the operator's to fix, and the client is told which. */
    private static EdgeClient edgeClient(Exchange x) {
        try {
            return EdgeClient.of(x.client);
        } catch (IllegalArgumentException e) {
            LOG.warn(e.getMessage());
            throw x.refuse(Errors.NOT_ALLOWED, OAuthErrorException.UNAUTHORIZED_CLIENT, e.getMessage());
        }
    }

    /** {@code node_id}, required and a valid device id: the token names the node, and the registry keys it by that id. */
    private static String nodeId(Exchange x) {
        String nodeId = x.param(PARAM_NODE_ID);
        if (nodeId == null || nodeId.isBlank()) {
            throw x.invalidRequest("Missing parameter: node_id");
        }
        if (!DeviceService.DEVICE_ID.matcher(nodeId).matches()) {
            throw x.invalidRequest("Parameter node_id must be 1 to 255 letters, digits or . _ : -");
        }
        x.event.detail(PARAM_NODE_ID, nodeId);
        return nodeId;
    }

    /**
     * The request's shape: an ID token in, an access token out, no audience (edge tokens are for the edge scopes'
     * resource servers only), and a client with the edge mapper (without it the token would carry neither
     * {@code node_id} nor the key binding).
     */
    private static void requireEdgeRequest(Exchange x) {
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
    }

    /**
     * The developer's ID token, checked as Keycloak checks its own tokens and more: signature, type, issuer, an
     * allowed client as audience, time, revocation (realm, client and user not-before), the user (exists, enabled,
     * not locked out) and the sign-in it came from ({@link #signedIn}). An ID token is not meant as a credential, so
     * nothing about it is taken on trust; every refusal gets the same answer ({@link #invalidSubject}).
     */
    private Developer developer(Exchange x, String subjectToken, String issuer, EdgeClient edgeClient) {
        IDToken idToken = session.tokens().decode(subjectToken, IDToken.class);
        if (idToken == null) {
            throw invalidSubject(x, "signature");
        }
        if (!TokenUtil.TOKEN_TYPE_ID.equals(idToken.getType())) {
            throw invalidSubject(x, "not_an_id_token");
        }
        if (!issuer.equals(idToken.getIssuer())) {
            throw invalidSubject(x, "issuer");
        }
        Set<String> allowedClients = edgeClient.idTokenClients();
        boolean audienceOk = idToken.getAudience() != null && Arrays.stream(idToken.getAudience()).anyMatch(allowedClients::contains)
                && (idToken.getIssuedFor() == null || allowedClients.contains(idToken.getIssuedFor()));
        if (!audienceOk) {
            throw invalidSubject(x, "audience");
        }
        if (!idToken.isActive(0)) {
            throw invalidSubject(x, "expired");
        }
        ClientModel idTokenClient = x.realm.getClientByClientId(idToken.getIssuedFor() != null ? idToken.getIssuedFor() : idToken.getAudience()[0]);
        long iat = idToken.getIat() == null ? 0 : idToken.getIat();
        if (idTokenClient == null || !idTokenClient.isEnabled() || iat < x.realm.getNotBefore() || iat < idTokenClient.getNotBefore()) {
            throw invalidSubject(x, "revoked");
        }
        UserModel user = activeUser(x, idToken);
        if (iat < session.users().getNotBeforeOfUser(x.realm, user)) {
            throw invalidSubject(x, "revoked");
        }
        if (!signedIn(x.realm, idToken, user, idTokenClient)) {
            throw invalidSubject(x, "session");
        }
        return new Developer(idToken, user, idTokenClient);
    }

    /** The ID token's user, if it exists, is enabled and is not locked out by brute-force protection. */
    private UserModel activeUser(Exchange x, IDToken idToken) {
        UserModel user = idToken.getSubject() == null ? null : session.users().getUserById(x.realm, idToken.getSubject());
        if (user == null) {
            throw invalidSubject(x, Errors.USER_NOT_FOUND);
        }
        x.event.user(user).detail(Details.USERNAME, user.getUsername());
        if (!user.isEnabled()) {
            throw invalidSubject(x, Errors.USER_DISABLED);
        }
        if (x.realm.isBruteForceProtected()) {
            BruteForceProtector protector = session.getProvider(BruteForceProtector.class);
            if (protector.isPermanentlyLockedOut(session, x.realm, user) || protector.isTemporarilyDisabled(session, x.realm, user)) {
                throw invalidSubject(x, Errors.USER_TEMPORARILY_DISABLED);
            }
        }
        return user;
    }

    /**
     * The node's proof. A node with a registered key must show an actor token signed by it ({@link ActorTokens}), once
     * per {@code jti}, and a DPoP proof, if sent, must be signed by that key too: otherwise a developer could get a
     * token bound to a node they do not hold. A node without a key takes no actor token (one would prove nothing).
     */
    private Node node(Exchange x, DeviceService devices, String nodeId, String issuer) {
        DeviceEntity device = devices.byDeviceId(x.realm, nodeId);
        DeviceKeys.DeviceKey key = device == null ? null : devices.key(device);
        String actorToken = x.context.getParams().getActorToken();
        boolean hasActorToken = actorToken != null && !actorToken.isBlank();
        if (key == null) {
            if (hasActorToken) {
                throw x.invalidRequest("This node has no registered key: register it (POST /devices/{id}/key) or send no actor_token");
            }
            return new Node(nodeId, device, null);
        }
        if (!hasActorToken) {
            throw x.refuse("actor_token_missing", OAuthErrorException.INVALID_REQUEST,
                    "This node has a registered key: an actor_token signed by it is required");
        }
        if (x.context.getParams().getActorTokenType() != null
                && !OAuth2Constants.JWT_TOKEN_TYPE.equals(x.context.getParams().getActorTokenType())) {
            throw x.invalidRequest("actor_token_type must be " + OAuth2Constants.JWT_TOKEN_TYPE);
        }
        useActorTokenOnce(x, actorToken, key, nodeId, issuer);
        String jkt = key.thumbprint();
        DPoP dpop = session.getAttribute(DPoPUtil.DPOP_SESSION_ATTRIBUTE, DPoP.class);
        if (dpop != null && !jkt.equals(dpop.getThumbprint())) {
            throw x.invalidRequest("The DPoP proof must be signed by the node's registered key");
        }
        return new Node(nodeId, device, jkt);
    }

    /**
     * Verifies the actor token and spends its {@code jti} (cluster-wide single-use store, kept until shortly after
     * the token expires): a captured actor token cannot be replayed for another edge token.
     */
    private void useActorTokenOnce(Exchange x, String actorToken, DeviceKeys.DeviceKey key, String nodeId, String issuer) {
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
    }

    /**
     * The scopes: the client's edge scopes unless the request narrows them, each one the client knows (an unknown one
     * is refused rather than dropped, so a typo is seen), and never {@code offline_access}: an edge token must die
     * with its session when the node is let go.
     */
    private static String requestedScope(Exchange x) {
        String scope = scope(x.client, x.context.getParams().getScope());
        Set<String> known = new LinkedHashSet<>(x.client.getClientScopes(true).keySet());
        known.addAll(x.client.getClientScopes(false).keySet());
        known.add(OAuth2Constants.SCOPE_OPENID);
        String unknown = Arrays.stream(scope.split(" ")).filter(s -> !known.contains(s)).findFirst().orElse(null);
        if (unknown != null) {
            throw x.refuse(Errors.INVALID_REQUEST, OAuthErrorException.INVALID_SCOPE,
                    "Unknown scope for this client: " + (unknown.length() > 60 ? unknown.substring(0, 60) + "..." : unknown));
        }
        if (TokenUtil.isOfflineTokenRequested(scope)) {
            throw x.refuse(Errors.INVALID_REQUEST, OAuthErrorException.INVALID_SCOPE,
                    "offline_access is not available for edge tokens");
        }
        return scope;
    }

    /**
     * Issues the token in a user session of its own: {@code node_id}, the key binding and the node's release count live
     * in its notes (the mapper and the grant type read them), so the developer's sign-in and the node's token can end
     * independently, and letting the node go can end exactly this session.
     */
    private Response issue(Exchange x, DeviceService devices, Developer developer, Node node, String scope, String issuer) {
        UserModel user = developer.user();
        RootAuthenticationSessionModel root = new AuthenticationSessionManager(session).createAuthenticationSession(x.realm, false);
        AuthenticationSessionModel authSession = root.createAuthenticationSession(x.client);
        authSession.setAuthenticatedUser(user);
        authSession.setProtocol(OIDCLoginProtocol.LOGIN_PROTOCOL);
        authSession.setClientNote(OIDCLoginProtocol.ISSUER, issuer);
        authSession.setClientNote(OIDCLoginProtocol.SCOPE_PARAM, scope);
        String address = x.context.getClientConnection().getRemoteAddr();
        UserSessionModel userSession = new UserSessionManager(session).createUserSession(root.getId(), x.realm, user,
                user.getUsername(), address, AUTH_METHOD, false, null, null, UserSessionModel.SessionPersistenceState.PERSISTENT);
        userSession.setNote(EdgeProtocolMapper.NOTE_NODE_ID, node.id());
        userSession.setNote(TokenKind.NOTE_GRANT, TokenKind.EDGE_GRANT);
        // under the node's row lock until this exchange commits: a release either comes first (and is counted here)
        // or waits for this session and ends it
        EdgeSessions.note(userSession, devices.releasesLocked(node.device()));
        if (node.boundJkt() != null) {
            userSession.setNote(EdgeProtocolMapper.NOTE_JKT, node.boundJkt());
            x.event.detail("node_key_thumbprint", node.boundJkt());
        }
        x.event.session(userSession);
        AuthenticationManager.setClientScopesInSession(session, authSession);
        ClientSessionContext clientSessionCtx = TokenManager.attachAuthenticationSession(session, userSession, authSession);
        clientSessionCtx.setAttribute(Constants.GRANT_TYPE, TokenKind.EDGE_GRANT);
        clientSessionCtx.getClientSession().setNote(Constants.TOKEN_EXCHANGE_SUBJECT_CLIENT + developer.idTokenClient().getClientId(),
                developer.idToken().getId());

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
    private static CorsErrorResponseException invalidSubject(Exchange x, String reason) {
        x.event.detail(Details.REASON, "subject_token: " + reason);
        x.event.error(reason.startsWith("user_") ? reason : Errors.INVALID_TOKEN);
        return new CorsErrorResponseException(x.cors, OAuthErrorException.INVALID_GRANT,
                "subject_token is not a valid, current ID token of this realm for an allowed client", Response.Status.BAD_REQUEST);
    }

}
