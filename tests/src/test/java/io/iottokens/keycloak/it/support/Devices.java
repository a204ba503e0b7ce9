package io.iottokens.keycloak.it.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Map;

import io.iottokens.keycloak.device.TestDeviceKeys;

/** Devices for tests that need one with a registered key. */
public final class Devices {

    private Devices() {
    }

    /** A new device that registered {@code key} itself (proof of possession); returns its id. */
    public static String registeredDevice(Api api, TestDeviceKeys key) throws Exception {
        String id = Api.unique("thing");
        String body = Api.JSON.writeValueAsString(Map.of("publicKey", key.jwk));
        Api.Resp r = api.send(HttpRequest.newBuilder(URI.create(api.server().realmUrl(Api.REALM) + "/devices/" + id + "/key"))
                .header("Content-Type", "application/json").header("X-Signature", key.sign(body, false))
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        assertEquals(201, r.status(), r.toString());
        return id;
    }
}
