package io.iottokens.keycloak.device.rest;

import org.keycloak.models.KeycloakSessionFactory;

import io.iottokens.keycloak.common.AdminResourceFactory;
import io.iottokens.keycloak.device.DeviceCleanup;

/**
 * Mounts {@code /admin/realms/{realm}/devices}. As the device feature's own factory (the realm resource
 * {@code /realms/{realm}/devices} is mounted by the composition root), it also registers the registry's cleanup
 * ({@link DeviceCleanup}).
 */
public final class DeviceAdminResourceProviderFactory extends AdminResourceFactory {

    public static final String PROVIDER_ID = "devices";

    public DeviceAdminResourceProviderFactory() {
        super(PROVIDER_ID);
    }

    @Override
    protected Object resource(Admin admin) {
        return new DeviceAdminResource(admin.session(), admin.realm(), admin.auth(), admin.events());
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        DeviceCleanup.register(factory);
    }
}
