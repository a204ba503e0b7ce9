package io.iottokens.keycloak.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.iottokens.keycloak.common.PackException;

class DeviceIdTest {

    @Test
    void acceptsUuidsNodeIdsAndSerials() {
        for (String id : List.of("a", "9f1c2d3e-0000-4000-8000-000000000001", "node-1", "edge.node_7:eth0", "...a", "a..",
                "x".repeat(255))) {
            assertEquals(id, DeviceService.requireValidId(id));
        }
    }

    @Test
    void refusesEverythingElseWithA400NamingTheRule() {
        for (String id : java.util.Arrays.asList(null, "", ".", "..", "....", "a b", "a/b", "a%2Fb", "x".repeat(256), "ключ",
                "a\u0000b", "a*b", "a;b", "\uFF0E\uFF0E", "a\nb")) {
            PackException e = assertThrows(PackException.class, () -> DeviceService.requireValidId(id), String.valueOf(id));
            assertEquals(400, e.status());
            assertEquals("invalid_request", e.error());
        }
    }
}
