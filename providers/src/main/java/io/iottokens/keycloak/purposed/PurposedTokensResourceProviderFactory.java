package io.iottokens.keycloak.purposed;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.services.resource.RealmResourceProvider;
import org.keycloak.services.resource.RealmResourceProviderFactory;

import io.iottokens.keycloak.common.RealmResources;

/**
 * Mounts {@code /realms/{realm}/purposed-tokens} and keeps the store clean: a removed user's tokens and a
 * removed realm's tokens go with them. A removed group needs no cleanup: tokens naming it stop introspecting
 * as active because the group no longer matches.
 */
public final class PurposedTokensResourceProviderFactory implements RealmResourceProviderFactory {

    public static final String PROVIDER_ID = "purposed-tokens";

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public RealmResourceProvider create(KeycloakSession session) {
        return RealmResources.of(() -> new PurposedTokensResource(session));
    }

    @Override
    public void init(Config.Scope config) {
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        factory.register(event -> {
            if (event instanceof UserModel.UserRemovedEvent e) {
                new PurposedTokenService(e.getKeycloakSession()).ownerRemoved(e.getRealm(), e.getUser().getId());
            } else if (event instanceof RealmModel.RealmRemovedEvent e) {
                new PurposedTokenService(e.getKeycloakSession()).realmRemoved(e.getRealm().getId());
            }
        });
    }

    @Override
    public void close() {
    }
}
