package io.iottokens.keycloak;

import io.iottokens.keycloak.common.AdminResourceFactory;

/**
 * Mounts {@code /admin/realms/{realm}/iot-tokens} ({@link SettingsAdminResource}, today its {@code settings}). Under
 * {@code /admin}, so it never meets the public realm resource {@code /realms/{realm}/iot-tokens/openapi.*}.
 */
public final class SettingsAdminResourceProviderFactory extends AdminResourceFactory {

    public static final String PROVIDER_ID = "iot-tokens";

    public SettingsAdminResourceProviderFactory() {
        super(PROVIDER_ID);
    }

    @Override
    protected Object resource(Admin admin) {
        return new SettingsAdminResource(admin);
    }
}
