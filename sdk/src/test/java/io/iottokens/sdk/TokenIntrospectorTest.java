package io.iottokens.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import io.iottokens.sdk.IotTokenException.InvalidTokenException;
import io.iottokens.sdk.IotTokenException.UnavailableException;

class TokenIntrospectorTest {

    @Test
    void answersAreCachedBrieflyAndTheClientAuthenticates() throws Exception {
        try (StubEndpoint realm = new StubEndpoint("/realms/iot/protocol/openid-connect/token/introspect")) {
            long exp = System.currentTimeMillis() / 1000 + 300;
            realm.answer.set("{\"active\": true, \"sub\": \"u\", \"exp\": " + exp + "}");
            TokenIntrospector i = TokenIntrospector.create(realm.issuer(), "iot-platform", "s3cret", Duration.ofMillis(300), Duration.ofSeconds(2));
            assertTrue(i.externalStateVerify("tok-1", "purposed_token").active());
            assertTrue(i.externalStateVerify("tok-1").active());
            assertEquals(1, realm.calls.get(), "the second call is served from the cache");
            assertTrue(realm.bodies.get(0).contains("token=tok-1") && realm.bodies.get(0).contains("token_type_hint=purposed_token"));
            assertEquals("Basic " + Base64.getEncoder().encodeToString("iot-platform:s3cret".getBytes(StandardCharsets.UTF_8)),
                    realm.authorizations.get(0));

            realm.answer.set("{\"active\": false}");
            Thread.sleep(350);
            assertFalse(i.externalStateVerify("tok-1").active(), "after the cache time the realm is asked again");
            assertThrows(InvalidTokenException.class, () -> i.requireActive("tok-1"));
            assertEquals(2, i.calls());
        }
    }

    @Test
    void aRefusedClientOrADeadRealmIsUnavailable() throws Exception {
        try (StubEndpoint realm = new StubEndpoint("/realms/iot/protocol/openid-connect/token/introspect")) {
            realm.status.set(401);
            realm.answer.set("{\"error\": \"invalid_client\"}");
            TokenIntrospector i = TokenIntrospector.create(realm.issuer(), "iot-platform", "wrong");
            assertEquals(503, assertThrows(UnavailableException.class, () -> i.externalStateVerify("t")).httpStatus());
            realm.close();
            assertThrows(UnavailableException.class, () -> i.externalStateVerify("t2"));
        }
    }
}
