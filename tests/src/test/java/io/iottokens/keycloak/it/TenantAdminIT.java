package io.iottokens.keycloak.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.iottokens.keycloak.it.support.Api;
import io.iottokens.keycloak.it.support.KeycloakExtension;

/**
 * {@code /admin/realms/{realm}/tenant-grants}: realm administrators list, read and revoke every tenant's grants
 * (view-realm to read, manage-realm to revoke), each revocation an admin event; a revoked grant's application gets
 * no tenant token any more.
 */
@ExtendWith(KeycloakExtension.class)
class TenantAdminIT {

    /** An organization (id, alias), an application (clientId, secret) granted read-write by it, and the grant's id. */
    private record Granted(String orgId, String alias, String clientId, String secret, String grantId) {
    }

    private static String created(Api.Resp r) {
        assertEquals(201, r.status(), r.toString());
        return r.header("Location").orElseThrow().replaceAll(".*/", "");
    }

    private static Granted granted(Api api, String realmAdmin) {
        String alias = Api.unique("tga");
        String orgId = created(api.adminPost("/organizations", Map.of("name", alias, "alias", alias,
                "domains", List.of(Map.of("name", alias + ".example.com")))));
        String clientId = Api.unique("tgapp");
        String secret = UUID.randomUUID().toString();
        created(api.adminPost("/clients", Map.of("clientId", clientId, "publicClient", false, "secret", secret,
                "serviceAccountsEnabled", true, "standardFlowEnabled", false)));
        String grants = api.server().realmUrl(Api.REALM) + "/tenant-delegation/tenants/" + alias + "/grants/" + clientId;
        assertEquals(201, api.putJson(grants, Map.of("accessLevel", "read-write"), realmAdmin).status());
        JsonNode listed = api.adminGet("/tenant-grants?org=" + alias).json();
        assertEquals(1, listed.size(), listed.toString());
        return new Granted(orgId, alias, clientId, secret, listed.get(0).get("id").asText());
    }

    private static int tenantToken(Api api, Granted g) {
        Api.Resp app = api.token(Map.of("grant_type", "client_credentials", "client_id", g.clientId(), "client_secret", g.secret()));
        assertEquals(200, app.status(), app.toString());
        return api.token(Map.of("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange", "client_id", g.clientId(),
                "client_secret", g.secret(), "subject_token", app.json().get("access_token").asText(),
                "subject_token_type", "urn:ietf:params:oauth:token-type:access_token", "tenant", g.alias())).status();
    }

    /** A user holding only realm-management's {@code view-realm}: their token. */
    private static String realmViewerToken(Api api) {
        String name = Api.unique("rviewer");
        String id = api.createUser(name, name + "-pw");
        String rm = api.adminGet("/clients?clientId=realm-management").json().get(0).get("id").asText();
        JsonNode role = api.adminGet("/clients/" + rm + "/roles/view-realm").json();
        assertEquals(204, api.adminPost("/users/" + id + "/role-mappings/clients/" + rm, List.of(role)).status());
        return api.userToken(name, name + "-pw");
    }

    private static String url(Api api, String path) {
        return api.server().adminUrl(Api.REALM) + "/tenant-grants" + path;
    }

