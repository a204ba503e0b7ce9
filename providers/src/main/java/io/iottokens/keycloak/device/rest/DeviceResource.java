package io.iottokens.keycloak.device.rest;

import java.io.InputStream;
import java.util.Map;

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
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.managers.AuthenticationManager.AuthResult;
import org.keycloak.util.JsonSerialization;

import com.fasterxml.jackson.databind.JsonNode;

import io.iottokens.keycloak.common.BearerPolicy;
import io.iottokens.keycloak.common.JsonBody;
import io.iottokens.keycloak.common.NoStore;
import io.iottokens.keycloak.common.PackException;
import io.iottokens.keycloak.common.Paging;
import io.iottokens.keycloak.common.RawBody;
import io.iottokens.keycloak.common.RestCors;
import io.iottokens.keycloak.common.RestEdge;
import io.iottokens.keycloak.device.DeviceEvents;
import io.iottokens.keycloak.device.DeviceKeys;
import io.iottokens.keycloak.device.DeviceService;
import io.iottokens.keycloak.device.jpa.DeviceEntity;

/**
 * {@code /realms/{realm}/devices}: key registration by the device (proof of possession: the body is signed by
 * the key it registers; a device with an owner also needs the owner's login token) and the owner's view of
 * their devices (read, unassociate, forget). Another user's device is a 404. Every change is an admin event ({@link DeviceEvents}). Mounted by
 * the composition root, which also hands {@code associate} and {@code unassociate} to the edge feature.
 */
public final class DeviceResource {

    private static final Logger LOG = Logger.getLogger(DeviceResource.class);
    /** The largest body a device or an administrator may send (a JWK, a list of groups). */
    static final int MAX_BODY_BYTES = 16 * 1024;

    private final KeycloakSession session;
    private final RealmModel realm;
    private final DeviceService service;

    public DeviceResource(KeycloakSession session) {
        this.session = session;
        this.realm = session.getContext().getRealm();
        this.service = new DeviceService(session);
    }

    /**
     * {@code {"publicKey": JWK}} signed with that key: {@code X-Signature} (alias {@code X-Ubirch-Signature}) =
     * base64 of the signature of the SHA-512 digest of the raw body. 201 when registered, 200 when this very
     * key was registered already, 409 when another key is. A device that has an owner (associated, bootstrapped)
     * takes a key only with the owner's bearer login token ({@link #vouchingOwner}).
     */
    @POST
    @Path("{id}/key")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response registerKey(@PathParam("id") String id, @HeaderParam("X-Signature") String signature,
                                @HeaderParam("X-Ubirch-Signature") String ubirchSignature, InputStream body) {
        return RestEdge.call(session, () -> doRegisterKey(id, signature, ubirchSignature, body));
    }

