package io.iottokens.keycloak.common;

import org.keycloak.models.KeycloakSession;
import org.keycloak.services.managers.AppAuthManager;
import org.keycloak.services.managers.AuthenticationManager.AuthResult;

/** The caller of a realm REST resource: a valid bearer access token of this realm, or a 401. Endpoints use {@link BearerPolicy}. */
public final class BearerAuth {

    private BearerAuth() {
    }

    public static AuthResult require(KeycloakSession session) {
        String realm = session.getContext().getRealm().getName();
        String header = session.getContext().getRequestHeaders().getHeaderString("Authorization");
        if (header == null || header.isBlank()) {
            throw PackException.unauthorized("A bearer access token is required");
        }
        AuthResult auth;
        try {
            auth = new AppAuthManager.BearerTokenAuthenticator(session).authenticate();
        } catch (RuntimeException e) {
            // malformed headers and tokens surface as framework exceptions; they are the client's fault
            auth = null;
        }
        if (auth == null || auth.getUser() == null) {
            throw PackException.unauthorized("The bearer token is missing, invalid or expired");
        }
        return auth;
    }
}
