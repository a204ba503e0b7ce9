package io.iottokens.keycloak.device.rest;

import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.services.resource.RealmResourceProvider;
import org.keycloak.services.resource.RealmResourceProviderFactory;

import io.iottokens.keycloak.common.NoLifecycle;
import io.iottokens.keycloak.common.RealmResources;
import io.iottokens.keycloak.device.DeviceService;

/**
 * Mounts {@code /realms/{realm}/devices} and keeps the registry clean: a removed user's devices lose their
 * owner, a removed group leaves its devices, a removed realm takes its devices along.
 */
public final class DeviceResourceProviderFactory implements RealmResourceProviderFactory, NoLifecycle<RealmResourceProvider> {

    public static final String PROVIDER_ID = "devices";

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public RealmResourceProvider create(KeycloakSession session) {
        return RealmResources.of(() -> new DeviceResource(session));
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
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
