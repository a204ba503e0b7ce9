package io.iottokens.keycloak.common;

import java.util.function.Supplier;

import org.keycloak.services.resource.RealmResourceProvider;

/** A {@link RealmResourceProvider} that hands out a fresh JAX-RS resource per request and holds nothing to close. */
public final class RealmResources {

    private RealmResources() {
    }

    public static RealmResourceProvider of(Supplier<Object> resource) {
        return new RealmResourceProvider() {
            @Override
            public Object getResource() {
                return resource.get();
            }

            @Override
            public void close() {
            }
        };
    }
}
