package io.iottokens.keycloak.edge.rest;

import java.util.Arrays;

import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.managers.AuthenticationManager.AuthResult;

import io.iottokens.keycloak.common.BearerPolicy;
import io.iottokens.keycloak.common.NoStore;
import io.iottokens.keycloak.common.PackException;
import io.iottokens.keycloak.common.RestEdge;
import io.iottokens.keycloak.device.DeviceEvents;
import io.iottokens.keycloak.device.DeviceService;
import io.iottokens.keycloak.device.jpa.DeviceEntity;
import io.iottokens.keycloak.edge.EdgeProtocolMapper;
import io.iottokens.keycloak.edge.EdgeSessions;

/**
 * mimik's {@code account associate} and {@code account unassociate}: the node itself, with its edge token, takes or
 * leaves an owner. The HTTP contract (docs/openapi.yaml) puts them at {@code POST /realms/{realm}/devices/associate}
 * and {@code /devices/unassociate}; the composition root mounts them there next to the device registry's own
 * endpoints. Every method body runs in {@link RestEdge#call}; every answered request is an admin event on the node
 * ({@link DeviceEvents}, detail {@code action}).
 */
public final class EdgeNodeResource {

    private static final Logger LOG = Logger.getLogger(EdgeNodeResource.class);

    private final KeycloakSession session;
    private final RealmModel realm;
    private final DeviceService devices;

    public EdgeNodeResource(KeycloakSession session) {
        this.session = session;
        this.realm = session.getContext().getRealm();
        this.devices = new DeviceService(session);
    }

    /**
     * The bearer is an edge token (scope {@code edge:account:associate}, claim {@code node_id}); its user becomes the
     * node's owner. 409 when another account owns the node.
     */
    public Response associate() {
        return RestEdge.call(session, () -> {
            EdgeCaller edge = edgeCaller("edge:account:associate");
            DeviceEntity d = devices.associate(realm, edge.nodeId(), edge.auth().getUser().getId(), edge.releases());
            LOG.debugf("Node %s associated with user %s", edge.nodeId(), d.getOwnerId());
            NodeAnswers.Associated answer = NodeAnswers.associated(d.getOwnerId());
            DeviceEvents.action(DeviceEvents.by(session, realm, edge.auth()), DeviceEvents.ASSOCIATE, edge.nodeId(), d.getOwnerId(), answer);
            return NoStore.ok(answer);
        });
    }

    /**
     * The node loses its owner (and groups). Idempotent (the event is recorded for every answered request, with the
     * caller as {@code userId}); 409 if another account owns it.
     */
    public Response unassociate() {
        return RestEdge.call(session, () -> {
            EdgeCaller edge = edgeCaller("edge:account:unassociate");
            String userId = edge.auth().getUser().getId();
            devices.unassociate(realm, edge.nodeId(), userId, edge.releases());
            NodeAnswers.Unassociated answer = NodeAnswers.unassociated();
            DeviceEvents.action(DeviceEvents.by(session, realm, edge.auth()), DeviceEvents.UNASSOCIATE, edge.nodeId(), userId, answer);
            return NoStore.ok(answer);
        });
    }

    /** The edge token's authentication, its node, and the node's release count its session was opened under. */
    private record EdgeCaller(AuthResult auth, String nodeId, Long releases) {
    }

    private EdgeCaller edgeCaller(String requiredScope) {
        AuthResult auth = BearerPolicy.EDGE_ACCOUNT.require(session);
        Object nodeId = auth.getToken().getOtherClaims().get(EdgeProtocolMapper.CLAIM_NODE_ID);
        if (!(nodeId instanceof String node) || node.isEmpty()) {
            throw PackException.forbidden("An edge token (with node_id) is required");
        }
        String scope = auth.getToken().getScope();
        if (scope == null || !Arrays.asList(scope.split(" ")).contains(requiredScope)) {
            throw new PackException(Response.Status.FORBIDDEN.getStatusCode(), "insufficient_scope", "The edge token lacks the scope " + requiredScope);
        }
        return new EdgeCaller(auth, node, EdgeSessions.releases(auth.getSession()));
    }
}
