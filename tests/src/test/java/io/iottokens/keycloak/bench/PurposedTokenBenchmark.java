package io.iottokens.keycloak.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;

import org.junit.jupiter.api.Test;

import io.iottokens.keycloak.it.support.Api;
import io.iottokens.keycloak.it.support.Edge;
import io.iottokens.keycloak.it.support.Fixtures;

/**
 * Prints figures, asserts no timing: purposed-token creation (REST and the token-exchange route, each a
 * stored row + an ES256 signature + the ownership checks of one device and one group) against Keycloak's
 * client_credentials grant on ONE server (PostgreSQL) in ONE run. Target of issue #4: ratio >= 0.7.
 * Run: {@code mvn -B verify -Pbenchmark}.
 */
@BenchServer.Named("purposed-tokens")
class PurposedTokenBenchmark extends BenchmarkBase {

    @Test
    void purposedTokenCreationAgainstClientCredentials() throws Exception {
        String ownerId = api.createUser("bench-tenant", "bench-tenant-password", "user");
        String device = Edge.ownedNode(api, "bench-tenant", "bench-tenant-password");
        String groupId = Fixtures.group(api, "bench-group");
        Fixtures.joinGroup(api, ownerId, groupId);
        prepareRealm(bench, true); // a user token for the whole run
        String userToken = api.userToken("bench-tenant", "bench-tenant-password");

        Map<String, Object> claim = Fixtures.purposedClaim("Benchmark run", List.of(device), List.of(groupId), List.of("upp:verify"), 3600);
        claim.put("originDomains", List.of("https://verify.example.com"));

        // the token route takes only a login token issued to the exchanging client: a confidential app of the run's own
        Fixtures.App app = Fixtures.app(api, "bench-purposed-app", Map.of("serviceAccountsEnabled", false, "directAccessGrantsEnabled", true,
                "attributes", Map.of("access.token.lifespan", "3600")));
        Api.Resp appLogin = api.token(Map.of("grant_type", "password", "client_id", app.clientId(), "client_secret", app.secret(),
                "username", "bench-tenant", "password", "bench-tenant-password"));
        assertEquals(200, appLogin.status(), appLogin.toString());
        Map<String, Object> details = new LinkedHashMap<>(claim);
        details.put("type", "purposed_token");
        Map<String, String> exchange = Fixtures.exchangeForm(app.clientId(), app.secret(), appLogin.json().get("access_token").asText());
        exchange.put("requested_token_type", "urn:iottokens:params:oauth:token-type:purposed");
        exchange.put("authorization_details", Api.JSON.writeValueAsString(List.of(details)));

        IntSupplier create = bench.prepared(Fixtures.purposedUrl(api), "application/json", Api.JSON.writeValueAsString(claim), userToken);
        List<Kind> kinds = List.of(new Kind("purposed token, POST /purposed-tokens", () -> create.getAsInt() == 201 ? 200 : 500),
                new Kind("purposed token, token exchange (RFC 9396)", bench.preparedToken(exchange)),
                clientCredentials("tenant-app-example"));
        heading(bench, "Purposed-token benchmark", rounds());
        compare(kinds, new Ratio("ratio REST creation / client_credentials:", 0, 2, ">= 0.7"),
                new Ratio("ratio exchange creation / client_credentials:", 1, 2, ">= 0.7"));
    }
}
