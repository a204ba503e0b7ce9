package io.iottokens.keycloak.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;

import io.iottokens.keycloak.it.support.Api;
import io.iottokens.keycloak.it.support.Edge;

/**
 * Prints figures, asserts no timing: purposed-token creation (REST and the token-exchange route, each a
 * stored row + an ES256 signature + the ownership checks of one device and one group) against Keycloak's
 * client_credentials grant on ONE server (PostgreSQL) in ONE run. Target of issue #4: ratio >= 0.7.
 * Run: {@code mvn -B verify -Pbenchmark}.
 */
class PurposedTokenBenchmark {

    @RegisterExtension
    static final BenchServer.Lifecycle LIFECYCLE = BenchServer.lifecycle("purposed-tokens");

    private static BenchServer bench;
    private static Api api;

    @BeforeAll
    static void bind() {
        bench = LIFECYCLE.get();
        api = bench.api;
    }

    @Test
    void purposedTokenCreationAgainstClientCredentials() throws Exception {
        String ownerId = api.createUser("bench-tenant", "bench-tenant-password", "user");
        String device = Edge.ownedNode(api, "bench-tenant", "bench-tenant-password");
        Api.Resp g = api.adminPost("/groups", Map.of("name", "bench-group"));
        String groupId = g.header("Location").orElseThrow().replaceAll(".*/", "");
        assertEquals(204, api.adminPut("/users/" + ownerId + "/groups/" + groupId, Map.of()).status());
        // a long-lived user token for the run (iot-api tokens live 5 minutes)
        JsonNode realm = api.adminGet("").json();
        ((com.fasterxml.jackson.databind.node.ObjectNode) realm).put("accessTokenLifespan", 3600);
        ((com.fasterxml.jackson.databind.node.ObjectNode) realm).put("bruteForceProtected", false);
        assertEquals(204, api.adminPut("", realm).status());
        JsonNode iotApi = api.adminGet("/clients?clientId=iot-api").json().get(0);
        ((com.fasterxml.jackson.databind.node.ObjectNode) iotApi.with("attributes")).put("access.token.lifespan", "3600");
        assertEquals(204, api.adminPut("/clients/" + iotApi.get("id").asText(), iotApi).status());
        String userToken = api.userToken("bench-tenant", "bench-tenant-password");

        Map<String, Object> claim = new LinkedHashMap<>();
        claim.put("purpose", "Benchmark run");
        claim.put("targetIdentities", List.of(device));
        claim.put("targetGroups", List.of(groupId));
        claim.put("expiration", 3600);
        claim.put("originDomains", List.of("https://verify.example.com"));
        claim.put("scopes", List.of("upp:verify"));
        String url = bench.server.realmUrl(Api.REALM) + "/purposed-tokens";

        // the token route takes only a login token issued to the exchanging client: a confidential app of the run's own
        String appSecret0 = java.util.UUID.randomUUID().toString();
        assertEquals(201, api.adminPost("/clients", Map.of("clientId", "bench-purposed-app", "publicClient", false, "secret", appSecret0,
                "directAccessGrantsEnabled", true, "standardFlowEnabled", false, "attributes", Map.of("access.token.lifespan", "3600"))).status());
        Api.Resp appLogin = api.token(Map.of("grant_type", "password", "client_id", "bench-purposed-app", "client_secret", appSecret0,
                "username", "bench-tenant", "password", "bench-tenant-password"));
        assertEquals(200, appLogin.status(), appLogin.toString());
        String appUserToken = appLogin.json().get("access_token").asText();
        Map<String, Object> details = new LinkedHashMap<>(claim);
        details.put("type", "purposed_token");
        Map<String, String> exchange = Map.of("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange",
                "client_id", "bench-purposed-app", "client_secret", appSecret0, "subject_token", appUserToken,
                "subject_token_type", "urn:ietf:params:oauth:token-type:access_token",
                "requested_token_type", "urn:iottokens:params:oauth:token-type:purposed",
                "authorization_details", Api.JSON.writeValueAsString(List.of(details)));
        JsonNode app = api.adminGet("/clients?clientId=tenant-app-example").json().get(0);
        String appSecret = api.adminGet("/clients/" + app.get("id").asText() + "/client-secret").json().get("value").asText();

        IntSupplier create = bench.prepared(url, "application/json", Api.JSON.writeValueAsString(claim), userToken);
        IntSupplier rest = () -> create.getAsInt() == 201 ? 200 : 500;
        IntSupplier viaExchange = bench.preparedToken(exchange);
        IntSupplier clientCredentials = bench.preparedToken(Map.of("grant_type", "client_credentials",
                "client_id", "tenant-app-example", "client_secret", appSecret));
        List<IntSupplier> runs = List.of(rest, viaExchange, clientCredentials);
        String[] names = {"purposed token, POST /purposed-tokens", "purposed token, token exchange (RFC 9396)", "client_credentials (built-in)"};

        bench.print(String.format("Purposed-token benchmark: Keycloak %s, PostgreSQL, %d client threads, %d cores, %.0f s per kind in %d rounds after %.0f s warm-up",
                System.getProperty("keycloak.version"), BenchServer.THREADS, Runtime.getRuntime().availableProcessors(), BenchServer.SECONDS,
                BenchServer.ROUNDS, BenchServer.WARMUP_SECONDS));
        BenchServer.Figures f = bench.measure(runs, names, null);
        for (int i = 0; i < names.length; i++) {
            bench.print(String.format("  %-46s %8.1f tokens/s", names[i], f.mean(i)));
        }
        bench.print(f.ratioLine("ratio REST creation / client_credentials:", 0, 2, ">= 0.7"));
        bench.print(f.ratioLine("ratio exchange creation / client_credentials:", 1, 2, ">= 0.7"));
    }
}
