package io.iottokens.keycloak.purposed.rest;

import java.util.List;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.keycloak.events.admin.OperationType;
import org.keycloak.models.UserModel;

import io.iottokens.keycloak.common.AdminResourceFactory.Admin;
import io.iottokens.keycloak.common.NoStore;
import io.iottokens.keycloak.common.PackException;
import io.iottokens.keycloak.common.Paging;
import io.iottokens.keycloak.common.RestEdge;
import io.iottokens.keycloak.common.Users;
import io.iottokens.keycloak.purposed.PurposedTokenService;
import io.iottokens.keycloak.purposed.jpa.PurposedTokenEntity;

/**
 * {@code /admin/realms/{realm}/purposed-tokens}: operators see and revoke every user's purposed tokens (never their
 * values, which are not stored). Permissions follow the owner, as for API keys: reading needs {@code view-users} (or
 * the owner's fine-grained view permission), revoking needs {@code manage-users} (or the owner's manage
 * permission); anyone else gets 403. Each revocation is an admin event ({@code DELETE}, resource {@code CUSTOM}, path
 * {@code purposed-tokens/{id}}, the same path as the owner's own changes), and the token is inactive from the answer
 * on, as after the owner's delete (a bootstrap token takes the tokens issued from it along).
 *
 * <ul>
 * <li>{@code GET ?user=&first=&max=}: the realm's tokens, newest first, or one owner's (id or username; unknown: 404);
 * bad paging 400.</li>
 * <li>{@code GET /{id}}: one token; {@code DELETE /{id}}: revokes it (204). An unknown id is 404.</li>
 * </ul>
 */
public final class PurposedAdminResource {

    private final Admin admin;
    private final PurposedTokenService service;

    PurposedAdminResource(Admin admin, PurposedTokenService service) {
        this.admin = admin;
        this.service = service;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response list(@QueryParam("user") String user, @QueryParam("first") String first, @QueryParam("max") String max) {
        return RestEdge.call(admin.session(), () -> {
            String ownerId = null;
            if (user != null && !user.isEmpty()) {
                UserModel owner = Users.byIdOrUsername(admin.session(), admin.realm(), user);
                admin.auth().users().requireView(owner);
                ownerId = owner.getId();
            } else {
                admin.auth().users().requireView();
            }
            Paging paging = Paging.of(first, max);
            List<PurposedTokenEntity> tokens = ownerId == null ? service.list(admin.realm(), paging) : service.list(admin.realm(), ownerId, paging);
            return NoStore.ok(tokens.stream().map(PurposedTokenRepresentation::of).toList());
        });
    }

    @GET
    @Path("{id}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response get(@PathParam("id") String id) {
        return RestEdge.call(admin.session(), () -> {
            PurposedTokenEntity e = token(id);
            admin.auth().users().requireView(owner(e));
            return NoStore.ok(PurposedTokenRepresentation.of(e));
        });
    }

    /** Revokes (deletes) the token: 204. */
    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") String id) {
        return RestEdge.call(admin.session(), () -> {
            PurposedTokenEntity e = token(id);
            admin.auth().users().requireManage(owner(e));
            PurposedTokenRepresentation rep = PurposedTokenRepresentation.of(e);
            if (!service.delete(e)) {
                throw PackException.notFound("Purposed token not found");
            }
            rep.recordChange(admin.events(), OperationType.DELETE);
            return Response.noContent().build();
        });
    }

    private PurposedTokenEntity token(String id) {
        admin.auth().users().requireQuery();
        PurposedTokenEntity e = service.byId(admin.realm(), id);
        if (e == null) {
            throw PackException.notFound("Purposed token not found");
        }
        return e;
    }

    private UserModel owner(PurposedTokenEntity e) {
        UserModel u = admin.session().users().getUserById(admin.realm(), e.getOwnerId());
        if (u == null) {
            throw PackException.notFound("Purposed token not found");
        }
        return u;
    }
}
