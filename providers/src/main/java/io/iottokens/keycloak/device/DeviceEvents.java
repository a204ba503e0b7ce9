package io.iottokens.keycloak.device;

import java.util.LinkedHashMap;
import java.util.Map;

import org.keycloak.events.admin.OperationType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.managers.AuthenticationManager.AuthResult;
import org.keycloak.services.resources.admin.AdminEventBuilder;

import io.iottokens.keycloak.common.AdminEvents;

/**
 * Admin events of device changes, whatever the door (the registry's self-service, the edge node's associate and
 * unassociate, the admin API): resource type {@code CUSTOM}, path {@code devices/{device id}}, the owner in the detail
 * {@code userId} (absent for a device without one). Self-service changes are operation {@code ACTION} with the detail
 * {@code action} ({@value #REGISTER_KEY}, {@value #FORGET}, {@value #ASSOCIATE}, {@value #UNASSOCIATE}: by the node
 * itself or by its owner); the admin API's are {@code UPDATE} (groups), {@code DELETE} and {@code ACTION}
 * {@value #UNASSOCIATE} (the administrator in the auth details).
 */
public final class DeviceEvents {

    public static final String REGISTER_KEY = "register-key";
    public static final String FORGET = "forget";
    public static final String ASSOCIATE = "associate";
    public static final String UNASSOCIATE = "unassociate";

    private DeviceEvents() {
    }

    /** Events of a caller authenticated with a bearer token (the owner's login token, the node's edge token). */
    public static AdminEventBuilder by(KeycloakSession session, RealmModel realm, AuthResult caller) {
        return AdminEvents.by(session, realm, caller);
    }

    /** A self-service change of the device: {@code ACTION} with the detail {@code action}. */
    public static void action(AdminEventBuilder events, String action, String deviceId, String ownerId, Object representation) {
        Map<String, String> details = details(ownerId);
        details.put("action", action);
        AdminEvents.change(events, OperationType.ACTION, representation, details, "devices", deviceId);
    }

    /** An administrator's change of the device. */
    public static void change(AdminEventBuilder events, OperationType op, String deviceId, String ownerId, Object representation) {
        AdminEvents.change(events, op, representation, details(ownerId), "devices", deviceId);
    }

    private static Map<String, String> details(String ownerId) {
        Map<String, String> details = new LinkedHashMap<>();
        if (ownerId != null) {
            details.put("userId", ownerId);
        }
        return details;
    }
}
