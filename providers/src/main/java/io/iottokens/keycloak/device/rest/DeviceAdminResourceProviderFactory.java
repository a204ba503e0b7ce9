package io.iottokens.keycloak.device.rest;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.ext.AdminRealmResourceProvider;
import org.keycloak.services.resources.admin.ext.AdminRealmResourceProviderFactory;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

import io.iottokens.keycloak.common.NoLifecycle;
import io.iottokens.keycloak.device.DeviceCleanup;

/**
 * Mounts {@code /admin/realms/{realm}/devices}. As the device feature's own factory (the realm resource
 * {@code /realms/{realm}/devices} is mounted by the composition root), it also registers the registry's cleanup
 * ({@link DeviceCleanup}).
 */
public final class DeviceAdminResourceProviderFactory implements AdminRealmResourceProviderFactory, AdminRealmResourceProvider, NoLifecycle<AdminRealmResourceProvider> {

    public static final String PROVIDER_ID = "devices";

    @Override
    public AdminRealmResourceProvider create(KeycloakSession session) {
        return this;
    }

    @Override
    public Object getResource(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth, AdminEventBuilder adminEvent) {
        return new DeviceAdminResource(session, realm, auth, adminEvent);
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        DeviceCleanup.register(factory);
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public void close() {
    }
}
