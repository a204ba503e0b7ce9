package io.iottokens.keycloak.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

import io.iottokens.keycloak.device.TestDeviceKeys;
import io.iottokens.keycloak.it.support.Api;
import io.iottokens.keycloak.it.support.Devices;
import io.iottokens.keycloak.it.support.Edge;
import io.iottokens.keycloak.it.support.KeycloakExtension;

/**
 * Every change of a device is an admin event (resource type CUSTOM, path devices/{id}, the owner in the detail userId),
 * the device's own and its owner's self-service changes included; and the device admin API asks for the permission on
 * the device's owner, as the API-key admin API does.
 */
@ExtendWith(KeycloakExtension.class)
class DeviceAdminEventsIT {

    private record Person(String id, String username, String password) {
    }

    private static Person person(Api api, String prefix) {
        String name = Api.unique(prefix);
        return new Person(api.createUser(name, name + "-pw", "user"), name, name + "-pw");
    }

    /** A user of the realm holding the given roles of realm-management, and their token. */
    private record Admin(String id, String token) {
    }

    private static Admin admin(Api api, String... roles) {
        Person p = person(api, "dadmin");
        JsonNode rm = api.adminGet("/clients?clientId=realm-management").json().get(0);
        String rmPath = "/clients/" + rm.get("id").asText();
        List<JsonNode> mapped = java.util.Arrays.stream(roles).map(r -> api.adminGet(rmPath + "/roles/" + r).json()).toList();
        assertEquals(204, api.adminPost("/users/" + p.id() + "/role-mappings" + rmPath, mapped).status());
        return new Admin(p.id(), api.userToken(p.username(), p.password()));
    }

    private static String realmDevices(Api api) {
        return api.server().realmUrl(Api.REALM) + "/devices";
    }

    private static String adminDevices(Api api) {
        return api.server().adminUrl(Api.REALM) + "/devices";
    }

    /** The device's admin event with the detail action = {@code action} (or operation = {@code action}). */
    private static JsonNode event(Api api, String deviceId, String action) {
        JsonNode events = api.adminGet("/admin-events?resourceTypes=CUSTOM&resourcePath=devices/" + deviceId + "&max=100").json();
        for (JsonNode e : events) {
            if (!("devices/" + deviceId).equals(e.path("resourcePath").asText())) {
                continue;
            }
            if (action.equals(e.path("details").path("action").asText()) || action.equals(e.path("operationType").asText())) {
                return e;
            }
        }
        throw new AssertionError("no admin event " + action + " of devices/" + deviceId + " in " + events);
    }

