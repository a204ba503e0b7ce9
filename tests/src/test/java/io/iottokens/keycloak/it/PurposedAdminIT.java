package io.iottokens.keycloak.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

import io.iottokens.keycloak.it.support.Api;
import io.iottokens.keycloak.it.support.KeycloakExtension;

/**
 * {@code /admin/realms/{realm}/purposed-tokens}: operators list, read and revoke users' purposed tokens (view-users
 * to read, manage-users to revoke, as for API keys), each revocation an admin event; a revoked token's state
 * verification is inactive at once.
 */
@ExtendWith(KeycloakExtension.class)
class PurposedAdminIT {

    private record Person(String id, String name, String token) {
    }

    /** A new user with the given realm-management roles (none: a plain user). */
    private static Person person(Api api, String prefix, String... managementRoles) {
        String name = Api.unique(prefix);
        String id = api.createUser(name, name + "-pw", "user");
        if (managementRoles.length > 0) {
            String rm = api.adminGet("/clients?clientId=realm-management").json().get(0).get("id").asText();
            List<JsonNode> roles = java.util.Arrays.stream(managementRoles)
                    .map(r -> api.adminGet("/clients/" + rm + "/roles/" + r).json()).toList();
            assertEquals(204, api.adminPost("/users/" + id + "/role-mappings/clients/" + rm, roles).status());
        }
        return new Person(id, name, api.userToken(name, name + "-pw"));
    }

    private static String purposedToken(Api api, Person owner) {
        Api.Resp r = api.postJson(api.server().realmUrl(Api.REALM) + "/purposed-tokens", Map.of("purpose", "Operator's view",
                "targetIdentities", List.of("*"), "originDomains", List.of("https://app.example.com"), "scopes", List.of("upp:verify"),
                "expiration", 3600), owner.token());
        assertEquals(201, r.status(), r.toString());
        return r.json().get("token").asText();
    }

    private static boolean active(Api api, String token) {
        String platform = api.adminGet("/clients?clientId=iot-platform").json().get(0).get("id").asText();
        String secret = api.adminGet("/clients/" + platform + "/client-secret").json().get("value").asText();
        Api.Resp r = api.postForm(api.tokenUrl(Api.REALM) + "/introspect", Map.of("client_id", "iot-platform", "client_secret", secret,
                "token", token, "token_type_hint", "purposed_token"), null);
        assertEquals(200, r.status(), r.toString());
        return r.json().get("active").asBoolean();
    }

    private static String url(Api api, String path) {
        return api.server().adminUrl(Api.REALM) + "/purposed-tokens" + path;
    }

    @Test
    void operatorsListReadAndRevokeTokens(Api api) {
        Person owner = person(api, "powner");
        String token = purposedToken(api, owner);
        JsonNode listed = api.adminGet("/purposed-tokens?user=" + owner.id()).json();
        assertEquals(1, listed.size(), listed.toString());
        String id = listed.get(0).get("id").asText();
        assertEquals(1, api.adminGet("/purposed-tokens?user=" + owner.name()).json().size(), "owner by username too");
        assertTrue(api.adminGet("/purposed-tokens?first=0&max=100").json().size() >= 1, "every owner's");

        JsonNode one = api.adminGet("/purposed-tokens/" + id).json();
        assertEquals(List.of("id", "ownerId", "category", "purpose", "scopes", "targetIdentities", "targetGroups", "createdAt",
                "notBefore", "expiresAt"), Api.JSON.convertValue(one, Map.class).keySet().stream().toList());
        assertEquals(owner.id(), one.get("ownerId").asText());
        assertTrue(one.get("notBefore").isNull(), "no not-before: null, as in the owner's list");
        assertTrue(!one.has("token"), "the value is never stored nor shown");

        Person viewer = person(api, "pviewer", "view-users");
        assertEquals(200, api.get(url(api, "/" + id), viewer.token()).status());
        assertEquals(403, api.delete(url(api, "/" + id), viewer.token()).status());

        assertTrue(active(api, token));
        Person manager = person(api, "pmanager", "view-users", "manage-users");
        Api.Resp deleted = api.delete(url(api, "/" + id), manager.token());
        assertEquals(204, deleted.status(), deleted.toString());
        assertTrue(!active(api, token), "inactive once revoked");
        assertEquals(404, api.adminGet("/purposed-tokens/" + id).status());
        assertEquals(404, api.adminDelete("/purposed-tokens/" + id).status(), "revoked already");
        assertEquals(0, api.get(api.server().realmUrl(Api.REALM) + "/purposed-tokens", owner.token()).json().size());

        JsonNode events = api.adminGet("/admin-events?resourceTypes=CUSTOM&resourcePath=purposed-tokens/" + id + "&max=20").json();
        boolean created = false;
        boolean revoked = false;
        for (JsonNode e : events) {
            created |= "CREATE".equals(e.path("operationType").asText());
            revoked |= "DELETE".equals(e.path("operationType").asText()) && manager.id().equals(e.path("authDetails").path("userId").asText());
            assertTrue(!e.path("representation").asText().contains(token), "no token value in admin events");
        }
        assertTrue(created && revoked, "the owner's create and the operator's revoke are admin events: " + events);
    }

    @Test
    void refusals(Api api) {
        Person owner = person(api, "powner");
        purposedToken(api, owner);
        String id = api.adminGet("/purposed-tokens?user=" + owner.id()).json().get(0).get("id").asText();
        Person plain = person(api, "pplain");
        assertEquals(403, api.get(url(api, ""), plain.token()).status(), "no admin role: no tokens");
        assertEquals(403, api.get(url(api, "/" + id), plain.token()).status());
        assertEquals(403, api.delete(url(api, "/" + id), plain.token()).status());
        assertEquals(403, api.delete(url(api, "/" + id), owner.token()).status(), "the owner uses the self-service door");
        assertEquals(401, api.get(url(api, ""), null).status());

        assertError(api.adminGet("/purposed-tokens/" + UUID.randomUUID()), 404, "Purposed token not found");
        assertError(api.adminGet("/purposed-tokens/" + "x".repeat(300)), 404, "Purposed token not found");
        assertError(api.adminDelete("/purposed-tokens/" + UUID.randomUUID()), 404, "Purposed token not found");
        assertError(api.adminGet("/purposed-tokens?user=nobody-" + UUID.randomUUID()), 404, "User not found");
        // a malformed federation id ("f:<provider>:<id>") fails inside Keycloak's lookup: still no such user, never a 500
        for (String malformed : new String[] {"f:", "f:x", "f::"}) {
            assertError(api.adminGet("/purposed-tokens?user=" + malformed), 404, "User not found");
            assertError(api.adminGet("/api-keys?user=" + malformed), 404, "User not found");
            assertError(api.adminGet("/devices?owner=" + malformed), 404, "User not found");
        }
        assertError(api.adminGet("/purposed-tokens?max=500"), 400, "max");
        assertError(api.adminGet("/purposed-tokens?first=-1"), 400, "first");
        assertError(api.adminGet("/purposed-tokens?max=%EF%BC%91"), 400, "max");
        assertEquals(200, api.adminGet("/purposed-tokens/" + id).status(), "still there");
    }

    private static void assertError(Api.Resp r, int status, String inDescription) {
        assertEquals(status, r.status(), r.toString());
        assertTrue(r.json().path("error_description").asText().contains(inDescription), r.toString());
    }
}
