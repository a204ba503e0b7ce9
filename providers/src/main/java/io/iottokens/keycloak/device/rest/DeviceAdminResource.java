package io.iottokens.keycloak.device.rest;

import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Predicate;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.keycloak.events.admin.OperationType;
import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;
import org.keycloak.services.resources.admin.fgap.UserPermissionEvaluator;

import io.iottokens.keycloak.common.JsonBody;
import io.iottokens.keycloak.common.NoStore;
import io.iottokens.keycloak.common.PackException;
import io.iottokens.keycloak.common.Paging;
import io.iottokens.keycloak.common.RestEdge;
import io.iottokens.keycloak.common.Users;
import io.iottokens.keycloak.device.DeviceEvents;
import io.iottokens.keycloak.device.DeviceService;
import io.iottokens.keycloak.device.jpa.DeviceEntity;

/**
 * {@code /admin/realms/{realm}/devices}: operators list ({@code owner}, {@code group}, paging), read, unassociate and
 * delete devices and set their groups. A device is its owner's, so permissions are the owner's, as for API keys: reading a device needs
 * the permission to view its owner ({@code view-users}, or the fine-grained view permission on that user), changing it
 * the permission to manage its owner. A device without an owner is nobody's: it needs the realm-wide permission
 * ({@code view-users}, {@code manage-users}). Every change is an admin event ({@link DeviceEvents}).
 *
 * <p>Listing does what Keycloak's own user listing does with fine-grained permissions: it needs the permission to
 * query users at all ({@code query-users} or any view permission), then shows only the devices the administrator may
 * view; the page is cut before that filter, so a page may hold fewer than {@code max} devices. With {@code owner}, the
 * owner must be viewable (403 otherwise).
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

    private Response doList(String owner, String group, String first, String max) {
        UserPermissionEvaluator users = auth.users();
        users.requireQuery();
        String ownerId = null;
        if (owner != null && !owner.isEmpty()) {
            UserModel u = Users.byIdOrUsername(session, realm, owner);
            users.requireView(u);
            ownerId = u.getId();
        }
        String groupId = null;
        if (group != null && !group.isEmpty()) {
            GroupModel g = service.group(realm, group);
            if (g == null) {
                throw PackException.notFound("Group not found");
            }
            auth.groups().requireViewMembers(g);
            groupId = g.getId();
        }
        Predicate<DeviceEntity> viewable = ownerId != null || users.canView() ? d -> true : viewableByOwner(users);
        return NoStore.ok(service.search(realm, ownerId, groupId, Paging.of(first, max)).stream()
                .filter(viewable)
                .map(d -> DeviceRepresentation.of(d, true)).toList());
    }

    /** For an administrator without the realm-wide view permission: the devices of owners they may view. */
    private Predicate<DeviceEntity> viewableByOwner(UserPermissionEvaluator users) {
        Map<String, Boolean> byOwner = new HashMap<>();
        return d -> d.getOwnerId() != null && byOwner.computeIfAbsent(d.getOwnerId(), id -> {
            UserModel u = session.users().getUserById(realm, id);
            return u != null && users.canView(u);
        });
    }

    @GET
    @Path("{id}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response get(@PathParam("id") String id) {
        return RestEdge.call(session, () -> {
            DeviceEntity d = permitted(id, UserPermissionEvaluator::requireView, UserPermissionEvaluator::requireView);
            return NoStore.ok(DeviceRepresentation.of(d, true));
        });
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") String id) {
        return RestEdge.call(session, () -> {
            DeviceEntity d = service.lock(manageable(id));
            DeviceRepresentation rep = DeviceRepresentation.of(d, true);
            String ownerId = d.getOwnerId();
            service.delete(realm, d);
            DeviceEvents.change(events, OperationType.DELETE, id, ownerId, rep);
            return Response.noContent().build();
        });
    }

    /**
     * Ends the device's association with its owner, as the owner's own unassociate does: no owner, no groups (the key
     * stays), {@code DeviceReleased} published so the node's edge sessions end. Manage permission on the owner (as
     * {@link #delete}); 409 when the device is not associated (that needs {@code manage-users}, as every device without
     * owner does, before it is said), or when its owner changed during this request. 200 with the device as it is now;
     * an admin event ({@code ACTION}, detail {@code action} = {@value DeviceEvents#UNASSOCIATE}, the former owner in
     * {@code userId}).
     */
    @POST
    @Path("{id}/unassociate")
    @Produces(MediaType.APPLICATION_JSON)
    public Response unassociate(@PathParam("id") String id) {
        return RestEdge.call(session, () -> {
            DeviceEntity d = manageable(id);
            String ownerId = d.getOwnerId();
            service.unassociate(realm, d, ownerId);
            DeviceRepresentation rep = DeviceRepresentation.of(d, true);
            DeviceEvents.action(events, DeviceEvents.UNASSOCIATE, id, ownerId, rep);
            return NoStore.ok(rep);
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
        DeviceEntity d = manageable(id);
        JsonBody json = JsonBody.read(body, DeviceResource.MAX_BODY_BYTES, Set.of("groups"), false);
        List<String> groups = json.strings("groups", 100, 255);
        if (groups == null) {
            throw PackException.badRequest("Field 'groups' is required (an empty array removes every group)");
        }
        // as Keycloak's own group membership: managing the owner is not enough, each group joined or left must allow it
        service.setGroups(realm, service.lock(d), groups, g -> auth.groups().requireManageMembership(g));
        DeviceRepresentation rep = DeviceRepresentation.of(d, true);
        DeviceEvents.change(events, OperationType.UPDATE, id, d.getOwnerId(), rep);
        return NoStore.ok(rep);
    }

    /**
     * The device, once the administrator may query users at all (else 403, so that nobody without admin rights learns
     * which devices exist); 404 when there is none.
     */
    private DeviceEntity device(String id) {
        auth.users().requireQuery();
        DeviceEntity d = service.byDeviceId(realm, id);
        if (d == null) {
            throw PackException.notFound("Device not found");
        }
        return d;
    }

    /** The device if the administrator may manage its owner, or every user when it has none (else 403). */
    private DeviceEntity manageable(String id) {
        return permitted(id, UserPermissionEvaluator::requireManage, UserPermissionEvaluator::requireManage);
    }

    /**
     * The device once {@code perOwner} allowed it for its owner or, for a device without one, {@code realmWide} for
     * every user.
     */
    private DeviceEntity permitted(String id, Consumer<UserPermissionEvaluator> realmWide,
                                   BiConsumer<UserPermissionEvaluator, UserModel> perOwner) {
        DeviceEntity d = device(id);
        UserModel owner = owner(d);
        if (owner == null) {
            realmWide.accept(auth.users());
        } else {
            perOwner.accept(auth.users(), owner);
        }
        return d;
    }

    /** The device's owner; null for a device without one (or whose owner is being removed in this moment). */
    private UserModel owner(DeviceEntity d) {
        return d.getOwnerId() == null ? null : session.users().getUserById(realm, d.getOwnerId());
    }
}
