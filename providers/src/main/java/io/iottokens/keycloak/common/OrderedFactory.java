package io.iottokens.keycloak.common;

import java.util.function.Function;

import org.keycloak.models.KeycloakSession;
import org.keycloak.provider.Provider;

/**
 * A stateless factory of the pack that takes a place among Keycloak's own factories of one SPI: its id, its
 * {@link #order()} (Keycloak asks higher orders first, and keeps the highest among factories of one id) and a
 * provider per session.
 */
public abstract class OrderedFactory<P extends Provider> implements NoLifecycle<P> {

    private final String id;
    private final int order;
    private final Function<KeycloakSession, P> create;

    protected OrderedFactory(String id, int order, Function<KeycloakSession, P> create) {
        this.id = id;
        this.order = order;
        this.create = create;
    }

    @Override
    public P create(KeycloakSession session) {
        return create.apply(session);
    }

    @Override
    public String getId() {
        return id;
    }

    @Override
    public int order() {
        return order;
    }
}
