package io.iottokens.keycloak.device;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.EdECPoint;
import java.security.spec.EdECPublicKeySpec;
import java.security.spec.NamedParameterSpec;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

/**
 * Device public keys (JWK, EC P-256 or Ed25519 only, never a private part) and ubirch's request signature:
 * {@code X-Signature} = base64 of the signature of the SHA-512 digest of the raw body. For ECDSA P-256 that
 * is SHA512withECDSA over the body (DER or raw R||S accepted); for Ed25519, the Ed25519 signature of the
 * 64-byte digest. JDK crypto only; EC points are checked to lie on the curve.
 */
public final class DeviceKeys {

    /** A parsed device key: the JDK key, its canonical public JWK members and RFC 7638 thumbprint. */
    public record DeviceKey(PublicKey publicKey, String kty, String crv, Map<String, String> publicJwk, String thumbprint) {
    }

    private static final BigInteger P256_P = new BigInteger("ffffffff00000001000000000000000000000000ffffffffffffffffffffffff", 16);
    private static final BigInteger P256_A = P256_P.subtract(BigInteger.valueOf(3));
    private static final BigInteger P256_B = new BigInteger("5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b", 16);

    private DeviceKeys() {
    }

    /** Parses a public JWK; {@link IllegalArgumentException} with a reason for anything else. */
    public static DeviceKey parse(Map<String, Object> jwk) {
        if (jwk.containsKey("d")) {
            throw new IllegalArgumentException("the JWK holds a private key part ('d'): send the public key only");
        }
        String kty = str(jwk, "kty");
        String crv = str(jwk, "crv");
        try {
            if ("EC".equals(kty) && "P-256".equals(crv)) {
                String x = str(jwk, "x");
                String y = str(jwk, "y");
                BigInteger bx = coordinate(x);
                BigInteger by = coordinate(y);
                if (!onP256(bx, by)) {
                    throw new IllegalArgumentException("the EC point is not on P-256");
                }
                AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
                params.init(new ECGenParameterSpec("secp256r1"));
                ECParameterSpec spec = params.getParameterSpec(ECParameterSpec.class);
                PublicKey key = KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(new ECPoint(bx, by), spec));
                Map<String, String> members = canonical(Map.of("crv", crv, "kty", kty, "x", x, "y", y));
                return new DeviceKey(key, kty, crv, members, thumbprint(members));
            }
            if ("OKP".equals(kty) && "Ed25519".equals(crv)) {
                String x = str(jwk, "x");
                byte[] raw = Base64.getUrlDecoder().decode(x);
                if (raw.length != 32) {
                    throw new IllegalArgumentException("an Ed25519 key is 32 bytes");
                }
                byte[] le = raw.clone();
                boolean xOdd = (le[31] & 0x80) != 0;
                le[31] &= 0x7f;
                byte[] be = new byte[32];
                for (int i = 0; i < 32; i++) {
                    be[i] = le[31 - i];
                }
                PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(
                        new EdECPublicKeySpec(NamedParameterSpec.ED25519, new EdECPoint(xOdd, new BigInteger(1, be))));
                Map<String, String> members = canonical(Map.of("crv", crv, "kty", kty, "x", x));
                return new DeviceKey(key, kty, crv, members, thumbprint(members));
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException(e instanceof IllegalArgumentException && e.getMessage() != null && !e.getMessage().startsWith("Illegal")
                    ? e.getMessage() : "the JWK is not a valid public key", e);
        }
        throw new IllegalArgumentException("only EC P-256 and OKP Ed25519 keys are supported");
    }

    /** True when {@code signatureB64} signs the SHA-512 digest of {@code body} with {@code key}. */
    public static boolean verify(DeviceKey key, byte[] body, String signatureB64) {
        byte[] signature;
        try {
            signature = Base64.getDecoder().decode(signatureB64.trim());
        } catch (IllegalArgumentException e) {
            try {
                signature = Base64.getUrlDecoder().decode(signatureB64.trim());
            } catch (IllegalArgumentException e2) {
                return false;
            }
        }
        try {
            if ("OKP".equals(key.kty())) {
                Signature s = Signature.getInstance("Ed25519");
                s.initVerify(key.publicKey());
                s.update(MessageDigest.getInstance("SHA-512").digest(body));
                return s.verify(signature);
            }
            String alg = signature.length == 64 ? "SHA512withECDSAinP1363Format" : "SHA512withECDSA";
            Signature s = Signature.getInstance(alg);
            s.initVerify(key.publicKey());
            s.update(body);
            return s.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private static boolean onP256(BigInteger x, BigInteger y) {
        if (x.signum() < 0 || y.signum() < 0 || x.compareTo(P256_P) >= 0 || y.compareTo(P256_P) >= 0) {
            return false;
        }
        BigInteger left = y.modPow(BigInteger.TWO, P256_P);
        BigInteger right = x.modPow(BigInteger.valueOf(3), P256_P).add(P256_A.multiply(x)).add(P256_B).mod(P256_P);
        return left.equals(right);
    }

    private static BigInteger coordinate(String b64) {
        byte[] raw = Base64.getUrlDecoder().decode(b64);
        if (raw.length != 32) {
            throw new IllegalArgumentException("a P-256 coordinate is 32 bytes");
        }
        return new BigInteger(1, raw);
    }

    private static String str(Map<String, Object> jwk, String name) {
        Object v = jwk.get(name);
        if (!(v instanceof String s) || s.isEmpty()) {
            throw new IllegalArgumentException("the JWK member '" + name + "' is missing");
        }
        return s;
    }

    private static Map<String, String> canonical(Map<String, String> m) {
        return new TreeMap<>(m);
    }

    /** RFC 7638: SHA-256 over the required members in lexicographic order, base64url. */
    static String thumbprint(Map<String, String> sortedMembers) {
        StringBuilder json = new StringBuilder("{");
        sortedMembers.forEach((k, v) -> json.append(json.length() > 1 ? "," : "").append('"').append(k).append("\":\"").append(v).append('"'));
        json.append('}');
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(json.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
