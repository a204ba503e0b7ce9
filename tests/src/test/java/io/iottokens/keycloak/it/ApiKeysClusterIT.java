package io.iottokens.keycloak.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.iottokens.keycloak.it.support.Api;
import io.iottokens.keycloak.it.support.KeyRevocationRounds;
import io.iottokens.keycloak.it.support.KeyRevocationRounds.Change;
import io.iottokens.keycloak.it.support.TwoNodes;

/**
 * Two Keycloak nodes in one cluster (Infinispan over TCP, discovery through PostgreSQL, one public hostname
 * as behind a load balancer): a key suspended on one node is refused at once on the other, and the
 * sessions it created end there too. The pack keeps no key state in a node's memory, so there is nothing
 * to invalidate across the cluster.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ApiKeysClusterIT {

    @RegisterExtension
    static final TwoNodes cluster = new TwoNodes("iottokens_cluster");

    @Test
    void suspendingOnOneNodeStopsTheKeyAndItsSessionsOnTheOther(Api a, Api b) throws Exception {
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

    /** Rounds of {@link KeyRevocationRounds} with the uses split between the nodes and the change on node 1. */
    @ParameterizedTest
    @EnumSource(Change.class)
    void aChangeOnOneNodeEndsEveryTokenOfTheRacingUsesOnBoth(Change change) throws Exception {
        new KeyRevocationRounds(new Api(cluster.node1()), new Api(cluster.node2())).run(change, 3);
    }

    /** The same rounds on one node of PostgreSQL (the single-node runs of the suite use the file database). */
    @ParameterizedTest
    @EnumSource(value = Change.class, names = {"SUSPEND", "REVOKE"})
    void aChangeEndsEveryTokenOfTheRacingUsesOnOnePostgresNode(Change change) throws Exception {
        Api a = new Api(cluster.node2());
        new KeyRevocationRounds(a, a).run(change, 3);
    }

    private record Created(String id, String key, String secret) {
    }

    /**
     * kill -9 of node 2 in the middle of key creations and revokes sent to it: every creation it answered 201 exists
     * and its secret works on node 1, every revoke it answered 200 stays revoked, and the restarted node serves the
     * state node 1 changed while it was down. Runs last: it replaces node 2.
     */
    @Test
    @Order(Integer.MAX_VALUE)
    void aKillMinusNineLosesNothingTheNodeAnswered() throws Exception {
        Api a = new Api(cluster.node1());
        Api b = new Api(cluster.node2());
        a.createUser("kill-owner", "kill-owner-password");
        String owner = a.userToken("kill-owner", "kill-owner-password");
        java.util.Queue<Created> created = new java.util.concurrent.ConcurrentLinkedQueue<>();
        java.util.Queue<Created> open = new java.util.concurrent.ConcurrentLinkedQueue<>();
        java.util.Set<String> revoked = java.util.concurrent.ConcurrentHashMap.newKeySet();
        java.util.Set<String> attempted = java.util.concurrent.ConcurrentHashMap.newKeySet();
        java.util.concurrent.atomic.AtomicBoolean down = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.List<Thread> load = new java.util.ArrayList<>();
        for (int t = 0; t < 6; t++) {
            Thread thread = new Thread(() -> {
                while (!down.get()) {
                    try {
                        Created victim = created.size() > 4 ? open.poll() : null;
                        if (victim == null) {
                            Api.Resp r = b.createApiKey(owner, Map.of("memo", "kill -9"));
                            if (r.status() == 201) {
                                Created c = new Created(r.json().get("id").asText(), r.json().get("key").asText(), r.json().get("secret").asText());
                                created.add(c);
                                if (c.id().hashCode() % 2 == 0) {
                                    open.add(c); // half the keys are candidates for a revoke, the others must stay active
                                }
                            }
                        } else if (attempted.add(victim.id()) && b.postJson(b.apiKeysUrl() + "/" + victim.id() + "/revoke", Map.of(), owner).status() == 200) {
                            revoked.add(victim.id());
                        }
                    } catch (RuntimeException connectionGone) {
                        return;
                    }
                }
            });
            thread.start();
            load.add(thread);
        }
        Thread.sleep(5000);
        Created[] survivor = new Created[1];
        double seconds = cluster.killAndRestartNode2(() -> {
            down.set(true);
            for (Thread thread : load) {
                try {
                    thread.join(60_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            assertTrue(created.size() > 5 && !revoked.isEmpty(), "the load ran: " + created.size() + " created, " + revoked.size() + " revoked");
            for (Created c : created) {
                if (attempted.contains(c.id()) && !revoked.contains(c.id())) {
                    continue; // a revoke the kill cut off may or may not have committed: no answer, no promise
                }
                JsonNode key = a.get(a.apiKeysUrl() + "/" + c.id(), owner).json();
                boolean wasRevoked = revoked.contains(c.id());
                assertEquals(wasRevoked ? "revoked" : "active", key.path("status").asText(), "key " + c.id() + " as node 2 answered");
                assertEquals(wasRevoked ? 400 : 200, a.apiKeyGrant("iot-api", c.key(), c.secret(), null).status(), "its secret on node 1");
            }
            // changed on node 1 while node 2 is down, then seen by the restarted node 2
            survivor[0] = created.stream().filter(c -> !attempted.contains(c.id())).findFirst().orElseThrow();
            assertEquals(200, a.postJson(a.apiKeysUrl() + "/" + survivor[0].id() + "/suspend", Map.of(), owner).status());
        });
        System.out.printf("node 2 restarted after kill -9 in %.1f s%n", seconds);
        Api restarted = new Api(cluster.node2());
        assertEquals(400, restarted.apiKeyGrant("iot-api", survivor[0].key(), survivor[0].secret(), null).status(), "suspended on node 1 while node 2 was down");
        assertEquals(200, a.postJson(a.apiKeysUrl() + "/" + survivor[0].id() + "/resume", Map.of(), owner).status());
        assertEquals(200, restarted.apiKeyGrant("iot-api", survivor[0].key(), survivor[0].secret(), null).status(), "and resumed");
    }

}
