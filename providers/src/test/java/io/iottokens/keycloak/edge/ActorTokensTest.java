package io.iottokens.keycloak.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.iottokens.keycloak.device.DeviceKeys;
import io.iottokens.keycloak.device.TestDeviceKeys;

class ActorTokensTest {

    private static final String ISSUER = "http://127.0.0.1:8080/realms/iot";
    private static final long NOW = 1_900_000_000L;

    private static Map<String, Object> claims(String sub, Object aud, long exp, String jti) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("sub", sub);
        c.put("aud", aud);
        c.put("exp", exp);
        if (jti != null) {
            c.put("jti", jti);
        }
        return c;
    }

    private static String refusal(String token, DeviceKeys.DeviceKey key) {
        return assertThrows(IllegalArgumentException.class, () -> ActorTokens.verify(token, key, "node-1", ISSUER, NOW)).getMessage();
    }

    @Test
    void acceptsTheNodesOwnTokenWithBothKeyTypes() throws Exception {
        for (TestDeviceKeys k : List.of(TestDeviceKeys.ec(), TestDeviceKeys.ed25519())) {
            DeviceKeys.DeviceKey key = DeviceKeys.parse(k.jwk);
            ActorTokens.Actor a = ActorTokens.verify(k.jws(Map.of(), claims("node-1", List.of("x", ISSUER), NOW + 60, "j1")), key, "node-1", ISSUER, NOW);
            assertEquals("j1", a.jti());
            assertEquals(NOW + 60, a.exp());
        }
    }

    @Test
    void refusesEverythingElseWithAReason() throws Exception {
        TestDeviceKeys k = TestDeviceKeys.ec();
        DeviceKeys.DeviceKey key = DeviceKeys.parse(k.jwk);
        assertTrue(refusal(TestDeviceKeys.ec().jws(Map.of(), claims("node-1", ISSUER, NOW + 60, "j")), key).contains("signature"));
        assertTrue(refusal(TestDeviceKeys.ed25519().jws(Map.of(), claims("node-1", ISSUER, NOW + 60, "j")), key).contains("ES256"));
        assertTrue(refusal(k.jws(Map.of(), claims("node-2", ISSUER, NOW + 60, "j")), key).contains("sub"));
        assertTrue(refusal(k.jws(Map.of(), claims("node-1", "https://other", NOW + 60, "j")), key).contains("aud"));
        assertTrue(refusal(k.jws(Map.of(), claims("node-1", ISSUER, NOW, "j")), key).contains("expired"));
        assertTrue(refusal(k.jws(Map.of(), claims("node-1", ISSUER, NOW + 601, "j")), key).contains("600"));
        assertTrue(refusal(k.jws(Map.of(), claims("node-1", ISSUER, NOW + 60, null)), key).contains("jti"));
        assertTrue(refusal("not.a.jws", key).contains("JWS"));
        String none = b64("{\"alg\":\"none\"}") + "." + b64("{\"sub\":\"node-1\"}") + ".";
        assertTrue(refusal(none, key).contains("ES256"));
        String noAlg = b64("{\"typ\":\"JWT\"}") + "." + b64("{\"sub\":\"node-1\"}") + ".AAAA";
        assertTrue(refusal(noAlg, key).contains("ES256"));
        assertTrue(refusal("a".repeat(ActorTokens.MAX_LENGTH + 1), key).contains("too long"));
    }

    private static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
