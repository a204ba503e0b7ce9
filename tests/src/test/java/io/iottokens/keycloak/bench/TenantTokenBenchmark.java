package io.iottokens.keycloak.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.iottokens.keycloak.it.support.Api;
import io.iottokens.keycloak.it.support.Fixtures;

/**
 * Prints figures, asserts no timing: tenant tokens by single-tenant exchange and by batches of 5, against
 * Keycloak's client_credentials on ONE server (PostgreSQL) in ONE run. Targets of issue #6: exchange >= 0.9x
 * client_credentials; batch-of-5 tokens/s >= 2x single exchanges. Run: {@code mvn -B verify -Pbenchmark}.
 */
@BenchServer.Named("tenant-tokens")
class TenantTokenBenchmark extends BenchmarkBase {

    @Test
    void tenantTokensAgainstClientCredentials() throws Exception {
        Fixtures.App app = Fixtures.app(api, "bench-app", Map.of("attributes", Map.of("access.token.lifespan", "3600")));
        List<String> tenants = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            tenants.add(Fixtures.org(api, "bench-tenant-" + i).alias());
        }
        String adminToken = api.realmManagerToken();
        for (String t : tenants) {
            Api.Resp g = api.putJson(bench.server.realmUrl(Api.REALM) + "/tenant-delegation/tenants/" + t + "/grants/" + app.clientId(),
                    Map.of("accessLevel", "limited"), adminToken);
            assertEquals(201, g.status(), g.toString());
        }

        heading(bench, "Tenant-token benchmark", rounds());
        bench.print("  with the realm's event settings (every TOKEN_EXCHANGE and CLIENT_LOGIN event written to the database):");
        measure(app, tenants);

        // Both grants store their success event by default (one INSERT per token); measured again without
        // event storage, where only the token work is compared.
        eventStorage(bench, false);
        bench.print("  with event storage off (events still reach listeners, none is written to the database):");
        measure(app, tenants);

        // The application's tokens signed with ES256 (Keycloak's client setting), client_credentials' too:
        // the signature is most of a tenant token's cost, so this is the lever an operator has.
        Fixtures.updateClient(api, app.clientId(), c -> c.with("attributes").put("access.token.signed.response.alg", "ES256"));
        bench.print("  event storage off, the application's tokens signed with ES256 (client attribute access.token.signed.response.alg):");
        measure(app, tenants);
    }

    /** The three kinds, prepared with a fresh client_credentials token of the application as subject / bearer, compared. */
    private void measure(Fixtures.App app, List<String> tenants) throws Exception {
        String appToken = Fixtures.clientToken(api, app);
        Map<String, String> exchange = Fixtures.exchangeForm(app.clientId(), app.secret(), appToken);
        exchange.put("tenant", tenants.get(0));
        String batchUrl = bench.server.realmUrl(Api.REALM) + "/tenant-delegation/tokens";
        compare(List.of(new Kind("tenant token, RFC 8693 exchange (1 per call)", bench.preparedToken(exchange)),
                new Kind("tenant tokens, batch of 5 (5 per call)",
                        bench.prepared(batchUrl, "application/json", Api.JSON.writeValueAsString(Map.of("tenants", tenants)), appToken), 5),
                clientCredentials(app.clientId(), app.secret())),
                new Ratio("ratio exchange / client_credentials:", 0, 2, ">= 0.9"),
                new Ratio("ratio batch-of-5 tokens/s / exchange:", 1, 0, ">= 2"));
    }
}
