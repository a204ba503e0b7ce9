package io.iottokens.keycloak.purposed.rest;

import io.iottokens.keycloak.common.AdminResourceFactory;
import io.iottokens.keycloak.purposed.PurposedFeature;
import io.iottokens.keycloak.purposed.PurposedTokenService;

/** Mounts {@code /admin/realms/{realm}/purposed-tokens} ({@link PurposedAdminResource}). */
public final class PurposedAdminResourceProviderFactory extends AdminResourceFactory {

    public PurposedAdminResourceProviderFactory() {
        super(PurposedFeature.OWNER_ID);
    }

    @Override
    protected Object resource(Admin admin) {
        return new PurposedAdminResource(admin, new PurposedTokenService(admin.session()));
    }
}
