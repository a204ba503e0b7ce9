package io.iottokens.keycloak;

import org.keycloak.models.KeycloakSession;
import org.keycloak.services.resource.RealmResourceProvider;
import org.keycloak.services.resource.RealmResourceProviderFactory;

import io.iottokens.keycloak.common.NoLifecycle;
import io.iottokens.keycloak.common.RealmResources;
import io.iottokens.keycloak.device.rest.DeviceResource;
import io.iottokens.keycloak.edge.rest.EdgeNodeResource;

/**
 * Mounts {@code /realms/{realm}/devices} ({@link DevicesResource}): the device registry's self-service and the edge
 * node's associate/unassociate share that path, so the composition root, which may name both features, mounts them.
 * Wiring only: the features' cleanup and listeners are registered by their own factories.
 */
public final class DevicesRealmResourceProviderFactory implements RealmResourceProviderFactory, NoLifecycle<RealmResourceProvider> {

    /** The path segment below {@code /realms/{realm}/}, also named in the bearer policy's list of pack resources. */
    public static final String PROVIDER_ID = "devices";

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public RealmResourceProvider create(KeycloakSession session) {
        return RealmResources.of(() -> new DevicesResource(new DeviceResource(session), new EdgeNodeResource(session)));
    }
}
