package io.iottokens.keycloak.purposed;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.keycloak.OAuth2Constants;
import org.keycloak.OAuthErrorException;
import org.keycloak.common.util.Time;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.protocol.oidc.TokenExchangeContext;
import org.keycloak.protocol.oidc.TokenExchangeProvider;
import org.keycloak.representations.AccessToken;
import org.keycloak.services.CorsErrorResponseException;
import org.keycloak.services.cors.Cors;
import org.keycloak.services.managers.AuthenticationManager;
import org.keycloak.util.JsonSerialization;
import org.keycloak.util.TokenUtil;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.iottokens.keycloak.common.ApiError;
import io.iottokens.keycloak.common.DatabaseOutage;
import io.iottokens.keycloak.common.JsonBody;
import io.iottokens.keycloak.common.OAuthRefusal;
import io.iottokens.keycloak.common.TokenKind;

/**
 * Purposed tokens from the token endpoint (RFC 8693 + RFC 9396): a confidential client exchanges a user's
 * login access token that was issued to it ({@code azp} = the client) with
 * {@code requested_token_type=}{@value #TOKEN_TYPE} and the claim object of seed 002 as
 * {@code authorization_details=[{"type": "purposed_token", ...}]}. Same validation, store and token as
 * {@code POST /purposed-tokens}. Requests for any other token type are left to Keycloak's providers.
 *
 * <p>Naming the client in {@code aud} is not enough: a resource server's client (such as {@code iot-platform},
 * in every user token's audience, its secret shared by all resource servers) would otherwise turn every user token
 * it is shown into credentials of that user. And the subject must be a person's sign-in ({@link TokenKind#LOGIN}):
 * API-key, service-account, tenant, edge and exchanged tokens are worth no more than what they were issued for.
 */
public final class PurposedTokenExchangeProvider implements TokenExchangeProvider {

    public static final String TOKEN_TYPE = "urn:iottokens:params:oauth:token-type:purposed";
    public static final String AUTHORIZATION_DETAILS = "authorization_details";
    public static final String DETAILS_TYPE = "purposed_token";
    static final String INVALID_DETAILS = "invalid_authorization_details";

    private final KeycloakSession session;

    PurposedTokenExchangeProvider(KeycloakSession session) {
        this.session = session;
    }

    @Override
    public boolean supports(TokenExchangeContext context) {
        return TOKEN_TYPE.equals(context.getParams().getRequestedTokenType());
    }

    @Override
    public Response exchange(TokenExchangeContext context) {
        return DatabaseOutage.token(context.getSession(), context.getCors(), () -> exchangeGuarded(context));
    }

