package io.iottokens.keycloak.device.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.keycloak.util.JsonSerialization;

import com.fasterxml.jackson.databind.JsonNode;

import io.iottokens.keycloak.device.jpa.DeviceEntity;

/** The JSON of the device answers as Keycloak's mapper writes them: field names, and absent rather than null. */
class DeviceRepresentationsTest {

    private static JsonNode json(Object o) throws Exception {
        return JsonSerialization.mapper.readTree(JsonSerialization.writeValueAsString(o));
    }

    private static DeviceEntity device() {
        DeviceEntity d = new DeviceEntity();
        d.setDeviceId("node-1");
        d.setCreatedAt(0);
        return d;
    }

    @Test
    void aFreshDeviceShowsItsIdGroupsAndCreationOnly() throws Exception {
        JsonNode j = json(DeviceRepresentation.of(device(), true));
        assertEquals(List.of("id", "groups", "createdAt"), List.copyOf(iterable(j)));
        assertEquals("node-1", j.get("id").asText());
        assertEquals("1970-01-01T00:00:00Z", j.get("createdAt").asText());
        assertEquals(0, j.get("groups").size(), "groups is always an array");
    }

    @Test
    void anOwnedKeyedDeviceShowsEverythingAndTheOwnerOnlyToAdministrators() throws Exception {
        DeviceEntity d = device();
        d.setOwnerId("u-1");
        d.setAssociatedAt(1000L);
        d.setKeyThumbprint("tp");
        d.setKeyRegisteredAt(2000L);
        d.getGroups().add("g-1");
        JsonNode admin = json(DeviceRepresentation.of(d, true));
        assertEquals(List.of("id", "ownerId", "groups", "associatedAt", "keyThumbprint", "keyRegisteredAt", "createdAt"),
                List.copyOf(iterable(admin)));
        assertEquals("u-1", admin.get("ownerId").asText());
        assertEquals("g-1", admin.get("groups").get(0).asText());
        assertEquals("1970-01-01T00:00:01Z", admin.get("associatedAt").asText());
        assertEquals("tp", admin.get("keyThumbprint").asText());
        assertFalse(json(DeviceRepresentation.of(d, false)).has("ownerId"), "the owner's own view does not name them");
    }

    @Test
    void aKeyRegistrationAnswersIdAndThumbprint() throws Exception {
        JsonNode j = json(new KeyRegistration("node-1", "tp"));
        assertEquals(List.of("id", "keyThumbprint"), List.copyOf(iterable(j)));
        assertEquals("tp", j.get("keyThumbprint").asText());
    }

    static java.util.Collection<String> iterable(JsonNode j) {
        List<String> names = new java.util.ArrayList<>();
        j.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
