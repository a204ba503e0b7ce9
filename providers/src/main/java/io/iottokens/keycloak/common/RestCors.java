package io.iottokens.keycloak.common;

import jakarta.ws.rs.core.Response;

import org.keycloak.representations.AccessToken;
import org.keycloak.services.cors.Cors;

/**
 * CORS for the pack's realm resources (Keycloak adds it only to its own endpoints): browser apps may call
 * them from the web origins of the client their token was issued to.
 */
public final class RestCors {

    private static final String[] METHODS = {"GET", "POST", "PUT", "DELETE", "OPTIONS"};

    private RestCors() {
    }

    public static Response preflight() {
        return Cors.builder().auth().preflight().allowedMethods(METHODS).add(Response.ok());
    }

    /** Adds the headers for a request authenticated with {@code token} (403 for a foreign origin). */
    public static void allow(AccessToken token) {
        Cors.builder().auth().allowedMethods(METHODS).exposedHeaders("Location").checkAllowedOrigins(token).add();
    }
}
