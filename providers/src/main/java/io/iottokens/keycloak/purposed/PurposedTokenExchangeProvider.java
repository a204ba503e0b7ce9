package io.iottokens.keycloak.purposed;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.core.Response;

import org.keycloak.OAuthErrorException;
import org.keycloak.common.util.Time;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.models.KeycloakSession;
import org.keycloak.protocol.oidc.TokenExchangeContext;
import org.keycloak.representations.AccessToken;
import org.keycloak.services.cors.Cors;
import org.keycloak.services.managers.AuthenticationManager;
import org.keycloak.util.JsonSerialization;
import org.keycloak.util.TokenUtil;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.iottokens.keycloak.common.JsonBody;
import io.iottokens.keycloak.common.OAuthRefusal;
import io.iottokens.keycloak.common.PackException;
import io.iottokens.keycloak.common.PackExchangeProvider;
import io.iottokens.keycloak.common.TokenKind;

/**
 * Purposed tokens from the token endpoint (RFC 8693 + RFC 9396): a confidential client exchanges a user's
 * login access token that was issued to it ({@code azp} = the client) with
 * {@code requested_token_type=}{@value #TOKEN_TYPE} and the claim object of {@code POST /purposed-tokens} as
 * {@code authorization_details=[{"type": "purposed_token", ...}]}. Same validation, store and token as
 * {@code POST /purposed-tokens}. Requests for any other token type are left to Keycloak's providers.
 *
 * <p>Naming the client in {@code aud} is not enough: a resource server's client (such as {@code iot-platform},
 * in every user token's audience, its secret shared by all resource servers) would otherwise turn every user token
 * it is shown into credentials of that user. And the subject must be a person's sign-in ({@link TokenKind#LOGIN}):
 * API-key, service-account, tenant, edge and exchanged tokens are worth no more than what they were issued for.
 */
public final class PurposedTokenExchangeProvider extends PackExchangeProvider {

    public static final String TOKEN_TYPE = "urn:iottokens:params:oauth:token-type:purposed";
    public static final String AUTHORIZATION_DETAILS = "authorization_details";
    public static final String DETAILS_TYPE = "purposed_token";
    static final String INVALID_DETAILS = "invalid_authorization_details";

    PurposedTokenExchangeProvider(KeycloakSession session) {
        super(session);
    }

    @Override
    public boolean supports(TokenExchangeContext context) {
        return TOKEN_TYPE.equals(context.getParams().getRequestedTokenType());
    }


    @Override
    protected Response exchange(Exchange x) {
        x.event.detail(Details.REQUESTED_TOKEN_TYPE, TOKEN_TYPE);

        if (x.client.isPublicClient()) {
            throw x.refuse(Errors.NOT_ALLOWED, OAuthErrorException.UNAUTHORIZED_CLIENT,
                    "Public clients cannot exchange tokens for purposed tokens");
        }
        String subjectToken = x.subjectAccessToken();
        AuthenticationManager.AuthResult auth = AuthenticationManager.verifyIdentityToken(session, x.realm, session.getContext().getUri(),
                x.context.getClientConnection(), true, true, null, false, subjectToken, x.context.getHeaders(), verifier -> {
                });
        if (auth == null || auth.getUser() == null) {
            throw x.refuse(Errors.INVALID_TOKEN, OAuthErrorException.INVALID_REQUEST, "Invalid subject_token");
        }
        AccessToken token = auth.getToken();
        x.event.user(auth.getUser()).detail(Details.USERNAME, auth.getUser().getUsername());
        if (!x.client.getClientId().equals(token.getIssuedFor())) {
            throw x.refuse(Errors.NOT_ALLOWED, OAuthErrorException.INVALID_REQUEST,
                    "subject_token was not issued to this client");
        }
        TokenKind kind = TokenKind.of(session, token, auth.getUser());
        if (kind != TokenKind.LOGIN) {
            throw x.refuse(Errors.NOT_ALLOWED, OAuthErrorException.INVALID_REQUEST,
                    "subject_token must be a person's login token, not a token of kind '" + kind.label() + "'");
        }
        if (!TokenUtil.TOKEN_TYPE_BEARER.equalsIgnoreCase(token.getType()) && !"DPoP".equalsIgnoreCase(token.getType())) {
            throw x.refuse(Errors.INVALID_TOKEN, OAuthErrorException.INVALID_REQUEST, "subject_token must be an access token");
        }

        ObjectNode claimObject = claimObject(x.context.getFormParams().getFirst(AUTHORIZATION_DETAILS), x.event, x.cors);
        PurposedRequest request;
        try {
            request = PurposedRequest.validate(session, x.realm, auth.getUser(), JsonBody.of(claimObject, PurposedRequest.FIELDS));
        } catch (PackException e) {
            boolean forbidden = e.status() == Response.Status.FORBIDDEN.getStatusCode();
            throw x.refuse(forbidden ? Errors.NOT_ALLOWED : Errors.INVALID_REQUEST,
                    forbidden ? OAuthErrorException.ACCESS_DENIED : INVALID_DETAILS, e.description(),
                    forbidden ? Response.Status.FORBIDDEN : Response.Status.BAD_REQUEST);
        }
        PurposedTokenService.Issued issued = new PurposedTokenService(session).issue(x.realm, auth.getUser(), request);
        x.event.detail("purposed_token_id", issued.entity().getId()).success();

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
        return x.ok(res);
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
        } catch (PackException e) {
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

}
