package io.iottokens.keycloak;

import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.iottokens.keycloak.common.RestCors;
import io.iottokens.keycloak.device.rest.DeviceResource;
import io.iottokens.keycloak.edge.rest.EdgeNodeResource;

/**
 * {@code /realms/{realm}/devices}: one URL space, two features. The HTTP contract (docs/openapi.yaml) puts the edge
 * node's {@code associate} and {@code unassociate} under {@code devices/}, next to the registry's own endpoints; the
 * device feature must not know the edge feature (edge builds on device), so neither resource can mount the other.
 * This class, in the composition root, does:
 * <ul>
 * <li>{@code POST associate} and {@code POST unassociate} are resource methods here that hand over to the edge
 * feature's {@link EdgeNodeResource}. Being exact resource methods (not locators), they take only those two
 * requests: {@code associate/key}, {@code GET associate} and the like still reach the registry, as they did when
 * one class held everything. So does the owner's {@code POST {id}/unassociate} (two segments: never this class's
 * {@code unassociate}), also for a device whose id is {@code unassociate} or {@code associate}.</li>
 * <li>Everything else goes to the device feature's {@link DeviceResource} through the sub-resource locator
 * {@link #registry()} (empty path: the registry sees the path below {@code devices/} unchanged).</li>
 * <li>CORS preflight is answered here for every path: for a class that declares no {@code OPTIONS} method, RESTEasy
 * answers {@code OPTIONS} itself (an {@code Allow} header, no CORS headers) instead of asking the locator.</li>
 * </ul>
 */
public final class DevicesResource {

    private final DeviceResource registry;
    private final EdgeNodeResource node;

    DevicesResource(DeviceResource registry, EdgeNodeResource node) {
        this.registry = registry;
        this.node = node;
    }

    @POST
    @Path("associate")
    @Produces(MediaType.APPLICATION_JSON)
    public Response associate() {
        return node.associate();
    }

    @POST
    @Path("unassociate")
    @Produces(MediaType.APPLICATION_JSON)
    public Response unassociate() {
        return node.unassociate();
    }

    @Path("")
    public DeviceResource registry() {
        return registry;
    }

    @OPTIONS
    @Path("{any:.*}")
    public Response preflight() {
        return RestCors.preflight();
    }
}
