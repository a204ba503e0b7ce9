package io.iottokens.keycloak.common;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.keycloak.OAuth2Constants;
import org.keycloak.OAuthErrorException;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.protocol.oidc.TokenExchangeContext;
import org.keycloak.protocol.oidc.TokenExchangeProvider;
import org.keycloak.services.CorsErrorResponseException;
import org.keycloak.services.cors.Cors;

/**
 * A token exchange of the pack (purposed, edge, tenant): {@link #exchange(TokenExchangeContext)} runs the
 * provider's {@link #exchange(Exchange)} at the {@link TokenEdge}, so a service's {@link PackException} and a lost
 * database become the token endpoint's OAuth errors; {@link Exchange} carries the request's parts and the checks
 * every exchange starts with.
 */
public abstract class PackExchangeProvider implements TokenExchangeProvider {

    protected final KeycloakSession session;

    protected PackExchangeProvider(KeycloakSession session) {
        this.session = session;
    }

    @Override
    public final Response exchange(TokenExchangeContext context) {
        return TokenEdge.call(session, context.getEvent(), context.getCors(), () -> exchange(new Exchange(context)));
    }

    /** The exchange itself: an answer, or a refusal thrown with {@link Exchange#refuse}. */
    protected abstract Response exchange(Exchange x);

    @Override
    public void close() {
    }

    /** One exchange request. */
    protected static final class Exchange {

        public final TokenExchangeContext context;
        public final RealmModel realm;
        public final ClientModel client;
        public final EventBuilder event;
        public final Cors cors;

        Exchange(TokenExchangeContext context) {
            this.context = context;
            this.realm = context.getRealm();
            this.client = context.getClient();
            this.event = context.getEvent();
            this.cors = context.getCors();
        }

        /** A refused request (400): the event records the reason, the client gets the OAuth error. */
        public CorsErrorResponseException refuse(String eventError, String oauthError, String description) {
            return OAuthRefusal.of(event, cors, eventError, oauthError, description);
        }

        /** A refused request with another status than 400 (403 for a missing grant, for instance). */
        public CorsErrorResponseException refuse(String eventError, String oauthError, String description, Response.Status status) {
            return OAuthRefusal.of(event, cors, eventError, oauthError, description, status);
        }

        public CorsErrorResponseException invalidRequest(String description) {
            return refuse(Errors.INVALID_REQUEST, OAuthErrorException.INVALID_REQUEST, description);
        }

        /** A form parameter of the request (null when absent). */
        public String param(String name) {
            return context.getFormParams().getFirst(name);
        }

        /**
         * The {@code subject_token}, required, of {@code subject_token_type} {@code expectedType} (an absent type is
         * taken as that type).
         */
        public String subjectToken(String expectedType) {
            String subjectToken = context.getParams().getSubjectToken();
            if (subjectToken == null || subjectToken.isBlank()) {
                throw invalidRequest("Missing parameter: subject_token");
            }
            String subjectType = context.getParams().getSubjectTokenType();
            if (subjectType != null && !expectedType.equals(subjectType)) {
                throw invalidRequest("subject_token_type must be " + expectedType);
            }
            return subjectToken;
        }

        /** {@link #subjectToken(String)} of an access token. */
        public String subjectAccessToken() {
            return subjectToken(OAuth2Constants.ACCESS_TOKEN_TYPE);
        }

        /** The answer: JSON, never cached, with the token endpoint's CORS headers. */
        public Response ok(Object body) {
            return cors.add(Response.ok(body, MediaType.APPLICATION_JSON_TYPE).header(HttpHeaders.CACHE_CONTROL, NoStore.VALUE));
        }
    }
}
