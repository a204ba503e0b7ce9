package io.iottokens.keycloak.common;

import jakarta.ws.rs.core.Response;

import org.keycloak.events.Details;
import org.keycloak.events.EventBuilder;
import org.keycloak.services.CorsErrorResponseException;
import org.keycloak.services.cors.Cors;

/** A refused token-endpoint request: the event records the reason, the client gets the OAuth error. */
public final class OAuthRefusal {

    private OAuthRefusal() {
    }

    public static CorsErrorResponseException of(EventBuilder event, Cors cors, String eventError, String oauthError,
                                                String description, Response.Status status) {
        event.detail(Details.REASON, description);
        event.error(eventError);
        return new CorsErrorResponseException(cors, oauthError, description, status);
    }

    public static CorsErrorResponseException of(EventBuilder event, Cors cors, String eventError, String oauthError, String description) {
        return of(event, cors, eventError, oauthError, description, Response.Status.BAD_REQUEST);
    }
}
