package io.iottokens.keycloak.purposed;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.services.resource.RealmResourceProvider;
import org.keycloak.services.resource.RealmResourceProviderFactory;

import io.iottokens.keycloak.common.RealmResources;

/** Mounts {@code /realms/{realm}/purposed-tokens}. */
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
    }

    @Override
    public void close() {
    }
}
