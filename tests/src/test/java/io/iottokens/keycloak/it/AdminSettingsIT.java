package io.iottokens.keycloak.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

import io.iottokens.keycloak.it.support.Api;
import io.iottokens.keycloak.it.support.KeycloakExtension;

/**
 * {@code /admin/realms/{realm}/iot-tokens/settings}: the pack's realm and client attributes as one typed document;
 * view-realm reads, manage-realm writes; values are checked by the features' own parsers (a refused PUT changes
 * nothing); absent fields are unchanged, null resets; a changing PUT is one admin event; a set value is enforced.
 */
@ExtendWith(KeycloakExtension.class)
class AdminSettingsIT {

    private static final String PATH = "/iot-tokens/settings";

    private static String url(Api api) {
        return api.server().adminUrl(Api.REALM) + PATH;
    }

    private static String managementUser(Api api, String... roles) {
        String name = Api.unique("settings");
        String id = api.createUser(name, name + "-pw");
        String rm = api.adminGet("/clients?clientId=realm-management").json().get(0).get("id").asText();
        List<JsonNode> mapped = new java.util.ArrayList<>();
        for (String role : roles) {
            mapped.add(api.adminGet("/clients/" + rm + "/roles/" + role).json());
        }
        if (!mapped.isEmpty()) {
            assertEquals(204, api.adminPost("/users/" + id + "/role-mappings/clients/" + rm, mapped).status());
        }
        return api.userToken(name, name + "-pw");
    }

    private static JsonNode realmAttributes(Api api) {
        return api.adminGet("").json().path("attributes");
    }

    private static int settingsEvents(Api api) {
        return api.adminGet("/admin-events?resourceTypes=CUSTOM&operationTypes=UPDATE&resourcePath=iot-tokens/settings&max=1000").json().size();
    }

    @Test
    void theDocumentShowsTheRealmAndClientSettingsTyped(Api api) {
        JsonNode doc = api.adminGet(PATH).json();
        assertEquals(List.of("apiKeyMaxLifetime", "purposedScopes", "purposedAudiences", "purposedMaxLifetime", "purposedBootstrapWindow",
                "tenantLevels", "tenantBatchLimit", "tenantTokenLifespan", "tenantAudiences", "clients", "problems"),
                Api.JSON.convertValue(doc, Map.class).keySet().stream().toList());
        // the iot realm's import sets these
        assertEquals(300, doc.get("purposedBootstrapWindow").asInt(), doc.toString());
        assertEquals(2592000, doc.get("purposedMaxLifetime").asInt(), doc.toString());
        assertEquals("iot-platform", doc.at("/purposedAudiences/upp:verify/0").asText(), doc.toString());
        assertTrue(doc.at("/clients/iot-api/apiKeyGrantEnabled").asBoolean(), doc.toString());
        assertTrue(doc.path("clients").path("edge-cli").isMissingNode() || doc.at("/clients/edge-cli/edgeEnabled").isBoolean(), doc.toString());
        assertTrue(doc.get("tenantBatchLimit").isNull(), "unset: null, the default applies");
        String text = doc.toString().toLowerCase();
        assertFalse(text.contains("pepper") || text.contains("hashkey") || text.contains("grants-version"), "no secret, no internal attribute: " + doc);
    }

