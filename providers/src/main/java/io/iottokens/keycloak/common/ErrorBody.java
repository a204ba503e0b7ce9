package io.iottokens.keycloak.common;

/** The JSON body of every error answer of the pack: {@code {"error": "...", "error_description": "..."}}. */
public record ErrorBody(String error, String error_description) {
}