    private static Api.Resp registerKey(Api api, String deviceId, TestDeviceKeys key, String bearer) throws Exception {
        String body = Api.JSON.writeValueAsString(Map.of("publicKey", key.jwk));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(realmDevices(api) + "/" + deviceId + "/key"))
                .header("Content-Type", "application/json").header("X-Signature", key.sign(body, false))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return api.send(b);
    }

    @Test
    void selfServiceChangesOfADeviceAreAdminEvents(Api api) throws Exception {
        // a device without an owner registers its key: proof of possession only, nobody to name, and anyone can send
        // such requests: no admin event (unauthenticated callers must not fill the admin-event store)
        String thing = Devices.registeredDevice(api, TestDeviceKeys.ed25519());
        assertEquals(0, api.adminGet("/admin-events?resourceTypes=CUSTOM&resourcePath=devices/" + thing).json().size());

        // the node associates itself with its edge token: the developer is named as actor and owner
        Person dev = person(api, "evdev");
        String node = Edge.ownedNode(api, dev.username(), dev.password());
        JsonNode associated = event(api, node, "associate");
        assertEquals(dev.id(), associated.path("details").path("userId").asText(), associated.toString());
        assertEquals(dev.id(), associated.path("authDetails").path("userId").asText(), associated.toString());

        // the owner vouches for the node's key with their login token
        String login = api.userToken(dev.username(), dev.password());
        assertEquals(201, registerKey(api, node, TestDeviceKeys.ec(), login).status());
        JsonNode vouched = event(api, node, "register-key");
        assertEquals(dev.id(), vouched.path("details").path("userId").asText(), vouched.toString());
        assertEquals(dev.id(), vouched.path("authDetails").path("userId").asText(), vouched.toString());

        // the owner forgets it
        assertEquals(204, api.delete(realmDevices(api) + "/" + node, login).status());
        JsonNode forgotten = event(api, node, "forget");
        assertEquals(dev.id(), forgotten.path("details").path("userId").asText(), forgotten.toString());

        // another node lets itself go with its edge token
        String other = Api.unique("node");
        String edge = Edge.edgeToken(api, dev.username(), dev.password(), other);
        assertEquals(200, api.postJson(realmDevices(api) + "/associate", Map.of(), edge).status());
        assertEquals(200, api.postJson(realmDevices(api) + "/unassociate", Map.of(), edge).status());
        JsonNode unassociated = event(api, other, "unassociate");
        assertEquals(dev.id(), unassociated.path("details").path("userId").asText(), unassociated.toString());

        // a refused change records nothing: another account's forget and unassociate are 404s
        Person stranger = person(api, "evstranger");
        String strangerLogin = api.userToken(stranger.username(), stranger.password());
        String node2 = Edge.ownedNode(api, dev.username(), dev.password());
        assertEquals(404, api.delete(realmDevices(api) + "/" + node2, strangerLogin).status());
        assertEquals(404, api.postJson(realmDevices(api) + "/" + node2 + "/unassociate", Map.of(), strangerLogin).status());
        JsonNode events = api.adminGet("/admin-events?resourceTypes=CUSTOM&resourcePath=devices/" + node2 + "&max=100").json();
        for (JsonNode e : events) {
            String action = e.path("details").path("action").asText();
            assertFalse("forget".equals(action) || "unassociate".equals(action), events.toString());
        }

        // the owner unassociates a node with their login token: action unassociate, the owner as actor and owner
        assertEquals(200, api.postJson(realmDevices(api) + "/" + node2 + "/unassociate", Map.of(), login).status());
        JsonNode byOwner = event(api, node2, "unassociate");
        assertEquals(dev.id(), byOwner.path("details").path("userId").asText(), byOwner.toString());
        assertEquals(dev.id(), byOwner.path("authDetails").path("userId").asText(), byOwner.toString());
        assertEquals("ACTION", byOwner.path("operationType").asText(), byOwner.toString());
    }

    @Test
    void deviceAdminsNeedThePermissionOnTheDevicesOwner(Api api) throws Exception {
        Person dev = person(api, "owner");
        String node = Edge.ownedNode(api, dev.username(), dev.password());
        String unowned = Devices.registeredDevice(api, TestDeviceKeys.ec());
        Admin querier = admin(api, "query-users");
        Admin viewer = admin(api, "view-users");
        Admin manager = admin(api, "manage-users");

        // may query users, may view none: the list leaves the devices out, reading one is refused
        Api.Resp listed = api.get(adminDevices(api) + "?max=100", querier.token());
        assertEquals(200, listed.status(), listed.toString());
        for (JsonNode d : listed.json()) {
            assertFalse(node.equals(d.path("id").asText()) || unowned.equals(d.path("id").asText()), listed.toString());
        }
        assertEquals(403, api.get(adminDevices(api) + "/" + node, querier.token()).status());
        assertEquals(403, api.get(adminDevices(api) + "/" + unowned, querier.token()).status(), "a device without owner is realm-wide");
        assertEquals(403, api.get(adminDevices(api) + "?owner=" + dev.username(), querier.token()).status());
        assertEquals(404, api.get(adminDevices(api) + "/no-such-device", querier.token()).status());

        // may view: reads, lists by owner; may not change
        Api.Resp read = api.get(adminDevices(api) + "/" + node, viewer.token());
        assertEquals(200, read.status(), read.toString());
        assertEquals(dev.id(), read.json().get("ownerId").asText());
        assertEquals(200, api.get(adminDevices(api) + "/" + unowned, viewer.token()).status());
        Api.Resp byOwner = api.get(adminDevices(api) + "?owner=" + dev.username(), viewer.token());
        assertEquals(1, byOwner.json().size(), byOwner.toString());
        assertEquals(403, api.putJson(adminDevices(api) + "/" + node + "/groups", Map.of("groups", List.of()), viewer.token()).status());
        assertEquals(403, api.delete(adminDevices(api) + "/" + node, viewer.token()).status());
        assertEquals(200, api.get(adminDevices(api) + "/" + node, viewer.token()).status(), "still there");

        // unassociating needs the manage permission too
        String node2 = Edge.ownedNode(api, dev.username(), dev.password());
        assertEquals(403, api.postJson(adminDevices(api) + "/" + node2 + "/unassociate", Map.of(), querier.token()).status());
        assertEquals(403, api.postJson(adminDevices(api) + "/" + node2 + "/unassociate", Map.of(), viewer.token()).status());
        assertEquals(dev.id(), api.get(adminDevices(api) + "/" + node2, viewer.token()).json().get("ownerId").asText(), "unchanged");

        // may manage: changes, each an admin event naming the administrator and the owner
        Api.Resp unassociated = api.postJson(adminDevices(api) + "/" + node2 + "/unassociate", Map.of(), manager.token());
        assertEquals(200, unassociated.status(), unassociated.toString());
        assertEquals(node2, unassociated.json().get("id").asText());
        assertFalse(unassociated.json().has("ownerId") || unassociated.json().has("associatedAt"), unassociated.toString());
        JsonNode unassociate = event(api, node2, "unassociate");
        assertEquals("ACTION", unassociate.path("operationType").asText(), unassociate.toString());
        assertEquals(manager.id(), unassociate.path("authDetails").path("userId").asText(), unassociate.toString());
        assertEquals(dev.id(), unassociate.path("details").path("userId").asText(), unassociate.toString());
        Api.Resp again = api.postJson(adminDevices(api) + "/" + node2 + "/unassociate", Map.of(), manager.token());
        assertEquals(409, again.status(), "not associated any more: " + again);
        assertEquals("conflict", again.json().path("error").asText(), again.toString());
        assertEquals(403, api.postJson(adminDevices(api) + "/" + node2 + "/unassociate", Map.of(), viewer.token()).status(),
                "a device without owner needs manage-users before it is said that it is not associated");

        Api.Resp set = api.putJson(adminDevices(api) + "/" + node + "/groups", Map.of("groups", List.of()), manager.token());
        assertEquals(200, set.status(), set.toString());
        JsonNode update = event(api, node, "UPDATE");
        assertEquals(manager.id(), update.path("authDetails").path("userId").asText(), update.toString());
        assertEquals(dev.id(), update.path("details").path("userId").asText(), update.toString());
        assertEquals(204, api.delete(adminDevices(api) + "/" + node, manager.token()).status());
        JsonNode delete = event(api, node, "DELETE");
        assertEquals(manager.id(), delete.path("authDetails").path("userId").asText(), delete.toString());
        assertEquals(204, api.delete(adminDevices(api) + "/" + unowned, manager.token()).status());
        JsonNode deleteUnowned = event(api, unowned, "DELETE");
        assertFalse(deleteUnowned.path("details").has("userId"), deleteUnowned.toString());

        // a user without any admin role learns nothing
        String plain = api.userToken(dev.username(), dev.password());
        assertEquals(403, api.get(adminDevices(api), plain).status());
        assertEquals(403, api.get(adminDevices(api) + "/no-such-device", plain).status());
        assertTrue(api.get(adminDevices(api) + "/" + unowned, viewer.token()).status() == 404, "deleted");
    }
}
