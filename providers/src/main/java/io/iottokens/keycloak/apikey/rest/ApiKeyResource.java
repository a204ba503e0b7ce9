package io.iottokens.keycloak.apikey.rest;

import java.io.InputStream;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.managers.AuthenticationManager.AuthResult;

import io.iottokens.keycloak.apikey.ApiKeyConfig;
import io.iottokens.keycloak.apikey.ApiKeyService;
import io.iottokens.keycloak.apikey.jpa.ApiKeyEntity;
import io.iottokens.keycloak.common.AdminEvents;
import io.iottokens.keycloak.common.BearerPolicy;
import io.iottokens.keycloak.common.JsonBody;
import io.iottokens.keycloak.common.NoStore;
import io.iottokens.keycloak.common.PackException;
import io.iottokens.keycloak.common.Paging;
import io.iottokens.keycloak.common.RestCors;
import io.iottokens.keycloak.common.RestEdge;

/**
 * {@code /realms/{realm}/api-keys}: a user manages their own API keys with their access token. Another
 * user's key is a 404, never a 403. Tokens obtained with an API key cannot manage API keys, so a leaked key
 * cannot mint more keys.
 */
public final class ApiKeyResource {

    private final KeycloakSession session;
    private final RealmModel realm;
    private final ApiKeyService service;

    ApiKeyResource(KeycloakSession session, ApiKeyService service) {
        this.session = session;
        this.realm = session.getContext().getRealm();
        this.service = service;
    }

    /** The caller, plus the operations bound to an admin-event builder naming them. */
    private record Caller(AuthResult auth, ApiKeyOperations ops) {
    }

    private Caller caller() {
        AuthResult auth = BearerPolicy.API_KEYS.require(session);
        return new Caller(auth, new ApiKeyOperations(realm, service, AdminEvents.by(session, realm, auth)));
    }

    private ApiKeyEntity owned(Caller c, String id) {
        ApiKeyEntity e = service.byId(realm, id);
        if (e == null || !e.getUserId().equals(c.auth().getUser().getId())) {
            throw PackException.notFound("API key not found");
        }
        return e;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response create(InputStream body) {
        return RestEdge.call(session, () -> {
            Caller c = caller();
            JsonBody json = JsonBody.read(body, ApiKeyConfig.MAX_BODY_BYTES, ApiKeyOperations.CREATE_FIELDS, true);
            return c.ops().create(c.auth().getUser(), json, session.getContext().getUri());
        });
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response list(@QueryParam("status") String status, @QueryParam("first") String first, @QueryParam("max") String max) {
        return RestEdge.call(session, () -> {
            Caller c = caller();
            return NoStore.ok(c.ops().list(c.auth().getUser().getId(), status, Paging.of(first, max)));
        });
    }

    @GET
    @Path("{id}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response get(@PathParam("id") String id) {
        return RestEdge.call(session, () -> {
            Caller c = caller();
            return NoStore.ok(c.ops().show(owned(c, id)));
        });
    }

    @POST
    @Path("{id}/{action}")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response action(@PathParam("id") String id, @PathParam("action") String action, InputStream body) {
        return RestEdge.call(session, () -> {
            Caller c = caller();
            return c.ops().action(owned(c, id), action, body);
        });
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") String id) {
        return RestEdge.call(session, () -> {
            Caller c = caller();
            return c.ops().delete(owned(c, id));
        });
    }

    @OPTIONS
    @Path("{any:.*}")
    public Response preflight() {
        return RestCors.preflight();
    }
}
