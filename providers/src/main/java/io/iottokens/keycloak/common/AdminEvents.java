package io.iottokens.keycloak.common;

import java.util.Map;

import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.managers.AuthenticationManager.AuthResult;
import org.keycloak.services.resources.admin.AdminAuth;
import org.keycloak.services.resources.admin.AdminEventBuilder;

/**
 * Admin events of the pack's changes. Every change of a pack object (API key, device, purposed token, tenant grant),
 * by an administrator or by its owner through self-service, is an admin event of resource type {@code CUSTOM} whose
 * path names the object, so the realm's admin-event log tells who changed what, whatever the door.
 */
public final class AdminEvents {

    private AdminEvents() {
    }

    /**
     * A builder naming the caller of a self-service endpoint (Keycloak builds the administrator's own for admin
     * resources).
     */
    public static AdminEventBuilder by(KeycloakSession session, RealmModel realm, AuthResult caller) {
        return new AdminEventBuilder(realm, new AdminAuth(realm, caller.getToken(), caller.getUser(), caller.getClient()),
                session, session.getContext().getConnection());
    }

    /** Records one successful change: {@code op} on the object at {@code path}, with its representation and details. */
    public static void change(AdminEventBuilder events, OperationType op, Object representation, Map<String, String> details,
                              String... path) {
        AdminEventBuilder b = events.operation(op).resource(ResourceType.CUSTOM).resourcePath(path).representation(representation);
        details.forEach(b::detail);
        b.success();
    }
}
