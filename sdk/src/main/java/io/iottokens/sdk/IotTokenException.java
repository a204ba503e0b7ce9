package io.iottokens.sdk;

/**
 * Why a request is refused, with the HTTP status a resource server should answer: 401 for a token that is
 * missing, malformed, badly signed, expired or inactive ({@link InvalidTokenException}), 403 for a valid
 * token that lacks a scope, target, origin or tenant ({@link InsufficientScopeException}), 503 when the
 * identity provider cannot be asked ({@link UnavailableException}).
 */
public abstract class IotTokenException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int httpStatus;
    private final String oauthError;

    private IotTokenException(String message, Throwable cause, int httpStatus, String oauthError) {
        super(message, cause);
        this.httpStatus = httpStatus;
        this.oauthError = oauthError;
    }

    /** The status to answer with. */
    public int httpStatus() {
        return httpStatus;
    }

    /** The RFC 6750 error code for a {@code WWW-Authenticate} header. */
    public String oauthError() {
        return oauthError;
    }

    /** 401: the token cannot be trusted. */
    public static final class InvalidTokenException extends IotTokenException {
        private static final long serialVersionUID = 1L;

        public InvalidTokenException(String message) {
            super(message, null, 401, "invalid_token");
        }

        public InvalidTokenException(String message, Throwable cause) {
            super(message, cause, 401, "invalid_token");
        }
    }

    /** 403: the token is valid but does not allow this. */
    public static final class InsufficientScopeException extends IotTokenException {
        private static final long serialVersionUID = 1L;

        public InsufficientScopeException(String message) {
            super(message, null, 403, "insufficient_scope");
        }
    }

    /** 503: the identity provider (JWKS, introspection, token endpoint) did not answer. */
    public static final class UnavailableException extends IotTokenException {
        private static final long serialVersionUID = 1L;

        public UnavailableException(String message, Throwable cause) {
            super(message, cause, 503, "temporarily_unavailable");
        }
    }
}
