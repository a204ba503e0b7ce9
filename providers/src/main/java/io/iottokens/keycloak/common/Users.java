package io.iottokens.keycloak.common;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/** Users named in requests. */
public final class Users {

    private Users() {
    }

    /** The user with this id or, failing that, this username; a 404 {@code "User not found"} when there is none. */
    public static UserModel byIdOrUsername(KeycloakSession session, RealmModel realm, String idOrUsername) {
        UserModel u;
        try {
            u = session.users().getUserById(realm, idOrUsername);
        } catch (IndexOutOfBoundsException | IllegalArgumentException malformed) {
            // Keycloak parses "f:<provider>:<id>" federation ids itself and fails on a malformed one ("f:"): no such user
            throw PackException.notFound("User not found");
        }
        if (u == null) {
            u = session.users().getUserByUsername(realm, idOrUsername);
        }
        if (u == null) {
            throw PackException.notFound("User not found");
        }
        return u;
    }
}
