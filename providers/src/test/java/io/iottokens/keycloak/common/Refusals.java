package io.iottokens.keycloak.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.function.Executable;

/**
 * The one place where unit tests read a refusal of the pack's checks (status, contract error code, description):
 * a {@link PackException}, which the edges turn into the answer of their protocol.
 */
final class Refusals {

    private Refusals() {
    }

    /** Asserts that {@code call} is refused with {@code status} and {@code error}; answers the description. */
    static String assertRefused(Executable call, int status, String error) {
        FakeJaxRs.install();
        PackException e = assertThrows(PackException.class, call);
        assertEquals(status, e.status(), e.error() + ": " + e.description());
        assertEquals(error, e.error(), e.description());
        return e.description();
    }
}
