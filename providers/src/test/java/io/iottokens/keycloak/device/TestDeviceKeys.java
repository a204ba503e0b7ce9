package io.iottokens.keycloak.device;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

/** Device key pairs made with the JDK, their public JWKs, and ubirch-style body signatures. */
public final class TestDeviceKeys {

    public final KeyPair pair;
    public final Map<String, Object> jwk;

    private TestDeviceKeys(KeyPair pair, Map<String, Object> jwk) {
        this.pair = pair;
        this.jwk = jwk;
    }

    public static TestDeviceKeys ec() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair p = g.generateKeyPair();
        ECPublicKey pub = (ECPublicKey) p.getPublic();
        Map<String, Object> jwk = new HashMap<>();
        jwk.put("kty", "EC");
        jwk.put("crv", "P-256");
        jwk.put("x", b64(fixed(pub.getW().getAffineX())));
        jwk.put("y", b64(fixed(pub.getW().getAffineY())));
        return new TestDeviceKeys(p, jwk);
    }

    public static TestDeviceKeys ed25519() throws Exception {
        KeyPair p = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        EdECPublicKey pub = (EdECPublicKey) p.getPublic();
        byte[] be = fixed(pub.getPoint().getY());
        byte[] le = new byte[32];
        for (int i = 0; i < 32; i++) {
            le[i] = be[31 - i];
        }
        if (pub.getPoint().isXOdd()) {
            le[31] |= (byte) 0x80;
        }
        Map<String, Object> jwk = new HashMap<>();
        jwk.put("kty", "OKP");
        jwk.put("crv", "Ed25519");
        jwk.put("x", b64(le));
        return new TestDeviceKeys(p, jwk);
    }

    /** base64 of the signature of the SHA-512 digest of {@code body} (DER for ECDSA unless {@code raw}). */
    public String sign(String body, boolean raw) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        Signature s;
        if ("OKP".equals(jwk.get("kty"))) {
            s = Signature.getInstance("Ed25519");
            s.initSign(pair.getPrivate());
            s.update(MessageDigest.getInstance("SHA-512").digest(bytes));
        } else {
            s = Signature.getInstance(raw ? "SHA512withECDSAinP1363Format" : "SHA512withECDSA");
            s.initSign(pair.getPrivate());
            s.update(bytes);
        }
        return Base64.getEncoder().encodeToString(s.sign());
    }

    /** The JWS algorithm of this key: ES256 or EdDSA. */
    public String alg() {
        return "OKP".equals(jwk.get("kty")) ? "EdDSA" : "ES256";
    }

    /** A compact JWS of {@code claims} signed with this key; {@code header} members are added to {@code alg}. */
    public String jws(Map<String, Object> header, Map<String, Object> claims) throws Exception {
        ObjectMapper json = new ObjectMapper();
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("alg", alg());
        h.putAll(header);
        String input = b64(json.writeValueAsBytes(h)) + "." + b64(json.writeValueAsBytes(claims));
        Signature s = Signature.getInstance("OKP".equals(jwk.get("kty")) ? "Ed25519" : "SHA256withECDSAinP1363Format");
        s.initSign(pair.getPrivate());
        s.update(input.getBytes(StandardCharsets.US_ASCII));
        return input + "." + b64(s.sign());
    }

    /** An RFC 9449 DPoP proof for {@code method url}, bound to {@code accessToken} when it is not null. */
    public String dpop(String method, String url, String accessToken) throws Exception {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("htm", method);
        claims.put("htu", url);
        claims.put("iat", System.currentTimeMillis() / 1000);
        claims.put("jti", java.util.UUID.randomUUID().toString());
        if (accessToken != null) {
            claims.put("ath", b64(MessageDigest.getInstance("SHA-256").digest(accessToken.getBytes(StandardCharsets.US_ASCII))));
        }
        return jws(Map.of("typ", "dpop+jwt", "jwk", jwk), claims);
    }

    private static byte[] fixed(BigInteger v) {
        byte[] b = v.toByteArray();
        byte[] out = new byte[32];
        int n = Math.min(32, b.length);
        System.arraycopy(b, b.length - n, out, 32 - n, n);
        return out;
    }

    private static String b64(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
