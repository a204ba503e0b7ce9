package io.iottokens.keycloak.common;

import java.util.function.Supplier;

import jakarta.ws.rs.core.Response;

import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.models.KeycloakSession;
import org.keycloak.services.ErrorResponseException;
import org.keycloak.services.cors.Cors;

/**
 * The edge of the pack's token-endpoint code (the API-key grant, the token exchanges, introspection): runs the work,
 * answers a {@link PackException} thrown by a service as the OAuth error (its code, its status, the event recording
 * the reason, the token endpoint's CORS headers), and a lost database with 503 {@code temporarily_unavailable}
 * ({@link DatabaseOutage}).
 */
public final class TokenEdge {

    private TokenEdge() {
    }

    /** {@code event} and {@code cors} may be null (introspection has no CORS headers of its own to add). */
    public static Response call(KeycloakSession session, EventBuilder event, Cors cors, Supplier<Response> work) {
        try {
            return DatabaseOutage.token(session, cors, work);
        } catch (PackException e) {
            Response.Status status = Response.Status.fromStatusCode(e.status());
            if (cors == null) {
                if (event != null) {
                    event.detail(Details.REASON, e.description()).error(eventError(e));
                }
                throw new ErrorResponseException(e.error(), e.description(), status);
            }
            throw OAuthRefusal.of(event, cors, eventError(e), e.error(), e.description(), status);
        }
    }

    /** The event's error for a refusal: Keycloak's own names where one fits. */
    static String eventError(PackException e) {
        return switch (e.status()) {
            case 403 -> Errors.NOT_ALLOWED;
            case 404 -> Errors.NOT_ALLOWED;
            case 401 -> Errors.INVALID_TOKEN;
            default -> Errors.INVALID_REQUEST;
        };
    }
}
