package io.iottokens.keycloak.it;

import static io.iottokens.keycloak.it.support.Devices.keyBody;
import static io.iottokens.keycloak.it.support.Devices.register;
import static io.iottokens.keycloak.it.support.Errors.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

import io.iottokens.keycloak.device.TestDeviceKeys;
import io.iottokens.keycloak.it.support.Api;
import io.iottokens.keycloak.it.support.Devices;
import io.iottokens.keycloak.it.support.Edge;
import io.iottokens.keycloak.it.support.Fixtures;
import io.iottokens.keycloak.it.support.KeycloakExtension;

/** The device registry (README "Devices and edge tokens"): key self-registration with proof of possession, admin views. */
@ExtendWith(KeycloakExtension.class)
class DevicesIT {

    @Test
    void aDeviceRegistersItsOwnKeyWithBothKeyTypesAndSignatureForms(Api api) throws Exception {
        for (boolean ed : new boolean[] {false, true}) {
            TestDeviceKeys k = ed ? TestDeviceKeys.ed25519() : TestDeviceKeys.ec();
            String id = Api.unique("thing");
            String body = keyBody(k);
            Api.Resp r = register(api, id, body, "X-Signature", k.sign(body, false));
            assertEquals(201, r.status(), r.toString());
            String thumb = r.json().get("keyThumbprint").asText();
            assertEquals(200, register(api, id, body, "X-Ubirch-Signature", k.sign(body, false)).status(), "the same key again: no change");

            JsonNode device = api.adminGet("/devices/" + id).json();
            assertEquals(id, device.get("id").asText());
            assertEquals(thumb, device.get("keyThumbprint").asText());
            assertFalse(device.has("ownerId"), "nobody owns it yet");
        }
        TestDeviceKeys k = TestDeviceKeys.ec();
        String id = Api.unique("raw");
        String body = keyBody(k);
        assertEquals(201, register(api, id, body, "X-Signature", k.sign(body, true)).status(), "raw R||S ECDSA signatures too");
    }

    @Test
    void anotherKeyForARegisteredDeviceIsAConflict(Api api) throws Exception {
        String id = Api.unique("taken");
        TestDeviceKeys first = TestDeviceKeys.ec();
        Devices.registered(api, id, first);
        String b1 = keyBody(first);
        TestDeviceKeys second = TestDeviceKeys.ed25519();
        String b2 = keyBody(second);
        assertError(register(api, id, b2, "X-Signature", second.sign(b2, false)), 409, "conflict");
        assertEquals(api.adminGet("/devices/" + id).json().get("keyThumbprint").asText(),
                register(api, id, b1, "X-Signature", first.sign(b1, false)).json().get("keyThumbprint").asText(), "the first key stays");
    }

    @Test
    void badSignaturesAndBadKeysAreRefusedAndNothingIsStored(Api api) throws Exception {
        TestDeviceKeys k = TestDeviceKeys.ec();
        String body = keyBody(k);
        String id = Api.unique("refused");
        assertError(register(api, id, body, "X-Signature", TestDeviceKeys.ec().sign(body, false)), 400, "invalid_signature");
        assertError(register(api, id, body, "X-Signature", k.sign(body + " ", false)), 400, "invalid_signature");
        assertError(register(api, id, body, "X-Signature", "%%%"), 400, "invalid_signature");
        assertError(register(api, id, body, "X-Signature", null), 400, "invalid_request");
        assertError(register(api, id, "{\"publicKey\": ", "X-Signature", k.sign("{\"publicKey\": ", false)), 400, "invalid_request");
        String rsa = "{\"publicKey\":{\"kty\":\"RSA\",\"n\":\"AQAB\",\"e\":\"AQAB\"}}";
        assertError(register(api, id, rsa, "X-Signature", k.sign(rsa, false)), 400, "invalid_request");
        Map<String, Object> withPrivate = new java.util.HashMap<>(k.jwk);
        withPrivate.put("d", "AAAA");
        String priv = Api.JSON.writeValueAsString(Map.of("publicKey", withPrivate));
        assertError(register(api, id, priv, "X-Signature", k.sign(priv, false)), 400, "invalid_request", "private");
        String extra = Api.JSON.writeValueAsString(Map.of("publicKey", k.jwk, "owner", "me"));
        assertError(register(api, id, extra, "X-Signature", k.sign(extra, false)), 400, "invalid_request");
        assertError(register(api, "bad%20id%21", body, "X-Signature", k.sign(body, false)), 400, "invalid_request");
        String big = "{\"publicKey\":{\"kty\":\"EC\",\"pad\":\"" + "x".repeat(20000) + "\"}}";
        assertEquals(413, register(api, id, big, "X-Signature", "AAAA").status());
        assertEquals(404, api.adminGet("/devices/" + id).status(), "nothing stored");
    }