    private Response exchangeGuarded(TokenExchangeContext context) {
        RealmModel realm = context.getRealm();
        ClientModel client = context.getClient();
        EventBuilder event = context.getEvent();
        Cors cors = context.getCors();
        event.detail(Details.REQUESTED_TOKEN_TYPE, TOKEN_TYPE);

        if (client.isPublicClient()) {
            throw OAuthRefusal.of(event, cors, Errors.NOT_ALLOWED, OAuthErrorException.UNAUTHORIZED_CLIENT,
                    "Public clients cannot exchange tokens for purposed tokens", Response.Status.BAD_REQUEST);
        }
        String subjectToken = context.getParams().getSubjectToken();
        if (subjectToken == null || subjectToken.isBlank()) {
            throw OAuthRefusal.of(event, cors, Errors.INVALID_REQUEST, OAuthErrorException.INVALID_REQUEST, "Missing parameter: subject_token", Response.Status.BAD_REQUEST);
        }
        String subjectType = context.getParams().getSubjectTokenType();
        if (subjectType != null && !OAuth2Constants.ACCESS_TOKEN_TYPE.equals(subjectType)) {
            throw OAuthRefusal.of(event, cors, Errors.INVALID_REQUEST, OAuthErrorException.INVALID_REQUEST,
                    "subject_token_type must be " + OAuth2Constants.ACCESS_TOKEN_TYPE, Response.Status.BAD_REQUEST);
        }
        AuthenticationManager.AuthResult auth = AuthenticationManager.verifyIdentityToken(session, realm, session.getContext().getUri(),
                context.getClientConnection(), true, true, null, false, subjectToken, context.getHeaders(), verifier -> {
                });
        if (auth == null || auth.getUser() == null) {
            throw OAuthRefusal.of(event, cors, Errors.INVALID_TOKEN, OAuthErrorException.INVALID_REQUEST, "Invalid subject_token", Response.Status.BAD_REQUEST);
        }
        AccessToken token = auth.getToken();
        event.user(auth.getUser()).detail(Details.USERNAME, auth.getUser().getUsername());
        if (!client.getClientId().equals(token.getIssuedFor())) {
            throw OAuthRefusal.of(event, cors, Errors.NOT_ALLOWED, OAuthErrorException.INVALID_REQUEST,
                    "subject_token was not issued to this client", Response.Status.BAD_REQUEST);
        }
        TokenKind kind = TokenKind.of(session, token, auth.getUser());
        if (kind != TokenKind.LOGIN) {
            throw OAuthRefusal.of(event, cors, Errors.NOT_ALLOWED, OAuthErrorException.INVALID_REQUEST,
                    "subject_token must be a person's login token, not a token of kind '" + kind.label() + "'", Response.Status.BAD_REQUEST);
        }
        if (!TokenUtil.TOKEN_TYPE_BEARER.equalsIgnoreCase(token.getType()) && !"DPoP".equalsIgnoreCase(token.getType())) {
            throw OAuthRefusal.of(event, cors, Errors.INVALID_TOKEN, OAuthErrorException.INVALID_REQUEST, "subject_token must be an access token", Response.Status.BAD_REQUEST);
        }

        ObjectNode claimObject = claimObject(context.getFormParams().getFirst(AUTHORIZATION_DETAILS), event, cors);
        PurposedRequest request;
        try {
            request = PurposedRequest.validate(session, realm, auth.getUser(), JsonBody.of(claimObject, PurposedRequest.FIELDS));
        } catch (ApiError e) {
            Response.Status status = Response.Status.fromStatusCode(e.getResponse().getStatus());
            String description = ((ApiError.Body) e.getResponse().getEntity()).error_description();
            boolean forbidden = status == Response.Status.FORBIDDEN;
            throw OAuthRefusal.of(event, cors, forbidden ? Errors.NOT_ALLOWED : Errors.INVALID_REQUEST,
                    forbidden ? OAuthErrorException.ACCESS_DENIED : INVALID_DETAILS, description,
                    forbidden ? Response.Status.FORBIDDEN : Response.Status.BAD_REQUEST);
        }
        PurposedTokenService.Issued issued = new PurposedTokenService(session).issue(realm, auth.getUser(), request);
        event.detail("purposed_token_id", issued.entity().getId()).success();

        Map<String, Object> details = new LinkedHashMap<>();
        details.put("type", DETAILS_TYPE);
        details.putAll(JsonSerialization.mapper.convertValue(claimObject, Map.class));
        details.put("id", issued.entity().getId());
        Map<String, Object> res = new LinkedHashMap<>();
        res.put("access_token", issued.token());
        res.put("issued_token_type", TOKEN_TYPE);
        res.put("token_type", TokenUtil.TOKEN_TYPE_NA);
        if (issued.jwt().getExp() != null) {
            res.put("expires_in", issued.jwt().getExp() - Time.currentTime());
        }
        res.put(AUTHORIZATION_DETAILS, List.of(details));
        return cors.add(Response.ok(res, MediaType.APPLICATION_JSON_TYPE).header("Cache-Control", "no-store"));
    }

    /** The one {@code purposed_token} entry of {@code authorization_details}, without its {@code type}. */
    private static ObjectNode claimObject(String raw, EventBuilder event, Cors cors) {
        if (raw == null || raw.isBlank()) {
            throw OAuthRefusal.of(event, cors, Errors.INVALID_REQUEST, INVALID_DETAILS,
                    "authorization_details is required: [{\"type\": \"purposed_token\", ...claim object...}]", Response.Status.BAD_REQUEST);
        }
        JsonNode parsed;
        try {
            parsed = raw.length() > 64 * 1024 ? null : JsonBody.strictTree(raw.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (ApiError e) {
            parsed = null;
        }
        if (parsed == null || !parsed.isArray() || parsed.size() != 1 || !parsed.get(0).isObject()
                || !DETAILS_TYPE.equals(parsed.get(0).path("type").asText())) {
            throw OAuthRefusal.of(event, cors, Errors.INVALID_REQUEST, INVALID_DETAILS,
                    "authorization_details must be a JSON array with exactly one object of type \"purposed_token\"", Response.Status.BAD_REQUEST);
        }
        ObjectNode object = ((ObjectNode) parsed.get(0)).deepCopy();
        object.remove("type");
        return object;
    }

    @Override
    public void close() {
    }
}