    private Response doRegisterKey(String id, String signature,
                                   String ubirchSignature, InputStream body) {
        DeviceService.requireValidId(id);
        byte[] raw = RawBody.read(body, MAX_BODY_BYTES);
        String sig = signature != null ? signature : ubirchSignature;
        if (sig == null || sig.isBlank()) {
            throw PackException.badRequest("Header 'X-Signature' (or 'X-Ubirch-Signature') is required: base64 signature of the SHA-512 digest of the body");
        }
        JsonNode json = JsonBody.strictTree(raw);
        if (json == null || !json.isObject() || !json.path("publicKey").isObject() || json.size() != 1) {
            throw PackException.badRequest("The body must be {\"publicKey\": <JWK>} and nothing else");
        }
        DeviceKeys.DeviceKey key;
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> jwk = JsonSerialization.mapper.convertValue(json.get("publicKey"), Map.class);
            key = DeviceKeys.parse(jwk);
        } catch (IllegalArgumentException e) {
            throw PackException.badRequest("Field 'publicKey': " + e.getMessage());
        }
        if (!DeviceKeys.verify(key, raw, sig)) {
            throw new PackException(Response.Status.BAD_REQUEST.getStatusCode(), "invalid_signature",
                    "The signature does not verify with the key in the body (SHA-512 digest of the raw body)");
        }
        AuthResult owner = vouchingOwner(id, key);
        DeviceService.Registration r = service.registerKey(realm, id, key, owner == null ? null : owner.getUser().getId());
        if (r.created()) {
            LOG.debugf("Device %s registered key %s", id, key.thumbprint());
            // an admin event names who changed what; a device proving possession of a key is nobody, and anyone can send
            // such requests: recording them would let unauthenticated callers fill the admin-event store (the row is the record)
            if (owner != null) {
                DeviceEvents.action(DeviceEvents.by(session, realm, owner), DeviceEvents.REGISTER_KEY, id, r.device().getOwnerId(),
                        DeviceRepresentation.of(r.device(), true));
            }
        }
        return Response.status(r.created() ? Response.Status.CREATED : Response.Status.OK)
                .header(HttpHeaders.CACHE_CONTROL, NoStore.VALUE)
                .entity(new KeyRegistration(id, r.device().getKeyThumbprint()))
                .type(MediaType.APPLICATION_JSON_TYPE)
                .build();
    }

    /**
     * The owner vouching for a key of their device: without it, anyone could put a key of their own on a node
     * another account has associated but not yet keyed, which breaks the owner's edge exchange (it then demands
     * an actor token signed by that key) and hands the stranger node-bound tokens. Null for a device without an
     * owner (self-registration by proof of possession alone; a bearer token, if sent, plays no part) and for the
     * key already registered (presenting it again changes nothing). Otherwise the owner's login token is required:
     * 401 without a valid one, 403 for another kind of token, 404 when the device is another account's (as for
     * every device the caller may not see). The owner's authentication names them in the change's admin event.
     */
    private AuthResult vouchingOwner(String id, DeviceKeys.DeviceKey key) {
        DeviceEntity d = service.byDeviceId(realm, id);
        if (d == null || d.getOwnerId() == null || key.thumbprint().equals(d.getKeyThumbprint())) {
            return null;
        }
        AuthResult auth = BearerPolicy.DEVICE_KEY_OWNER.require(session);
        if (!auth.getUser().getId().equals(d.getOwnerId())) {
            throw PackException.notFound("Device not found");
        }
        return auth;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response list(@QueryParam("first") String first, @QueryParam("max") String max) {
        return RestEdge.call(session, () -> {
            AuthResult auth = caller();
            return NoStore.ok(service.search(realm, auth.getUser().getId(), null, Paging.of(first, max)).stream()
                    .map(d -> DeviceRepresentation.of(d, false)).toList());
        });
    }

    @GET
    @Path("{id}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response get(@PathParam("id") String id) {
        return RestEdge.call(session, () -> {
            AuthResult auth = caller();
            return NoStore.ok(DeviceRepresentation.of(owned(auth, id), false));
        });
    }

    /** Unassociates the device and forgets its owner and groups; its registered key stays. */
    @DELETE
    @Path("{id}")
    public Response forget(@PathParam("id") String id) {
        return RestEdge.call(session, () -> {
            AuthResult auth = caller();
            DeviceEntity d = owned(auth, id);
            service.forget(realm, d, auth.getUser().getId());
            DeviceEvents.action(DeviceEvents.by(session, realm, auth), DeviceEvents.FORGET, id, auth.getUser().getId(),
                    DeviceRepresentation.of(d, true));
            return Response.noContent().build();
        });
    }

    /**
     * The owner ends the node's association (the account console's "unassociate"): what the node's own
     * {@code POST devices/unassociate} does, with the owner's login token instead of the node's edge token. The device
     * loses its owner and groups (its key stays), the release publishes {@code DeviceReleased} and the node's edge
     * sessions end. 200 with the device as it is now (no {@code associatedAt}). A device that is not the caller's is a
     * 404, as for {@link #get}; that includes a device that is not associated (it has no owner, so it is nobody's:
     * answering otherwise would tell any signed-in user which device ids exist), and a repeat of this request.
     */
    @POST
    @Path("{id}/unassociate")
    @Produces(MediaType.APPLICATION_JSON)
    public Response unassociate(@PathParam("id") String id) {
        return RestEdge.call(session, () -> {
            AuthResult auth = caller();
            DeviceEntity d = owned(auth, id);
            service.forget(realm, d, auth.getUser().getId());
            DeviceRepresentation now = DeviceRepresentation.of(d, false);
            DeviceEvents.action(DeviceEvents.by(session, realm, auth), DeviceEvents.UNASSOCIATE, id, auth.getUser().getId(),
                    DeviceRepresentation.of(d, true));
            return NoStore.ok(now);
        });
    }

    @OPTIONS
    @Path("{any:.*}")
    public Response preflight() {
        return RestCors.preflight();
    }

    private AuthResult caller() {
        return BearerPolicy.DEVICES.require(session);
    }

    private DeviceEntity owned(AuthResult auth, String id) {
        DeviceEntity d = service.byDeviceId(realm, id);
        if (d == null || !auth.getUser().getId().equals(d.getOwnerId())) {
            throw PackException.notFound("Device not found");
        }
        return d;
    }
}