    @Test
    void adminSetsGroupsListsByGroupAndDeletesWithAdminEvents(Api api) throws Exception {
        String groupId = Fixtures.group(api, "kitchen");
        String groupName = api.adminGet("/groups/" + groupId).json().get("name").asText();
        String id = Api.unique("dev");
        TestDeviceKeys k = TestDeviceKeys.ed25519();
        Devices.registered(api, id, k);

        Api.Resp set = api.adminPut("/devices/" + id + "/groups", Map.of("groups", List.of(groupName)));
        assertEquals(200, set.status(), set.toString());
        assertEquals(List.of(groupId), Api.JSON.convertValue(set.json().get("groups"), List.class), "by name, stored by id");
        JsonNode byGroup = api.adminGet("/devices?group=" + groupId).json();
        assertEquals(1, byGroup.size());
        assertEquals(id, byGroup.get(0).get("id").asText());
        assertEquals(1, api.adminGet("/devices?group=" + groupName + "&max=5").json().size());
        assertError(api.adminPut("/devices/" + id + "/groups", Map.of("groups", List.of("no-such-group"))), 400, "invalid_request");
        assertError(api.adminGet("/devices?max=0"), 400, "invalid_request");

        // deleting the group takes the device out of it
        assertEquals(204, api.adminDelete("/groups/" + groupId).status());
        assertEquals(List.of(), Api.JSON.convertValue(api.adminGet("/devices/" + id).json().get("groups"), List.class));

        assertEquals(204, api.adminDelete("/devices/" + id).status());
        assertEquals(404, api.adminGet("/devices/" + id).status());
        JsonNode events = api.adminGet("/admin-events?resourceTypes=CUSTOM&resourcePath=devices/*&max=100").json();
        boolean update = false;
        boolean delete = false;
        for (JsonNode e : events) {
            if (("devices/" + id).equals(e.path("resourcePath").asText())) {
                update |= "UPDATE".equals(e.path("operationType").asText());
                delete |= "DELETE".equals(e.path("operationType").asText());
            }
        }
        assertTrue(update && delete, "admin events: " + events);
    }

    /**
     * {@code devices/{id}/unassociate} (the owner) and {@code devices/unassociate} (the node itself) do not collide: a
     * node whose id is {@code unassociate} or {@code associate} is unassociated by its owner through the registry, and
     * the node's own requests still reach the edge feature. Each round ends with the node free again (the ids are
     * fixed, the server may be shared with a rerun); an administrator frees a node a failed run left behind.
     */
    @Test
    void theOwnersUnassociateAndTheNodesOwnDoNotCollideWhateverTheDeviceId(Api api) throws Exception {
        String dev = Api.unique("collide");
        api.createUser(dev, dev + "-pw", "user");
        String login = api.userToken(dev, dev + "-pw");
        String devices = api.server().realmUrl(Api.REALM) + "/devices";
        for (String id : List.of("unassociate", "associate")) {
            int freed = api.adminPost("/devices/" + id + "/unassociate", Map.of()).status();
            assertTrue(freed == 200 || freed == 404 || freed == 409, "precondition: free node " + id + ": " + freed);

            Api.Resp own = api.postJson(devices + "/associate", Map.of(), Edge.edgeToken(api, dev, dev + "-pw", id));
            assertEquals(200, own.status(), own.toString());
            assertEquals("successfully associated", own.json().get("status").asText(), "the node's own associate: " + own);
            assertEquals(id, api.get(devices + "/" + id, login).json().get("id").asText());

            Api.Resp byOwner = api.postJson(devices + "/" + id + "/unassociate", Map.of(), login);
            assertEquals(200, byOwner.status(), byOwner.toString());
            assertEquals(id, byOwner.json().get("id").asText(), "the registry answered with the device: " + byOwner);
            assertFalse(api.adminGet("/devices/" + id).json().has("ownerId"));

            // the node's own unassociate, with a fresh edge token of the free node
            String edge = Edge.edgeToken(api, dev, dev + "-pw", id);
            assertEquals(200, api.postJson(devices + "/associate", Map.of(), edge).status());
            Api.Resp self = api.postJson(devices + "/unassociate", Map.of(), edge);
            assertEquals(200, self.status(), self.toString());
            assertEquals("successfully unassociated", self.json().get("status").asText(), "the node's own unassociate: " + self);
            assertFalse(api.adminGet("/devices/" + id).json().has("ownerId"));
        }
    }

    @Test
    void ownersSeeOnlyTheirDevicesAndOthersGet404(Api api) throws Exception {
        String id = Api.unique("unowned");
        TestDeviceKeys k = TestDeviceKeys.ec();
        Devices.registered(api, id, k);
        String bob = api.userToken("bob", "bob-demo-password");
        assertEquals(404, api.get(api.server().realmUrl(Api.REALM) + "/devices/" + id, bob).status(), "not bob's device");
        assertEquals(404, api.delete(api.server().realmUrl(Api.REALM) + "/devices/" + id, bob).status());
        assertError(api.postJson(api.server().realmUrl(Api.REALM) + "/devices/" + id + "/unassociate", Map.of(), bob), 404, "not_found");
        assertEquals(0, api.get(api.server().realmUrl(Api.REALM) + "/devices", bob).json().size());
        assertEquals(401, api.get(api.server().realmUrl(Api.REALM) + "/devices", null).status());
        assertEquals(403, api.get(api.server().adminUrl(Api.REALM) + "/devices", bob).status(), "the admin API needs view-users");
    }
}
