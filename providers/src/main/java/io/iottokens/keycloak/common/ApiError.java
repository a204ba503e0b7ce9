package io.iottokens.keycloak.common;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * An error answer in the contract's shape, {@code {"error": "...", "error_description": "..."}}, thrown from
 * REST resources. Descriptions name the offending field; they never echo a secret.
 */
public final class ApiError extends WebApplicationException {

    private static final long serialVersionUID = 1L;

    /** The JSON body. */
    public record Body(String error, String error_description) {
    }

    private ApiError(Response response) {
        super(response);
    }

    public static ApiError of(Response.Status status, String error, String description) {
        return new ApiError(Response.status(status)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .entity(new Body(error, description))
                .build());
    }

    public static ApiError badRequest(String description) {
        return of(Response.Status.BAD_REQUEST, "invalid_request", description);
    }

    public static ApiError forbidden(String description) {
        return of(Response.Status.FORBIDDEN, "access_denied", description);
    }

    public static ApiError notFound(String description) {
        return of(Response.Status.NOT_FOUND, "not_found", description);
    }

    public static ApiError conflict(String description) {
        return of(Response.Status.CONFLICT, "conflict", description);
    }

    public static ApiError tooLarge(String description) {
        return of(Response.Status.REQUEST_ENTITY_TOO_LARGE, "request_too_large", description);
    }

    /** 401 with the challenge RFC 6750 asks for. */
    public static ApiError unauthorized(String realm, String description) {
        return new ApiError(Response.status(Response.Status.UNAUTHORIZED)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"" + realm + "\"")
                .entity(new Body("invalid_token", description))
                .build());
    }
}
