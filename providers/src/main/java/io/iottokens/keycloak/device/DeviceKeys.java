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
 * 64-byte digest. JDK crypto only; weak and degenerate keys are refused (see {@link #parse}).
 */
public final class DeviceKeys {

    /** A parsed device key: the JDK key, its canonical public JWK members and RFC 7638 thumbprint. */
    public record DeviceKey(PublicKey publicKey, String kty, String crv, Map<String, String> publicJwk, String thumbprint) {
    }

    private static final BigInteger P256_P = new BigInteger("ffffffff00000001000000000000000000000000ffffffffffffffffffffffff", 16);
    private static final BigInteger P256_A = P256_P.subtract(BigInteger.valueOf(3));
    private static final BigInteger P256_B = new BigInteger("5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b", 16);
    private static final BigInteger P256_GX = new BigInteger("6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296", 16);
    private static final BigInteger P256_GY = new BigInteger("4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5", 16);

    private DeviceKeys() {
    }

    /**
     * Parses a public JWK; {@link IllegalArgumentException} with a reason for anything else. Weak and degenerate keys
     * are refused, so no device can register a key whose signatures anyone could forge:
     * <ul>
     * <li>EC P-256: {@code x} and {@code y} exactly 32 bytes in canonical unpadded base64url (one spelling per key,
     * so one thumbprint per key), each below p, the point on the curve. The point at infinity has no affine
     * coordinates (and (0, 0), used for it by some libraries, is off the curve); P-256 has cofactor 1, so every
     * other point on it has the full prime order and no small-subgroup point exists. The generator itself and its
     * negation (private key 1 or n-1) are refused.</li>
     * <li>Ed25519: {@code x} exactly 32 bytes, canonical base64url; the encoded y below p (RFC 8032 5.1.3: no
     * non-canonical encodings); a point that decodes (x^2 exists, no "negative zero"); and not of small order:
     * [8]P must not be the identity, which refuses the identity, the all-zero encoding and the other torsion
     * points that make signatures verify for any message (the small-order blocklists of libsodium and others).</li>
     * </ul>
     */
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
                BigInteger bx = new BigInteger(1, bytes32(x, "a P-256 coordinate"));
                BigInteger by = new BigInteger(1, bytes32(y, "a P-256 coordinate"));
                if (!onP256(bx, by)) {
                    throw new IllegalArgumentException("the EC point is not on P-256");
                }
                if (bx.equals(P256_GX)) {
                    throw new IllegalArgumentException("the EC point is the P-256 generator (private key 1 or n-1): a weak key");
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
                byte[] raw = bytes32(x, "an Ed25519 key");
                byte[] le = raw.clone();
                boolean xOdd = (le[31] & 0x80) != 0;
                le[31] &= 0x7f;
                byte[] be = new byte[32];
                for (int i = 0; i < 32; i++) {
                    be[i] = le[31 - i];
                }
                BigInteger y = new BigInteger(1, be);
                Ed25519.requireStrong(y, xOdd);
                PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(
                        new EdECPublicKeySpec(NamedParameterSpec.ED25519, new EdECPoint(xOdd, y)));
                Map<String, String> members = canonical(Map.of("crv", crv, "kty", kty, "x", x));
                return new DeviceKey(key, kty, crv, members, thumbprint(members));
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException(e instanceof IllegalArgumentException && e.getMessage() != null && !e.getMessage().startsWith("Illegal")
                    ? e.getMessage() : "the JWK is not a valid public key", e);
        }
        throw new IllegalArgumentException("only EC P-256 and OKP Ed25519 keys are supported");
    }

    /** The edwards25519 arithmetic needed to refuse bad public keys (RFC 8032 5.1); public data only, so no constant time. */
    static final class Ed25519 {
        static final BigInteger P = BigInteger.TWO.pow(255).subtract(BigInteger.valueOf(19));
        private static final BigInteger D = BigInteger.valueOf(-121665).multiply(BigInteger.valueOf(121666).modInverse(P)).mod(P);
        private static final BigInteger SQRT_M1 = BigInteger.TWO.modPow(P.subtract(BigInteger.ONE).shiftRight(2), P);

        private Ed25519() {
        }

        static void requireStrong(BigInteger y, boolean xOdd) {
            if (y.compareTo(P) >= 0) {
                throw new IllegalArgumentException("the Ed25519 key is not canonically encoded (y >= p)");
            }
            BigInteger x = recoverX(y, xOdd);
            if (x == null) {
                throw new IllegalArgumentException("the Ed25519 key is not a point on the curve");
            }
            BigInteger[] q = {x, y};
            for (int i = 0; i < 3; i++) {
                q = add(q, q);
            }
            if (q[0].signum() == 0 && q[1].equals(BigInteger.ONE)) {
                throw new IllegalArgumentException("the Ed25519 key is a point of small order (identity or torsion): a weak key");
            }
        }

        /** RFC 8032 5.1.3 steps 2 to 4; null when there is no such point. */
        static BigInteger recoverX(BigInteger y, boolean xOdd) {
            BigInteger y2 = y.multiply(y).mod(P);
            BigInteger u = y2.subtract(BigInteger.ONE).mod(P);
            BigInteger v = D.multiply(y2).add(BigInteger.ONE).mod(P);
            BigInteger v3 = v.pow(3).mod(P);
            BigInteger x = u.multiply(v3).multiply(u.multiply(v3).multiply(v3).multiply(v).mod(P)
                    .modPow(P.subtract(BigInteger.valueOf(5)).shiftRight(3), P)).mod(P);
            BigInteger vx2 = v.multiply(x).multiply(x).mod(P);
            if (!vx2.equals(u)) {
                if (!vx2.equals(u.negate().mod(P))) {
                    return null;
                }
                x = x.multiply(SQRT_M1).mod(P);
            }
            if (x.signum() == 0 && xOdd) {
                return null;
            }
            return x.testBit(0) == xOdd ? x : P.subtract(x);
        }

        /** Affine addition on -x^2 + y^2 = 1 + d x^2 y^2 (complete: no special cases). */
        static BigInteger[] add(BigInteger[] a, BigInteger[] b) {
            BigInteger t = D.multiply(a[0]).multiply(b[0]).multiply(a[1]).multiply(b[1]).mod(P);
            BigInteger x = a[0].multiply(b[1]).add(a[1].multiply(b[0])).multiply(BigInteger.ONE.add(t).modInverse(P)).mod(P);
            BigInteger y = a[1].multiply(b[1]).add(a[0].multiply(b[0])).multiply(BigInteger.ONE.subtract(t).mod(P).modInverse(P)).mod(P);
            return new BigInteger[] {x, y};
        }
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

    /**
     * Exactly 32 bytes in unpadded base64url (RFC 7518), and in its canonical spelling: the unused low bits of the last
     * character are zero, so a key has one encoding, one thumbprint and one registration.
     */
    private static byte[] bytes32(String b64, String what) {
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(b64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " must be base64url");
        }
        if (raw.length != 32) {
            throw new IllegalArgumentException(what + " is 32 bytes");
        }
        if (!Base64.getUrlEncoder().withoutPadding().encodeToString(raw).equals(b64)) {
            throw new IllegalArgumentException(what + " must be unpadded, canonical base64url");
        }
        return raw;
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
