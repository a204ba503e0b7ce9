package io.iottokens.keycloak.common;

import java.util.function.Supplier;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.ErrorResponseException;

/**
 * The edge of every REST resource method of the pack: runs the method's work, answers a {@link PackException} with
 * the contract's JSON ({@link ErrorBody}, {@code Cache-Control: no-store}, and for a 401 the RFC 6750 challenge),
 * and a lost database with 503 ({@link DatabaseOutage}). The answer is thrown as Keycloak's
 * {@link ErrorResponseException}, so nothing the refused request wrote is committed.
 */
public final class RestEdge {

    private RestEdge() {
    }

    public static Response call(KeycloakSession session, Supplier<Response> work) {
        try {
            return DatabaseOutage.rest(session, work);
        } catch (PackException e) {
            throw new ErrorResponseException(answer(session.getContext().getRealm(), e));
        }
    }

    /** The contract's answer to a refusal. */
    static Response answer(RealmModel realm, PackException e) {
        Response.ResponseBuilder r = Response.status(e.status())
                .type(MediaType.APPLICATION_JSON_TYPE)
                .header(HttpHeaders.CACHE_CONTROL, NoStore.VALUE)
                .entity(new ErrorBody(e.error(), e.description()));
        if (e.status() == Response.Status.UNAUTHORIZED.getStatusCode()) {
            r.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"" + (realm == null ? "" : realm.getName()) + "\"");
        }
        return r.build();
    }
}
