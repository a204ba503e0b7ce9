package io.iottokens.keycloak.tenant.rest;

import org.keycloak.Config;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;
import org.keycloak.services.resource.RealmResourceProvider;
import org.keycloak.services.resource.RealmResourceProviderFactory;

import io.iottokens.keycloak.common.NoLifecycle;
import io.iottokens.keycloak.common.RealmResources;
import io.iottokens.keycloak.tenant.TenantGrantService;
import io.iottokens.keycloak.tenant.TenantLevels;

/**
 * Mounts {@code /realms/{realm}/tenant-delegation}; reads the server-wide level map (option {@code levels});
 * removes grants with their client, organization or realm.
 */
public final class TenantDelegationResourceProviderFactory implements RealmResourceProviderFactory, NoLifecycle<RealmResourceProvider> {

    public static final String PROVIDER_ID = "tenant-delegation";

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public RealmResourceProvider create(KeycloakSession session) {
        return RealmResources.of(() -> new TenantDelegationResource(session));
    }

    @Override
    public void init(Config.Scope config) {
        TenantLevels.configure(config.get("levels"));
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        factory.register(event -> {
            if (event instanceof ClientModel.ClientRemovedEvent e) {
                new TenantGrantService(e.getKeycloakSession()).clientRemoved(e.getClient().getId());
            } else if (event instanceof OrganizationModel.OrganizationRemovedEvent e) {
                new TenantGrantService(e.getKeycloakSession()).tenantRemoved(e.getOrganization().getId());
            } else if (event instanceof RealmModel.RealmRemovedEvent e) {
                new TenantGrantService(e.getKeycloakSession()).realmRemoved(e.getRealm().getId());
            }
        });
    }
}