    @Test
    void realmAdministratorsListReadAndRevokeGrants(Api api) {
        String realmAdmin = api.realmManagerToken();
        Granted g = granted(api, realmAdmin);
        Granted other = granted(api, realmAdmin);

        JsonNode one = api.adminGet("/tenant-grants/" + g.grantId()).json();
        assertEquals(List.of("id", "tenant", "tenantId", "clientId", "accessLevel", "scopes", "grantedBy", "grantedAt"),
                Api.JSON.convertValue(one, Map.class).keySet().stream().toList());
        assertEquals(g.alias(), one.get("tenant").asText());
        assertEquals(g.orgId(), one.get("tenantId").asText());
        assertEquals(g.clientId(), one.get("clientId").asText());
        assertEquals("read-write", one.get("accessLevel").asText());
        assertTrue(one.get("scopes").size() > 0, one.toString());

        assertEquals(1, api.adminGet("/tenant-grants?client=" + g.clientId()).json().size());
        assertEquals(1, api.adminGet("/tenant-grants?org=" + g.orgId() + "&client=" + g.clientId()).json().size(), "org by id too");
        assertEquals(0, api.adminGet("/tenant-grants?org=" + g.alias() + "&client=" + other.clientId()).json().size());
        JsonNode page = api.adminGet("/tenant-grants?first=0&max=100").json();
        assertTrue(page.size() >= 2 && page.size() <= 100, "across organizations");

        // a view-realm holder reads, but does not revoke; manage-realm revokes
        String viewer = realmViewerToken(api);
        assertEquals(200, api.get(url(api, "/" + g.grantId()), viewer).status());
        assertEquals(403, api.delete(url(api, "/" + g.grantId()), viewer).status());

        assertEquals(200, tenantToken(api, g));
        Api.Resp revoked = api.delete(url(api, "/" + g.grantId()), realmAdmin);
        assertEquals(204, revoked.status(), revoked.toString());
        assertEquals(403, tenantToken(api, g), "no tenant token once the grant is revoked");
        assertEquals(200, tenantToken(api, other), "the other grant stands");
        assertEquals(404, api.adminGet("/tenant-grants/" + g.grantId()).status());
        assertEquals(404, api.adminDelete("/tenant-grants/" + g.grantId()).status(), "revoked already");
        assertEquals(0, api.adminGet("/tenant-grants?org=" + g.alias()).json().size());

        JsonNode events = api.adminGet("/admin-events?resourceTypes=CUSTOM&resourcePath=tenant-delegation/tenants/" + g.orgId() + "/grants/*&max=50").json();
        boolean created = false;
        boolean deleted = false;
        for (JsonNode e : events) {
            created |= "CREATE".equals(e.path("operationType").asText());
            deleted |= "DELETE".equals(e.path("operationType").asText())
                    && e.path("resourcePath").asText().equals("tenant-delegation/tenants/" + g.orgId() + "/grants/" + g.clientId());
        }
        assertTrue(created && deleted, "the grant and its revocation are admin events: " + events);
    }

    @Test
    void refusals(Api api) {
        Granted g = granted(api, api.realmManagerToken());
        String name = Api.unique("plain");
        api.createUser(name, name + "-pw");
        String plain = api.userToken(name, name + "-pw");
        assertEquals(403, api.get(url(api, ""), plain).status(), "no realm role: no grants");
        assertEquals(403, api.get(url(api, "/" + g.grantId()), plain).status());
        assertEquals(403, api.delete(url(api, "/" + g.grantId()), plain).status());
        assertEquals(401, api.get(url(api, ""), null).status());

        assertError(api.adminGet("/tenant-grants/" + UUID.randomUUID()), 404, "Grant not found");
        assertError(api.adminGet("/tenant-grants/" + "x".repeat(300)), 404, "Grant not found");
        assertError(api.adminDelete("/tenant-grants/" + UUID.randomUUID()), 404, "Grant not found");
        assertError(api.adminGet("/tenant-grants?org=no-such-tenant-" + UUID.randomUUID()), 404, "Tenant not found");
        assertError(api.adminGet("/tenant-grants?client=no-such-app-" + UUID.randomUUID()), 404, "Application not found");
        assertError(api.adminGet("/tenant-grants?max=500"), 400, "max");
        assertError(api.adminGet("/tenant-grants?first=-1"), 400, "first");
        assertError(api.adminGet("/tenant-grants?max=abc"), 400, "max");
    }

