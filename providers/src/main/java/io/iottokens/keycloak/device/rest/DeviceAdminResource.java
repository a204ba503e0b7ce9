package io.iottokens.keycloak.device.rest;

import java.io.InputStream;
import java.util.List;
import java.util.Set;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;
import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

import io.iottokens.keycloak.common.JsonBody;
import io.iottokens.keycloak.common.NoStore;
import io.iottokens.keycloak.common.PackException;
import io.iottokens.keycloak.common.Paging;
import io.iottokens.keycloak.common.RestEdge;
import io.iottokens.keycloak.device.DeviceService;
import io.iottokens.keycloak.device.jpa.DeviceEntity;

/**
 * {@code /admin/realms/{realm}/devices}: operators list ({@code owner}, {@code group}, paging), read, delete
 * devices and set their groups. {@code view-users} to read, {@code manage-users} to change; admin events with
 * resource type {@code CUSTOM} and path {@code devices/{id}}.
 */
public final class DeviceAdminResource {

    private final KeycloakSession session;
    private final RealmModel realm;
    private final AdminPermissionEvaluator auth;
    private final AdminEventBuilder events;
    private final DeviceService service;

    DeviceAdminResource(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth, AdminEventBuilder events) {
        this.session = session;
        this.realm = realm;
        this.auth = auth;
        this.events = events;
        this.service = new DeviceService(session);
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response list(@QueryParam("owner") String owner, @QueryParam("group") String group,
                         @QueryParam("first") String first, @QueryParam("max") String max) {
        return RestEdge.call(session, () -> doList(owner, group, first, max));
    }

    private Response doList(String owner, String group,
                            String first, String max) {
        auth.users().requireView();
        String ownerId = null;
        if (owner != null && !owner.isEmpty()) {
            UserModel u = session.users().getUserById(realm, owner);
            if (u == null) {
                u = session.users().getUserByUsername(realm, owner);
            }
            if (u == null) {
                throw PackException.notFound("User not found");
            }
            ownerId = u.getId();
        }
        String groupId = null;
        if (group != null && !group.isEmpty()) {
            GroupModel g = service.group(realm, group);
            if (g == null) {
                throw PackException.notFound("Group not found");
            }
            groupId = g.getId();
        }
        return NoStore.ok(service.search(realm, ownerId, groupId, Paging.of(first, max)).stream()
                .map(d -> DeviceRepresentation.of(d, true)).toList());
    }

    @GET
    @Path("{id}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response get(@PathParam("id") String id) {
        return RestEdge.call(session, () -> {
            auth.users().requireView();
            return NoStore.ok(DeviceRepresentation.of(device(id), true));
        });
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") String id) {
        return RestEdge.call(session, () -> {
            auth.users().requireManage();
            DeviceEntity d = service.lock(device(id));
            DeviceRepresentation rep = DeviceRepresentation.of(d, true);
            service.delete(realm, d);
            event(OperationType.DELETE, id, rep);
            return Response.noContent().build();
        });
    }

    /** {@code {"groups": [group ids, paths or names]}} replaces the device's groups. */
    @PUT
    @Path("{id}/groups")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response setGroups(@PathParam("id") String id, InputStream body) {
        return RestEdge.call(session, () -> doSetGroups(id, body));
    }

    private Response doSetGroups(String id, InputStream body) {
        auth.users().requireManage();
        DeviceEntity d = device(id);
        JsonBody json = JsonBody.read(body, DeviceResource.MAX_BODY_BYTES, Set.of("groups"), false);
        List<String> groups = json.strings("groups", 100, 255);
        if (groups == null) {
            throw PackException.badRequest("Field 'groups' is required (an empty array removes every group)");
        }
        service.setGroups(realm, service.lock(d), groups);
        DeviceRepresentation rep = DeviceRepresentation.of(d, true);
        event(OperationType.UPDATE, id, rep);
        return NoStore.ok(rep);
    }

    private DeviceEntity device(String id) {
        DeviceEntity d = service.byDeviceId(realm, id);
        if (d == null) {
            throw PackException.notFound("Device not found");
        }
        return d;
    }

    private void event(OperationType op, String id, DeviceRepresentation rep) {
        events.operation(op).resource(ResourceType.CUSTOM).resourcePath("devices", id).representation(rep).success();
    }
}
