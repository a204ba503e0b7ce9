package io.iottokens.keycloak.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;

import io.iottokens.keycloak.it.support.Api;
import io.iottokens.keycloak.it.support.TwoNodes;

/**
 * Two Keycloak nodes in one cluster (Infinispan over TCP, discovery through PostgreSQL, one public hostname
 * as behind a load balancer): a key suspended on one node is refused at once on the other, and the
 * sessions it created end there too. The pack keeps no key state in a node's memory, so there is nothing
 * to invalidate across the cluster.
 */
class ApiKeysClusterIT {

    @RegisterExtension
    static final TwoNodes cluster = new TwoNodes("iottokens_cluster");

    @Test
    void suspendingOnOneNodeStopsTheKeyAndItsSessionsOnTheOther() throws Exception {
        assertTrue(cluster.formedOneCluster(), "the two nodes formed one cluster");
        Api a = new Api(cluster.node1());
        Api b = new Api(cluster.node2());
        a.createUser("cluster-owner", "cluster-owner-password");
        JsonNode key = a.createApiKey(a.userToken("cluster-owner", "cluster-owner-password"), Map.of("memo", "two nodes")).json();
        String k = key.get("key").asText();
        String s = key.get("secret").asText();

        Api.Resp onB = b.apiKeyGrant("iot-api", k, s, null);
        assertEquals(200, onB.status(), "a key created on node 1 works on node 2: " + onB);
        String refreshFromB = onB.json().get("refresh_token").asText();
        String accessFromB = onB.json().get("access_token").asText();
        assertEquals(200, a.refresh("iot-api", refreshFromB).status(), "node 2's session refreshes on node 1");
        assertTrue(a.introspect(accessFromB).json().get("active").asBoolean());

        Api.Resp suspended = b.adminPost("/api-keys/" + key.get("id").asText() + "/suspend", Map.of());
        assertEquals(200, suspended.status(), suspended.toString());

        Api.Resp grantOnA = a.apiKeyGrant("iot-api", k, s, null);
        assertEquals(400, grantOnA.status(), "refused at once on the other node: " + grantOnA);
        assertEquals(400, a.refresh("iot-api", refreshFromB).status(), "the session ended cluster-wide");
        assertFalse(a.introspect(accessFromB).json().get("active").asBoolean());

        assertEquals(200, a.adminPost("/api-keys/" + key.get("id").asText() + "/resume", Map.of()).status());
        assertEquals(200, b.apiKeyGrant("iot-api", k, s, null).status(), "resumed on node 1, usable on node 2");
    }
}