    @Test
    void realmAdministratorsGrantAndChangeGrants(Api api) {
        Granted g = granted(api, api.realmManagerToken());
        String clientId = Api.unique("tgapp");
        String secret = UUID.randomUUID().toString();
        created(api.adminPost("/clients", Map.of("clientId", clientId, "publicClient", false, "secret", secret,
                "serviceAccountsEnabled", true, "standardFlowEnabled", false)));
        String path = "/tenant-grants/" + g.alias() + "/" + clientId;

        Api.Resp made = api.adminPut(path, Map.of("accessLevel", "read-write"));
        assertEquals(201, made.status(), made.toString());
        String id = made.json().get("id").asText();
        assertEquals(g.orgId(), made.json().get("tenantId").asText());
        assertEquals(clientId, made.json().get("clientId").asText());
        assertEquals("read-write", api.adminGet("/tenant-grants/" + id).json().get("accessLevel").asText());
        Granted mine = new Granted(g.orgId(), g.alias(), clientId, secret, id);
        assertEquals(200, tenantToken(api, mine), "the application gets tenant tokens");

        // by organization id too; a change answers 200 with the same grant
        Api.Resp changed = api.adminPut("/tenant-grants/" + g.orgId() + "/" + clientId, Map.of("accessLevel", "custom", "scopes", List.of("iot:assets:read")));
        assertEquals(200, changed.status(), changed.toString());
        assertEquals(id, changed.json().get("id").asText());
        assertEquals(List.of("iot:assets:read"), Api.JSON.convertValue(changed.json().get("scopes"), List.class));
        // the tenant admin's view shows the change
        assertEquals("custom", api.get(api.server().realmUrl(Api.REALM) + "/tenant-delegation/tenants/" + g.alias() + "/grants/" + clientId,
                api.realmManagerToken()).json().get("accessLevel").asText());

        // refusals: the same validation as the tenant admin's; nothing changed by them
        assertError(api.adminPut(path, Map.of("accessLevel", "everything")), 400, "accessLevel");
        assertError(api.adminPut(path, Map.of("accessLevel", "limited", "scopes", List.of("iot:assets:read"))), 400, "scopes");
        assertError(api.adminPut(path, Map.of("accessLevel", "custom", "scopes", List.of("no:such"))), 400, "unknown scope");
        assertError(api.adminPut(path, Map.of("accessLevel", "limited", "bogus", 1)), 400, "bogus");
        assertError(api.adminPut("/tenant-grants/" + g.alias() + "/iot-api", Map.of("accessLevel", "limited")), 400, "not an application");
        assertError(api.adminPut("/tenant-grants/no-such-org-" + UUID.randomUUID() + "/" + clientId, Map.of("accessLevel", "limited")), 404, "Tenant not found");
        assertError(api.adminPut("/tenant-grants/" + g.alias() + "/no-such-app-" + UUID.randomUUID(), Map.of("accessLevel", "limited")), 404, "Application not found");
        String viewer = realmViewerToken(api);
        assertEquals(403, api.putJson(url(api, "/" + g.alias() + "/" + clientId), Map.of("accessLevel", "limited"), viewer).status(), "view-realm does not write");
        assertEquals(401, api.putJson(url(api, "/" + g.alias() + "/" + clientId), Map.of("accessLevel", "limited"), null).status());
        assertEquals("custom", api.adminGet("/tenant-grants/" + id).json().get("accessLevel").asText(), "the refused puts changed nothing");

        JsonNode events = api.adminGet("/admin-events?resourceTypes=CUSTOM&resourcePath=tenant-delegation/tenants/" + g.orgId() + "/grants/"
                + clientId + "&max=50").json();
        List<String> ops = new java.util.ArrayList<>();
        events.forEach(e -> ops.add(e.path("operationType").asText()));
        assertTrue(ops.contains("CREATE") && ops.contains("UPDATE") && ops.size() == 2, "one event per change, on the tenant admin's path: " + events);

        assertEquals(204, api.adminDelete("/tenant-grants/" + id).status(), "GET and DELETE /{id} work on it");
    }

    /**
     * A broken realm level map is refused by name, never silently replaced by the defaults; revoking does not need the
     * levels and works meanwhile (the administrators' way out while the setting is repaired).
     */
    @Test
    void aBrokenRealmLevelMapIsRefusedClearly(Api api) {
        Granted g = granted(api, api.realmManagerToken());
        Granted revokedMeanwhile = granted(api, api.realmManagerToken());
        JsonNode realm = api.adminGet("").json();
        ObjectNode broken = realm.deepCopy();
        broken.with("attributes").put("iottokens.tenant.levels", "{\"read_write\": \"a\"}");
        assertEquals(204, api.adminPut("", broken).status());
        try {
            Api.Resp r = api.adminGet("/tenant-grants/" + g.grantId());
            assertError(r, 503, "iottokens.tenant.levels");
            assertEquals(503, tenantToken(api, g));
            assertEquals(204, api.adminDelete("/tenant-grants/" + revokedMeanwhile.grantId()).status());
        } finally {
            // the setting as it was (blank: none), whether or not the realm update drops attributes it is not sent
            ObjectNode restored = realm.deepCopy();
            restored.with("attributes").put("iottokens.tenant.levels", realm.path("attributes").path("iottokens.tenant.levels").asText(""));
            assertEquals(204, api.adminPut("", restored).status());
        }
        assertEquals(200, api.adminGet("/tenant-grants/" + g.grantId()).status());
        assertEquals(200, tenantToken(api, g));
        assertEquals(404, api.adminGet("/tenant-grants/" + revokedMeanwhile.grantId()).status());
        assertEquals(403, tenantToken(api, revokedMeanwhile), "the revocation made while the levels were broken holds");
    }

    private static void assertError(Api.Resp r, int status, String inDescription) {
        assertEquals(status, r.status(), r.toString());
        assertTrue(r.json().path("error_description").asText().contains(inDescription), r.toString());
    }
}
