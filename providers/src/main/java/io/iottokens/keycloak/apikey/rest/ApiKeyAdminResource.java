package io.iottokens.keycloak.apikey.rest;

import java.io.InputStream;
import java.util.Set;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

import io.iottokens.keycloak.apikey.ApiKeyConfig;
import io.iottokens.keycloak.apikey.ApiKeyService;
import io.iottokens.keycloak.apikey.jpa.ApiKeyEntity;
import io.iottokens.keycloak.common.JsonBody;
import io.iottokens.keycloak.common.NoStore;
import io.iottokens.keycloak.common.PackException;
import io.iottokens.keycloak.common.Paging;
import io.iottokens.keycloak.common.RestEdge;
import io.iottokens.keycloak.common.Users;

/**
 * {@code /admin/realms/{realm}/api-keys}: operators (Ioto's owner) list and manage every user's keys.
 * Reading needs {@code view-users} (or the user's fine-grained view permission), changing needs
 * {@code manage-users}; every change is an admin event.
 */
public final class ApiKeyAdminResource {

    static final Set<String> ADMIN_CREATE_FIELDS = Set.of("userId", "memo", "duration", "roles");

    private final KeycloakSession session;
    private final RealmModel realm;
    private final AdminPermissionEvaluator auth;
    private final ApiKeyService service;
    private final ApiKeyOperations ops;

    ApiKeyAdminResource(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth,
                        AdminEventBuilder events, ApiKeyService service) {
        this.session = session;
        this.realm = realm;
        this.auth = auth;
        this.service = service;
        this.ops = new ApiKeyOperations(realm, service, events);
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response list(@QueryParam("user") String user, @QueryParam("status") String status,
                         @QueryParam("first") String first, @QueryParam("max") String max) {
        return RestEdge.call(session, () -> doList(user, status, first, max));
    }

    private Response doList(String user, String status,
                            String first, String max) {
        String userId = null;
        if (user != null && !user.isEmpty()) {
            UserModel u = user(user);
            auth.users().requireView(u);
            userId = u.getId();
        } else {
            auth.users().requireView();
        }
        return NoStore.ok(ops.list(userId, status, Paging.of(first, max)));
    }

    /** Creates a key for the user named by {@code userId} (id or username); the secret is in this answer only. */
    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response create(InputStream body) {
        return RestEdge.call(session, () -> doCreate(body));
    }

    private Response doCreate(InputStream body) {
        auth.users().requireManage();
        JsonBody json = JsonBody.read(body, ApiKeyConfig.MAX_BODY_BYTES, ADMIN_CREATE_FIELDS, false);
        String userRef = json.string("userId", 255);
        if (userRef == null) {
            throw PackException.badRequest("Field 'userId' is required");
        }
        UserModel owner = user(userRef);
        auth.users().requireManage(owner);
        return ops.create(owner, json, session.getContext().getUri());
    }

    @GET
    @Path("{id}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response get(@PathParam("id") String id) {
        return RestEdge.call(session, () -> {
            ApiKeyEntity e = key(id);
            auth.users().requireView(owner(e));
            return NoStore.ok(ops.show(e));
        });
    }

    @POST
    @Path("{id}/{action}")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response action(@PathParam("id") String id, @PathParam("action") String action, InputStream body) {
        return RestEdge.call(session, () -> {
            ApiKeyEntity e = key(id);
            auth.users().requireManage(owner(e));
            return ops.action(e, action, body);
        });
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") String id) {
        return RestEdge.call(session, () -> {
            ApiKeyEntity e = key(id);
            auth.users().requireManage(owner(e));
            return ops.delete(e);
        });
    }

    private ApiKeyEntity key(String id) {
        auth.users().requireQuery();
        ApiKeyEntity e = service.byId(realm, id);
        if (e == null) {
            throw PackException.notFound("API key not found");
        }
        return e;
    }

    private UserModel owner(ApiKeyEntity e) {
        UserModel u = session.users().getUserById(realm, e.getUserId());
        if (u == null) {
            throw PackException.notFound("API key not found");
        }
        return u;
    }

    private UserModel user(String idOrUsername) {
        return Users.byIdOrUsername(session, realm, idOrUsername);
    }
}
