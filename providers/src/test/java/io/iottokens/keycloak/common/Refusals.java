package io.iottokens.keycloak.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import jakarta.ws.rs.WebApplicationException;

import org.junit.jupiter.api.function.Executable;

/**
 * The one place where unit tests read a refusal of the pack's checks (status, contract error code, description):
 * today an {@link ApiError} carrying a JAX-RS response (built with {@link FakeJaxRs}); when the checks throw another
 * exception, only this class changes.
 */
final class Refusals {

    private Refusals() {
    }

    /** Asserts that {@code call} is refused with {@code status} and {@code error}; answers the description. */
    static String assertRefused(Executable call, int status, String error) {
        FakeJaxRs.install();
        RuntimeException e = assertThrows(RuntimeException.class, call);
        if (!(e instanceof WebApplicationException w) || !(w.getResponse().getEntity() instanceof ApiError.Body body)) {
            throw new AssertionError("not a refusal in the contract's shape", e);
        }
        assertEquals(status, w.getResponse().getStatus(), body.toString());
        assertEquals(error, body.error(), body.toString());
        return body.error_description();
    }
}
