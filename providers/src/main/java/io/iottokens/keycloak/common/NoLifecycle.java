package io.iottokens.keycloak.common;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.Provider;
import org.keycloak.provider.ProviderFactory;

/**
 * A provider factory with nothing to read at start, to wire after start or to release at shutdown: the three
 * lifecycle methods Keycloak asks for, empty once here instead of in every factory. A factory with options
 * declares {@code init} itself.
 */
public interface NoLifecycle<T extends Provider> extends ProviderFactory<T> {

    @Override
    default void init(Config.Scope config) {
    }

    @Override
    default void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    default void close() {
    }
}
