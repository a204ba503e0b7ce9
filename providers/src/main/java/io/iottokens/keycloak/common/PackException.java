package io.iottokens.keycloak.common;

/**
 * The pack's one domain exception: a request refused for a reason the caller can act on. Services, validators and
 * body readers throw it without knowing where they were called from; the edges turn it into the answer of their
 * protocol: {@link RestEdge} into the contract's JSON {@code {"error": "...", "error_description": "..."}} with the
 * {@link #status()}, {@link TokenEdge} into the OAuth error of the token endpoint (RFC 6749 section 5.2).
 *
 * <p>Descriptions name the offending field; they never echo a secret. No stack trace is kept: a refusal is an
 * answer, not a failure.
 */
public final class PackException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String error;

    public PackException(int status, String error, String description) {
        super(description, null, false, false);
        this.status = status;
        this.error = error;
    }

    /** The HTTP status of the REST answer (400, 401, 403, 404, 409, 413, 415). */
    public int status() {
        return status;
    }

    /** The error code: the contract's {@code error} at REST edges, the OAuth error at the token endpoint. */
    public String error() {
        return error;
    }

    /** The human-readable {@code error_description}. */
    public String description() {
        return getMessage();
    }

    public static PackException badRequest(String description) {
        return new PackException(400, "invalid_request", description);
    }

    /** 401: the bearer token is missing, invalid or expired (REST edges add the RFC 6750 challenge). */
    public static PackException unauthorized(String description) {
        return new PackException(401, "invalid_token", description);
    }

    public static PackException forbidden(String description) {
        return new PackException(403, "access_denied", description);
    }

    public static PackException notFound(String description) {
        return new PackException(404, "not_found", description);
    }

    public static PackException conflict(String description) {
        return new PackException(409, "conflict", description);
    }

    public static PackException tooLarge(String description) {
        return new PackException(413, "request_too_large", description);
    }

    public static PackException unsupportedMediaType(String description) {
        return new PackException(415, "unsupported_media_type", description);
    }
}
