package io.iottokens.keycloak.tenant.rest;

import java.io.InputStream;

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
import org.keycloak.models.ClientModel;
import org.keycloak.models.OrganizationModel;

import io.iottokens.keycloak.common.AdminResourceFactory.Admin;
import io.iottokens.keycloak.common.NoStore;
import io.iottokens.keycloak.common.PackException;
import io.iottokens.keycloak.common.Paging;
import io.iottokens.keycloak.common.RestEdge;
import io.iottokens.keycloak.tenant.TenantGrantService;
import io.iottokens.keycloak.tenant.jpa.TenantGrantEntity;

/**
 * {@code /admin/realms/{realm}/tenant-grants}: realm administrators see and revoke every tenant's grants, across
 * organizations. Permissions are the realm's, since grants belong to organizations and applications rather than to
 * a user: reading ({@code GET}) needs {@code view-realm} (or {@code manage-realm}), granting, changing and revoking
 * ({@code PUT}, {@code DELETE}) need {@code manage-realm}; anyone else gets 403. Tenant admins do the same for their
 * own organization ({@code /realms/{realm}/tenant-delegation/tenants/{org}/grants}); a grant put here is validated
 * and stored by the same code ({@link GrantPut}). Each change is an admin event ({@code CREATE}, {@code UPDATE},
 * {@code DELETE}, resource {@code CUSTOM}, path {@code tenant-delegation/tenants/{tenant id}/grants/{clientId}}, the
 * same path as the tenant admin's changes of that grant), and a revoked or changed grant's earlier tenant tokens are
 * refused from the answer on, as after the tenant admin's change.
 *
 * <ul>
 * <li>{@code GET ?org=&client=&first=&max=}: the realm's grants, oldest first, of one organization (id or alias)
 * and/or one application (clientId) when given; an unknown one is 404; bad paging 400.</li>
 * <li>{@code GET /{id}}: one grant; {@code DELETE /{id}}: revokes it (204). An unknown id is 404.</li>
 * <li>{@code PUT /{org}/{clientId}} {@code {"accessLevel", "scopes"?}}: grants (201) or changes (200) the grant of the
 * organization (id or alias) to the application (clientId); the answer names the grant's {@code id}. Unknown
 * organization or application: 404; a bad body or a client that is no application: 400. Two path segments, so it
 * never meets {@code /{id}}.</li>
 * </ul>
 */
public final class TenantAdminResource {

    private final Admin admin;
    private final TenantGrantService service;

    TenantAdminResource(Admin admin, TenantGrantService service) {
        this.admin = admin;
        this.service = service;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response list(@QueryParam("org") String org, @QueryParam("client") String client,
                         @QueryParam("first") String first, @QueryParam("max") String max) {
        return RestEdge.call(admin.session(), () -> {
            admin.auth().realm().requireViewRealm();
            Paging paging = Paging.of(first, max);
            OrganizationModel tenant = null;
            if (org != null && !org.isEmpty()) {
                tenant = service.tenant(admin.realm(), org);
                if (tenant == null) {
                    throw PackException.notFound("Tenant not found");
                }
            }
            ClientModel app = null;
            if (client != null && !client.isEmpty()) {
                app = client.length() > 255 ? null : admin.realm().getClientByClientId(client);
                if (app == null) {
                    throw PackException.notFound("Application not found");
                }
            }
            return NoStore.ok(service.search(admin.realm(), tenant, app, paging).stream().map(this::representation).toList());
        });
    }

    @GET
    @Path("{id}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response get(@PathParam("id") String id) {
        return RestEdge.call(admin.session(), () -> {
            admin.auth().realm().requireViewRealm();
            return NoStore.ok(representation(grant(id)));
        });
    }

    /** Grants or changes the organization's grant to the application: 201 new, 200 changed (or as it was). */
    @PUT
    @Path("{org}/{clientId}")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response put(@PathParam("org") String org, @PathParam("clientId") String clientId, InputStream body) {
        return RestEdge.call(admin.session(), () -> {
            admin.auth().realm().requireManageRealm();
            OrganizationModel tenant = service.tenant(admin.realm(), org);
            if (tenant == null) {
                throw PackException.notFound("Tenant not found");
            }
            return GrantPut.put(admin.session(), admin.realm(), service, tenant, clientId, body, admin.auth().adminAuth().getUser().getId(),
                    admin.events(), true);
        });
    }

    /** Revokes the grant: 204. */
    @DELETE
    @Path("{id}")
    public Response revoke(@PathParam("id") String id) {
        return RestEdge.call(admin.session(), () -> {
            admin.auth().realm().requireManageRealm();
            TenantGrantEntity g = grant(id);
            TenantGrantRepresentation rep = TenantGrantRepresentation.revoked(admin.session(), admin.realm(), service, g).withId(g.getId());
            ClientModel app = admin.session().clients().getClientById(admin.realm(), g.getClientId());
            if (app == null || !service.revoke(app, g)) {
                throw PackException.notFound("Grant not found");
            }
            rep.recordChange(admin.events(), OperationType.DELETE);
            return Response.noContent().build();
        });
    }

    private TenantGrantEntity grant(String id) {
        TenantGrantEntity g = service.byId(admin.realm(), id);
        if (g == null) {
            throw PackException.notFound("Grant not found");
        }
        return g;
    }

    private TenantGrantRepresentation representation(TenantGrantEntity g) {
        return TenantGrantRepresentation.of(admin.session(), admin.realm(), service, g).withId(g.getId());
    }
}
