package io.iottokens.keycloak.it.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The error answers of the contract, checked in one place. The pack's REST endpoints answer
 * {@code {"error": "...", "error_description": "..."}} and nothing else, with {@code Cache-Control: no-store}
 * ({@link #assertError}); the token endpoint answers OAuth errors (RFC 6749 section 5.2) in Keycloak's shape, which
 * has the same two members but no cache header of the pack's ({@link #assertOAuthError}).
 */
public final class Errors {

    private Errors() {
    }

    /** A refusal of the pack's REST API: status, error code, the contract's shape (two members, a description), no-store. */
    public static JsonNode assertError(Api.Resp r, int status, String error) {
        JsonNode j = assertOAuthError(r, status, error);
        assertEquals(Set.of("error", "error_description"), fieldNames(j), "the contract's error shape only: " + r);
        assertNoStore(r);
        return j;
    }

    /** {@link #assertError} and the description contains every one of {@code descriptionParts}. */
    public static JsonNode assertError(Api.Resp r, int status, String error, String... descriptionParts) {
        JsonNode j = assertError(r, status, error);
        assertDescription(r, descriptionParts);
        return j;
    }

    /** An OAuth error (token endpoint, introspection): status, error code, a non-blank description, no token. */
    public static JsonNode assertOAuthError(Api.Resp r, int status, String error) {
        assertEquals(status, r.status(), r.toString());
        JsonNode j = r.json();
        assertEquals(error, j.path("error").asText(null), r.toString());
        assertFalse(j.path("error_description").asText("").isBlank(), "a description: " + r);
        assertFalse(j.has("access_token"), "no token with an error: " + r);
        return j;
    }

    /** {@link #assertOAuthError} and the description contains every one of {@code descriptionParts}. */
    public static JsonNode assertOAuthError(Api.Resp r, int status, String error, String... descriptionParts) {
        JsonNode j = assertOAuthError(r, status, error);
        assertDescription(r, descriptionParts);
        return j;
    }

    /** {@link #assertOAuthError} with exactly this description (the generic ones that must not become oracles). */
    public static JsonNode assertOAuthErrorExactly(Api.Resp r, int status, String error, String description, String what) {
        assertEquals(status, r.status(), what + ": " + r);
        JsonNode j = assertOAuthError(r, status, error);
        assertEquals(description, j.get("error_description").asText(), what + " gets the generic description");
        return j;
    }

    public static void assertNoStore(Api.Resp r) {
        assertEquals("no-store", r.header("Cache-Control").orElse(""), "Cache-Control: no-store on " + r);
    }

    private static void assertDescription(Api.Resp r, String... parts) {
        String description = r.json().path("error_description").asText();
        for (String part : parts) {
            assertTrue(description.contains(part), "the description names " + part + ": " + r);
        }
    }

    private static Set<String> fieldNames(JsonNode j) {
        Set<String> names = new TreeSet<>();
        j.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
