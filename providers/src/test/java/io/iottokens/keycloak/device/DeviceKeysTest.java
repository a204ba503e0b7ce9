package io.iottokens.keycloak.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class DeviceKeysTest {

    private static final String BODY = "{\"publicKey\":{\"kty\":\"EC\"},\"identity\":\"d7a81058\"}";

    @Test
    void ecdsaSignaturesOverTheBodyVerifyInDerAndRawForm() throws Exception {
        TestDeviceKeys k = TestDeviceKeys.ec();
        DeviceKeys.DeviceKey key = DeviceKeys.parse(k.jwk);
        byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
        assertTrue(DeviceKeys.verify(key, body, k.sign(BODY, false)), "DER");
        assertTrue(DeviceKeys.verify(key, body, k.sign(BODY, true)), "raw R||S");
        assertFalse(DeviceKeys.verify(key, (BODY + " ").getBytes(StandardCharsets.UTF_8), k.sign(BODY, false)), "another body");
        assertFalse(DeviceKeys.verify(key, body, TestDeviceKeys.ec().sign(BODY, false)), "another key");
        assertFalse(DeviceKeys.verify(key, body, "not base64!"));
        assertEquals(43, key.thumbprint().length());
    }

    @Test
    void ed25519SignsTheSha512Digest() throws Exception {
        TestDeviceKeys k = TestDeviceKeys.ed25519();
        DeviceKeys.DeviceKey key = DeviceKeys.parse(k.jwk);
        byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
        assertTrue(DeviceKeys.verify(key, body, k.sign(BODY, false)));
        assertFalse(DeviceKeys.verify(key, "{}".getBytes(StandardCharsets.UTF_8), k.sign(BODY, false)));
        assertFalse(DeviceKeys.verify(key, body, TestDeviceKeys.ed25519().sign(BODY, false)));
    }

    @Test
    void thumbprintFollowsRfc7638() {
        // RFC 7638 section 3.1 uses an RSA key; this checks the construction on the EC member set instead
        Map<String, String> m = new java.util.TreeMap<>(Map.of("kty", "EC", "crv", "P-256", "x", "AAAA", "y", "BBBB"));
        assertEquals(DeviceKeys.thumbprint(m), DeviceKeys.thumbprint(new java.util.TreeMap<>(m)));
        assertTrue(DeviceKeys.thumbprint(m).matches("[A-Za-z0-9_-]{43}"));
    }

    @Test
    void privateUnsupportedOffCurveAndMalformedKeysAreRefused() throws Exception {
        Map<String, Object> withPrivate = new HashMap<>(TestDeviceKeys.ec().jwk);
        withPrivate.put("d", "secret");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DeviceKeys.parse(withPrivate)).getMessage().contains("private"));
        assertThrows(IllegalArgumentException.class, () -> DeviceKeys.parse(Map.of("kty", "RSA", "n", "x", "e", "AQAB")));
        assertThrows(IllegalArgumentException.class, () -> DeviceKeys.parse(Map.of("kty", "EC", "crv", "P-384", "x", "a", "y", "b")));
        Map<String, Object> offCurve = new HashMap<>(TestDeviceKeys.ec().jwk);
        offCurve.put("y", offCurve.get("x"));
        assertThrows(IllegalArgumentException.class, () -> DeviceKeys.parse(offCurve));
        assertThrows(IllegalArgumentException.class, () -> DeviceKeys.parse(Map.of("kty", "EC", "crv", "P-256", "x", "AAAA")));
        assertThrows(IllegalArgumentException.class, () -> DeviceKeys.parse(Map.of("kty", "OKP", "crv", "Ed25519", "x", "AAAA")));
        assertThrows(IllegalArgumentException.class, () -> DeviceKeys.parse(Map.of("kty", "OKP", "crv", "Ed25519", "x", "!!!")));
    }
}