    @Test
    void changesAreValidatedEnforcedAndAuditedAndNullResets(Api api) {
        String user = Api.unique("settings-owner");
        api.createUser(user, user + "-pw", "user");
        String login = api.userToken(user, user + "-pw");
        int events = settingsEvents(api);
        try {
            Api.Resp put = api.adminPut(PATH, Map.of("apiKeyMaxLifetime", "P1D", "tenantBatchLimit", 2,
                    "tenantLevels", Map.of("limited", "iot:assets:read iot:files:read")));
            assertEquals(200, put.status(), put.toString());
            assertEquals("P1D", put.json().get("apiKeyMaxLifetime").asText());
            assertEquals(2, put.json().get("tenantBatchLimit").asInt());
            assertEquals(List.of("iot:assets:read", "iot:files:read"), Api.JSON.convertValue(put.json().at("/tenantLevels/limited"), List.class));
            assertEquals(300, put.json().get("purposedBootstrapWindow").asInt(), "absent: unchanged");
            JsonNode attrs = realmAttributes(api);
            assertEquals("P1D", attrs.path("iottokens.apiKey.maxLifetime").asText());
            assertEquals("2", attrs.path("iottokens.tenant.batch-limit").asText());
            assertEquals(events + 1, settingsEvents(api), "one admin event per change");

            // enforced: a key longer than the realm's maximum is refused
            assertEquals(400, api.createApiKey(login, Map.of("duration", "1w")).status());
            assertEquals(201, api.createApiKey(login, Map.of("duration", "1d")).status());

            // the same document again changes nothing: no event
            assertEquals(200, api.adminPut(PATH, put.json()).status());
            assertEquals(events + 1, settingsEvents(api), "an unchanged PUT is no event");

            // refused PUTs change nothing, even their valid fields
            Map<String, Object> broken = new HashMap<>();
            broken.put("tenantBatchLimit", 7);
            broken.put("tenantLevels", Map.of("read_write", "a"));
            assertError(api.adminPut(PATH, broken), 400, "tenantLevels");
            assertError(api.adminPut(PATH, Map.of("tenantBatchLimit", 0)), 400, "tenantBatchLimit");
            assertError(api.adminPut(PATH, Map.of("tenantBatchLimit", "5")), 400, "tenantBatchLimit");
            assertError(api.adminPut(PATH, Map.of("apiKeyMaxLifetime", "forever")), 400, "apiKeyMaxLifetime");
            assertError(api.adminPut(PATH, Map.of("purposedAudiences", Map.of("upp:verify", 3))), 400, "purposedAudiences");
            assertError(api.adminPut(PATH, Map.of("clients", Map.of("iot-api", Map.of("apiKeyGrantEnabled", "yes")))), 400,
                    "clients.iot-api.apiKeyGrantEnabled");
            assertError(api.adminPut(PATH, Map.of("clients", Map.of("iot-api", Map.of("edgeIdTokenClients", List.of(" , "))))), 400,
                    "clients.iot-api.edgeIdTokenClients");
            assertError(api.adminPut(PATH, Map.of("tenantBatchLimit", 7, "unknownField", 1)), 400, "unknownField");
            assertError(api.adminPut(PATH, Map.of("tenantBatchLimit", 7, "clients", Map.of("no-such-" + UUID.randomUUID(), Map.of()))), 404,
                    "not found");
            assertEquals(put.json(), api.adminGet(PATH).json(), "nothing of a refused PUT was written");
            assertEquals(events + 1, settingsEvents(api));

            // the event's representation is the new document
            JsonNode event = api.adminGet("/admin-events?resourceTypes=CUSTOM&operationTypes=UPDATE&resourcePath=iot-tokens/settings&max=1")
                    .json().get(0);
            if (event.hasNonNull("representation")) {
                assertEquals(put.json(), Api.JSON.readTree(event.get("representation").asText()));
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            Map<String, Object> reset = new HashMap<>();
            reset.put("apiKeyMaxLifetime", null);
            reset.put("tenantBatchLimit", null);
            reset.put("tenantLevels", null);
            Api.Resp r = api.adminPut(PATH, reset);
            assertEquals(200, r.status(), r.toString());
        }
        JsonNode after = api.adminGet(PATH).json();
        assertTrue(after.get("apiKeyMaxLifetime").isNull() && after.get("tenantBatchLimit").isNull() && after.get("tenantLevels").isNull(), after.toString());
        assertFalse(realmAttributes(api).has("iottokens.apiKey.maxLifetime"), "null removes the attribute");
        assertEquals(201, api.createApiKey(login, Map.of("duration", "1w")).status(), "the default again");
    }

    @Test
    void aClientSwitchIsSetAndResetByClientId(Api api) {
        String clientId = Api.unique("settings-app");
        assertEquals(201, api.adminPost("/clients", Map.of("clientId", clientId, "publicClient", false, "secret", UUID.randomUUID().toString(),
                "serviceAccountsEnabled", true)).status());
        Api.Resp put = api.adminPut(PATH, Map.of("clients", Map.of(clientId,
                Map.of("apiKeyGrantEnabled", true, "edgeEnabled", false, "edgeIdTokenClients", List.of("developer-console", "iot-console")))));
        assertEquals(200, put.status(), put.toString());
        JsonNode mine = put.json().path("clients").path(clientId);
        assertTrue(mine.get("apiKeyGrantEnabled").asBoolean(), put.toString());
        assertEquals(List.of("developer-console", "iot-console"), Api.JSON.convertValue(mine.get("edgeIdTokenClients"), List.class));
        String id = api.adminGet("/clients?clientId=" + clientId).json().get(0).get("id").asText();
        assertEquals("true", api.adminGet("/clients/" + id).json().at("/attributes/iottokens.api-key.grant.enabled").asText());

        Map<String, Object> reset = new HashMap<>();
        reset.put(clientId, null);
        assertEquals(200, api.adminPut(PATH, Map.of("clients", reset)).status());
        assertTrue(api.adminGet(PATH).json().path("clients").path(clientId).isMissingNode(), "no setting left: not listed");
        assertTrue(api.adminGet("/clients/" + id).json().at("/attributes/iottokens.api-key.grant.enabled").isMissingNode());
    }

    @Test
    void permissions(Api api) {
        String viewer = managementUser(api, "view-realm");
        String plain = managementUser(api);
        String usersManager = managementUser(api, "manage-users");
        assertEquals(200, api.get(url(api), viewer).status(), "view-realm reads");
        assertEquals(403, api.putJson(url(api), Map.of("tenantBatchLimit", 3), viewer).status(), "but does not write");
        assertEquals(403, api.get(url(api), plain).status());
        assertEquals(403, api.putJson(url(api), Map.of(), plain).status());
        assertEquals(403, api.putJson(url(api), Map.of(), usersManager).status(), "manage-users is not manage-realm");
        assertEquals(401, api.get(url(api), null).status());
        assertEquals(401, api.putJson(url(api), Map.of(), null).status());
        assertTrue(api.adminGet(PATH).json().get("tenantBatchLimit").isNull(), "the refused writes changed nothing");
    }

    private static void assertError(Api.Resp r, int status, String inDescription) {
        assertEquals(status, r.status(), r.toString());
        assertTrue(r.json().path("error_description").asText().contains(inDescription), r.toString());
    }
}
