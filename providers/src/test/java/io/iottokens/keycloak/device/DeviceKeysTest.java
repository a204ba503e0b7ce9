package io.iottokens.keycloak.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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

    // ---- weak and degenerate keys -----------------------------------------------------------------

    private static final BigInteger P256_P = new BigInteger("ffffffff00000001000000000000000000000000ffffffffffffffffffffffff", 16);
    private static final String GX = "6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296";
    private static final String GY = "4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5";

    private static String b64(byte[] raw) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    private static String b64Hex(String hex) {
        return b64(HexFormat.of().parseHex(hex));
    }

    private static byte[] be32(BigInteger v) {
        byte[] raw = v.toByteArray();
        byte[] out = new byte[32];
        System.arraycopy(raw, Math.max(0, raw.length - 32), out, Math.max(0, 32 - raw.length), Math.min(32, raw.length));
        return out;
    }

    private static Map<String, Object> ec(String x, String y) {
        return Map.of("kty", "EC", "crv", "P-256", "x", x, "y", y);
    }

    private static Map<String, Object> ed(String x) {
        return Map.of("kty", "OKP", "crv", "Ed25519", "x", x);
    }

    @Test
    void freshKeysOfBothKindsAreAccepted() throws Exception {
        for (int i = 0; i < 40; i++) {
            TestDeviceKeys ec = TestDeviceKeys.ec();
            TestDeviceKeys ed = TestDeviceKeys.ed25519();
            assertTrue(DeviceKeys.verify(DeviceKeys.parse(ec.jwk), "x".getBytes(StandardCharsets.UTF_8), ec.sign("x", false)));
            assertTrue(DeviceKeys.verify(DeviceKeys.parse(ed.jwk), "x".getBytes(StandardCharsets.UTF_8), ed.sign("x", false)));
        }
    }

    @Test
    void p256PointsOffTheCurveAtInfinityOrOutOfRangeAreRefused() {
        String zero = b64(new byte[32]);
        BigInteger gy = new BigInteger(GY, 16);
        assertThrows(IllegalArgumentException.class, () -> DeviceKeys.parse(ec(zero, zero)), "(0, 0), infinity for some libraries");
        assertThrows(IllegalArgumentException.class, () -> DeviceKeys.parse(ec(b64Hex(GX), zero)));
        // y + p does not fit 32 bytes, x = p (reduces to 0) and y = p are out of range
        String p = b64(be32(P256_P));
        assertThrows(IllegalArgumentException.class, () -> DeviceKeys.parse(ec(p, b64Hex(GY))));
        assertThrows(IllegalArgumentException.class, () -> DeviceKeys.parse(ec(b64Hex(GX), p)));
        String all1 = b64(HexFormat.of().parseHex("ff".repeat(32)));
        assertThrows(IllegalArgumentException.class, () -> DeviceKeys.parse(ec(all1, all1)));
        // the generator and its negation: private key 1 and n-1
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DeviceKeys.parse(ec(b64Hex(GX), b64Hex(GY)))).getMessage().contains("generator"));
        assertThrows(IllegalArgumentException.class, () -> DeviceKeys.parse(ec(b64Hex(GX), b64(be32(P256_P.subtract(gy))))));
    }

    @Test
    void p256CoordinatesMustBe32BytesInCanonicalBase64url() throws Exception {
        Map<String, Object> good = TestDeviceKeys.ec().jwk;
        String x = (String) good.get("x");
        String y = (String) good.get("y");
        byte[] rawX = Base64.getUrlDecoder().decode(x);
        byte[] padded = new byte[33];
        System.arraycopy(rawX, 0, padded, 1, 32);
        assertThrows(IllegalArgumentException.class, () -> DeviceKeys.parse(ec(b64(padded), y)), "33 bytes with a leading zero");
        assertThrows(IllegalArgumentException.class, () -> DeviceKeys.parse(ec(b64(java.util.Arrays.copyOf(rawX, 31)), y)), "31 bytes");
        assertThrows(IllegalArgumentException.class, () -> DeviceKeys.parse(ec(x + "=", y)), "padding");
        assertThrows(IllegalArgumentException.class, () -> DeviceKeys.parse(ec(Base64.getEncoder().encodeToString(rawX), y)), "base64 with padding");
        assertThrows(IllegalArgumentException.class, () -> DeviceKeys.parse(ec(nonCanonical(x), y)), "non-zero unused bits");
        assertThrows(IllegalArgumentException.class, () -> DeviceKeys.parse(ec(" " + x, y)));
        assertThrows(IllegalArgumentException.class, () -> DeviceKeys.parse(Map.of("kty", "EC", "crv", "P-256", "x", x, "y", 5)));
        assertEquals(DeviceKeys.parse(good).thumbprint(), DeviceKeys.parse(ec(x, y)).thumbprint());
    }

    /** The same 32 bytes spelled differently: the last character's two unused bits set. */
    private static String nonCanonical(String b64) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        char last = b64.charAt(b64.length() - 1);
        return b64.substring(0, b64.length() - 1) + alphabet.charAt(alphabet.indexOf(last) ^ 1);
    }

    /**
     * The known small-order encodings (libsodium's blocklist: identity, all-zero, the order 2, 4 and 8 points,
     * non-canonical y = p-1, p, p+1), each also with the sign bit set.
     */
    @ParameterizedTest
    @ValueSource(strings = {
        "0000000000000000000000000000000000000000000000000000000000000000",
        "0000000000000000000000000000000000000000000000000000000000000080",
        "0100000000000000000000000000000000000000000000000000000000000000",
        "0100000000000000000000000000000000000000000000000000000000000080",
        "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
        "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",
        "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
        "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
        "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
        "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
        // non-canonical y = p + 2 .. 2^255 - 1, not small order but refused all the same
        "efffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
    })
    void ed25519SmallOrderAndNonCanonicalKeysAreRefused(String hex) {
        assertThrows(IllegalArgumentException.class, () -> DeviceKeys.parse(ed(b64Hex(hex))), hex);
    }

    @Test
    void ed25519EncodingsOfNoPointAreRefused() {
        BigInteger p = BigInteger.TWO.pow(255).subtract(BigInteger.valueOf(19));
        BigInteger d = BigInteger.valueOf(-121665).multiply(BigInteger.valueOf(121666).modInverse(p)).mod(p);
        int refused = 0;
        for (int y = 2; refused < 10; y++) {
            BigInteger by = BigInteger.valueOf(y);
            BigInteger x2 = by.pow(2).subtract(BigInteger.ONE).multiply(d.multiply(by.pow(2)).add(BigInteger.ONE).modInverse(p)).mod(p);
            boolean square = x2.modPow(p.subtract(BigInteger.ONE).shiftRight(1), p).compareTo(BigInteger.ONE) <= 0; // Euler's criterion
            byte[] le = new byte[32];
            le[0] = (byte) y;
            Map<String, Object> jwk = ed(b64(le));
            if (square) {
                DeviceKeys.parse(jwk); // a point, of large order
            } else {
                assertThrows(IllegalArgumentException.class, () -> DeviceKeys.parse(jwk), "y = " + y);
                refused++;
            }
        }
    }

    @Test
    void ed25519KeysMustBe32BytesInCanonicalBase64url() throws Exception {
        String x = (String) TestDeviceKeys.ed25519().jwk.get("x");
        assertThrows(IllegalArgumentException.class, () -> DeviceKeys.parse(ed(x + "=")));
        assertThrows(IllegalArgumentException.class, () -> DeviceKeys.parse(ed(nonCanonical(x))));
        assertThrows(IllegalArgumentException.class, () -> DeviceKeys.parse(ed(x + "AA")));
        assertThrows(IllegalArgumentException.class, () -> DeviceKeys.parse(ed(x.substring(0, 42))));
        DeviceKeys.parse(ed(x));
    }
}
