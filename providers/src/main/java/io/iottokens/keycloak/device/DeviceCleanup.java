package io.iottokens.keycloak.device;

import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * Keeps the registry clean when Keycloak removes what devices point to: a removed user's devices lose their owner, a
 * removed group leaves its devices, a removed realm takes its devices along. Each runs in the transaction of the
 * removal.
 */
public final class DeviceCleanup {

    private DeviceCleanup() {
    }

    /** Registers the listeners (once per node, from the postInit of a device factory). */
    public static void register(KeycloakSessionFactory factory) {
        factory.register(event -> {
            if (event instanceof UserModel.UserRemovedEvent e) {
                new DeviceService(e.getKeycloakSession()).ownerRemoved(e.getRealm(), e.getUser().getId());
            } else if (event instanceof GroupModel.GroupRemovedEvent e) {
                new DeviceService(e.getKeycloakSession()).groupRemoved(e.getGroup().getId());
            } else if (event instanceof RealmModel.RealmRemovedEvent e) {
                new DeviceService(e.getKeycloakSession()).realmRemoved(e.getRealm().getId());
            }
        });
    }
}
