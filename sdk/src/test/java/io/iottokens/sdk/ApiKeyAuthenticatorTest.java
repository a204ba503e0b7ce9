package io.iottokens.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import io.iottokens.sdk.IotTokenException.InvalidTokenException;

class ApiKeyAuthenticatorTest {

    private static String basic(String s) {
        return "Basic " + Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void credentialsComeFromBasicOrTheXHeaders() {
        assertEquals(new ApiKeyAuthenticator.Credentials("iotk_a", "iots_b"), ApiKeyAuthenticator.credentials(basic("iotk_a:iots_b"), null, null));
        assertEquals(new ApiKeyAuthenticator.Credentials("iotk_a", "iots_b:c"), ApiKeyAuthenticator.credentials(basic("iotk_a:iots_b:c"), null, null),
                "the secret is everything after the first colon");
        assertEquals(new ApiKeyAuthenticator.Credentials("k", "s"), ApiKeyAuthenticator.credentials(null, " k ", "s"));
        assertEquals(new ApiKeyAuthenticator.Credentials("k", "s"), ApiKeyAuthenticator.credentials("Bearer x", "k", "s"));
        assertNull(ApiKeyAuthenticator.credentials(null, "k", null));
        assertNull(ApiKeyAuthenticator.credentials("Bearer x", null, null));
        assertThrows(InvalidTokenException.class, () -> ApiKeyAuthenticator.credentials("Basic !!!", null, null));
        assertThrows(InvalidTokenException.class, () -> ApiKeyAuthenticator.credentials(basic("no-colon"), null, null));
        assertThrows(InvalidTokenException.class, () -> ApiKeyAuthenticator.credentials(basic("key:"), null, null));
        assertTrue(!new ApiKeyAuthenticator.Credentials("k", "very-secret").toString().contains("very-secret"));
    }

    @Test
    void tokensAreCachedUntilShortlyBeforeExpiryAndFailuresAreNot() throws Exception {
        try (StubEndpoint realm = new StubEndpoint("/realms/iot/protocol/openid-connect/token")) {
            realm.answer.set("{\"access_token\": \"at-1\", \"expires_in\": 300}");
            ApiKeyAuthenticator a = ApiKeyAuthenticator.create(realm.issuer(), "iot-api", Duration.ofSeconds(30), Duration.ofSeconds(2));
            assertEquals("at-1", a.accessToken(basic("iotk_a:iots_b"), null, null));
            assertEquals("at-1", a.accessToken(null, "iotk_a", "iots_b"), "same credentials, cached token");
            assertEquals(1, a.exchanges());
            assertTrue(realm.bodies.get(0).contains("grant_type=urn%3Aiottokens%3Aparams%3Aoauth%3Agrant-type%3Aapi-key"));
            assertTrue(realm.bodies.get(0).contains("api_key=iotk_a") && realm.bodies.get(0).contains("client_id=iot-api"));

            realm.status.set(400);
            realm.answer.set("{\"error\": \"invalid_grant\"}");
            assertThrows(InvalidTokenException.class, () -> a.accessToken(basic("iotk_a:wrong"), null, null));
            assertThrows(InvalidTokenException.class, () -> a.accessToken(basic("iotk_a:wrong"), null, null));
            assertEquals(3, a.exchanges(), "a refused credential is asked again, not cached");
            realm.status.set(200);
            realm.answer.set("{\"access_token\": \"at-2\", \"expires_in\": 300}");
            assertEquals("at-2", a.accessToken(basic("iotk_a:wrong"), null, null), "once fixed on the server, it works at once");

            realm.answer.set("{\"access_token\": \"short\", \"expires_in\": 20}");
            a.accessToken(basic("iotk_c:iots_d"), null, null);
            a.accessToken(basic("iotk_c:iots_d"), null, null);
            assertEquals(6, a.exchanges(), "a token expiring within the margin is not reused");
            assertThrows(InvalidTokenException.class, () -> a.accessToken(null, null, null));
        }
    }
}
