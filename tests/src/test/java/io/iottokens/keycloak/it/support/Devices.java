package io.iottokens.keycloak.it.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.LinkedHashMap;
import java.util.Map;

import io.iottokens.keycloak.device.TestDeviceKeys;

/** Devices for tests that need one with a registered key, and the signed JSON requests devices send. */
public final class Devices {

    private Devices() {
    }

    /** A JSON POST without bearer; {@code header: signature} is added unless {@code signature} is null. */
    public static Api.Resp signedPost(Api api, String url, String body, String header, String signature) {
        return signedPost(api, url, body, header, signature, null);
    }

    /** {@link #signedPost(Api, String, String, String, String)} with a bearer token unless {@code bearer} is null. */
    public static Api.Resp signedPost(Api api, String url, String body, String header, String signature, String bearer) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (signature != null) {
            b.header(header, signature);
        }
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return api.send(b);
    }

    /** The body of a bootstrap request (README "Bootstrap of devices"): the bootstrap token, the device, a Unix time. */
    public static String bootstrapBody(String token, String identity, long timestamp) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("token", token);
        m.put("identity", identity);
        m.put("timestamp", timestamp);
        try {
            return Api.JSON.writeValueAsString(m);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** {@code POST /purposed-tokens/bootstrap} with {@code body} signed as given. */
    public static Api.Resp bootstrap(Api api, String body, String header, String signature) {
        return signedPost(api, Fixtures.purposedUrl(api) + "/bootstrap", body, header, signature);
    }

    /** The body of a key registration: {@code {"publicKey": <the key's JWK>}}. */
    public static String keyBody(TestDeviceKeys key) throws Exception {
        return Api.JSON.writeValueAsString(Map.of("publicKey", key.jwk));
    }

    /** {@code POST /devices/{id}/key} with {@code body} signed as given. */
    public static Api.Resp register(Api api, String deviceId, String body, String header, String signature) {
        return signedPost(api, api.server().realmUrl(Api.REALM) + "/devices/" + deviceId + "/key", body, header, signature);
    }

    /** {@code deviceId} registers {@code key} itself (proof of possession, DER signature in X-Signature); the 201 answer. */
    public static Api.Resp registered(Api api, String deviceId, TestDeviceKeys key) throws Exception {
        String body = keyBody(key);
        Api.Resp r = register(api, deviceId, body, "X-Signature", key.sign(body, false));
        assertEquals(201, r.status(), r.toString());
        return r;
    }

    /** A new device that registered {@code key} itself (proof of possession); returns its id. */
    public static String registeredDevice(Api api, TestDeviceKeys key) throws Exception {
        String id = Api.unique("thing");
        registered(api, id, key);
        return id;
    }
}
