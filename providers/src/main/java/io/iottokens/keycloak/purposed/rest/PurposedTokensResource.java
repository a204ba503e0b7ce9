package io.iottokens.keycloak.purposed.rest;

import java.io.InputStream;
import java.util.Arrays;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.keycloak.crypto.Algorithm;
import org.keycloak.events.admin.OperationType;
import org.keycloak.jose.jwk.JSONWebKeySet;
import org.keycloak.jose.jwk.JWK;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.protocol.oidc.utils.JWKSServerUtils;
import org.keycloak.services.cors.Cors;
import org.keycloak.services.managers.AuthenticationManager.AuthResult;

import io.iottokens.keycloak.common.AdminEvents;
import io.iottokens.keycloak.common.BearerPolicy;
import io.iottokens.keycloak.common.JsonBody;
import io.iottokens.keycloak.common.NoStore;
import io.iottokens.keycloak.common.PackException;
import io.iottokens.keycloak.common.Paging;
import io.iottokens.keycloak.common.RawBody;
import io.iottokens.keycloak.common.RestCors;
import io.iottokens.keycloak.common.RestEdge;
import io.iottokens.keycloak.purposed.PurposedBootstrap;
import io.iottokens.keycloak.purposed.PurposedRequest;
import io.iottokens.keycloak.purposed.PurposedScopes;
import io.iottokens.keycloak.purposed.PurposedTokenService;
import io.iottokens.keycloak.purposed.jpa.PurposedTokenEntity;

/**
 * {@code /realms/{realm}/purposed-tokens}: the public parts of ubirch's token manager. {@code scopes} is the
 * realm's scope catalogue, {@code jwk} the JWKS of the keys that sign purposed tokens (the realm's ES256
 * keys, the same entries as in the realm's {@code certs}). Neither needs a token; both allow any origin.
 */
public final class PurposedTokensResource {

    private final KeycloakSession session;
    private final RealmModel realm;
    private final PurposedTokenService service;
    static final int MAX_BODY_BYTES = 64 * 1024;
    static final int BOOTSTRAP_MAX_BYTES = 20 * 1024;

    PurposedTokensResource(KeycloakSession session) {
        this.session = session;
        this.realm = session.getContext().getRealm();
        this.service = new PurposedTokenService(session);
    }

    /** Creates a token from a claim object ({@link PurposedRequest}): 201 with {@code id}, {@code jwtClaim} and {@code token}. */
    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response create(InputStream body) {
        return RestEdge.call(session, () -> doCreate(body));
    }

    private Response doCreate(InputStream body) {
        AuthResult auth = caller();
        JsonBody json = JsonBody.read(body, MAX_BODY_BYTES, PurposedRequest.FIELDS, false);
        PurposedRequest request = PurposedRequest.validate(session, realm, auth.getUser(), json);
        PurposedTokenService.Issued issued = service.issue(realm, auth.getUser(), request);
        event(auth, OperationType.CREATE, issued.entity());
        return Response.status(Response.Status.CREATED)
                .header(HttpHeaders.CACHE_CONTROL, NoStore.VALUE)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(IssuedTokenRepresentation.of(issued))
                .build();
    }

    /**
     * ubirch's bootstrap: a device trades a bootstrap token for its registration, anchoring and verification
     * tokens, proving itself with its registered key ({@code X-Signature}, alias {@code X-Ubirch-Signature}).
     */
    @POST
    @Path("bootstrap")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response bootstrap(@HeaderParam("X-Signature") String signature, @HeaderParam("X-Ubirch-Signature") String ubirchSignature,
                              InputStream body) {
        return RestEdge.call(session, () -> {
            byte[] raw = RawBody.read(body, BOOTSTRAP_MAX_BYTES);
            PurposedBootstrap.Bootstrapped issued = new PurposedBootstrap(session, realm, service)
                    .bootstrap(raw, signature != null ? signature : ubirchSignature);
            return NoStore.ok(BootstrapRepresentation.of(issued));
        });
    }

    /** The caller's tokens, newest first, paged with {@code first} and {@code max}. */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response list(@QueryParam("first") String first, @QueryParam("max") String max) {
        return RestEdge.call(session, () -> {
            AuthResult auth = caller();
            return NoStore.ok(service.list(realm, auth.getUser().getId(), Paging.of(first, max)).stream()
                    .map(PurposedTokenRepresentation::of).toList());
        });
    }

    /** Deletes (revokes) one of the caller's tokens: 204; another user's or an unknown id: 404. */
    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") String id) {
        return RestEdge.call(session, () -> {
            AuthResult auth = caller();
            PurposedTokenEntity e = service.byId(realm, id);
            if (e == null || !e.getOwnerId().equals(auth.getUser().getId())) {
                throw PackException.notFound("Purposed token not found");
            }
            if (!service.delete(e)) {
                throw PackException.notFound("Purposed token not found");
            }
            event(auth, OperationType.DELETE, e);
            return Response.noContent().build();
        });
    }

    @OPTIONS
    @Path("{any:.*}")
    public Response preflight() {
        return RestCors.preflight();
    }

    private AuthResult caller() {
        return BearerPolicy.PURPOSED_TOKENS.require(session);
    }

    /** Self-service changes are admin events too (resource type CUSTOM, path purposed-tokens/{id}), as for API keys. */
    private void event(AuthResult auth, OperationType op, PurposedTokenEntity e) {
        PurposedTokenRepresentation.of(e).recordChange(AdminEvents.by(session, realm, auth), op);
    }

    @GET
    @Path("scopes")
    @Produces(MediaType.APPLICATION_JSON)
    public Response scopes() {
        return RestEdge.call(session, () -> {
            return Cors.builder().allowAllOrigins().auth().add(Response.ok(PurposedScopes.of(realm)).cacheControl(shortCache()));
        });
    }

    @GET
    @Path("jwk")
    @Produces(MediaType.APPLICATION_JSON)
    public Response jwk() {
        return RestEdge.call(session, () -> {
            JSONWebKeySet all = JWKSServerUtils.getRealmJwks(session, realm);
            JSONWebKeySet es256 = new JSONWebKeySet();
            es256.setKeys(Arrays.stream(all.getKeys() == null ? new JWK[0] : all.getKeys())
                    .filter(k -> Algorithm.ES256.equals(k.getAlgorithm()))
                    .toArray(JWK[]::new));
            return Cors.builder().allowAllOrigins().auth().add(Response.ok(es256).cacheControl(shortCache()));
        });
    }

    private static CacheControl shortCache() {
        CacheControl cc = new CacheControl();
        cc.setMaxAge(300);
        return cc;
    }
}
