package io.iottokens.keycloak.apikey;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.zip.CRC32;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Key and secret values and the secret's keyed hash.
 *
 * <p>Keys look like {@code iotk_} + 22 base62 characters (public, ~131 bits); secrets like {@code iots_} +
 * 38 random base62 characters (~226 bits) + a 6-character CRC32 checksum, so that secret scanners can
 * recognise a leaked secret by its prefix and check it offline, as with GitHub's tokens. Because secrets
 * are long random values, a fast keyed hash is the right store: HMAC-SHA-256 under a server-side pepper,
 * compared in constant time. Nothing here logs or keeps a secret.
 */
public final class ApiKeySecrets {

    public static final String KEY_PREFIX = "iotk_";
    public static final String SECRET_PREFIX = "iots_";
    private static final String HASH_VERSION = "h1:";
    private static final char[] BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final int SECRET_RANDOM_CHARS = 38;
    private static final int CHECKSUM_CHARS = 6;
    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiKeySecrets() {
    }

    public static String newKey() {
        return KEY_PREFIX + random(22);
    }

    public static String newSecret() {
        String body = random(SECRET_RANDOM_CHARS);
        return SECRET_PREFIX + body + checksum(body);
    }

    /** Shape check only (prefix, length, alphabet, checksum): a cheap filter before any lookup. */
    public static boolean looksLikeSecret(String s) {
        if (s == null || s.length() != SECRET_PREFIX.length() + SECRET_RANDOM_CHARS + CHECKSUM_CHARS || !s.startsWith(SECRET_PREFIX)) {
            return false;
        }
        String body = s.substring(SECRET_PREFIX.length(), SECRET_PREFIX.length() + SECRET_RANDOM_CHARS);
        return isBase62(s.substring(SECRET_PREFIX.length())) && checksum(body).equals(s.substring(s.length() - CHECKSUM_CHARS));
    }

    public static boolean looksLikeKey(String s) {
        return s != null && s.length() == KEY_PREFIX.length() + 22 && s.startsWith(KEY_PREFIX) && isBase62(s.substring(KEY_PREFIX.length()));
    }

    public static String hash(byte[] pepper, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(pepper, "HmacSHA256"));
            byte[] h = mac.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            return HASH_VERSION + Base64.getUrlEncoder().withoutPadding().encodeToString(h);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** Constant-time comparison of a presented secret with a stored hash; false for a null hash. */
    public static boolean matches(byte[] pepper, String secret, String storedHash) {
        if (storedHash == null) {
            return false;
        }
        return MessageDigest.isEqual(hash(pepper, secret).getBytes(StandardCharsets.US_ASCII),
                storedHash.getBytes(StandardCharsets.US_ASCII));
    }

    public static byte[] newPepper() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return b;
    }

    private static String random(int n) {
        char[] c = new char[n];
        for (int i = 0; i < n; i++) {
            c[i] = BASE62[RANDOM.nextInt(BASE62.length)];
        }
        return new String(c);
    }

    static String checksum(String body) {
        CRC32 crc = new CRC32();
        crc.update(body.getBytes(StandardCharsets.US_ASCII));
        long v = crc.getValue();
        char[] c = new char[CHECKSUM_CHARS];
        for (int i = CHECKSUM_CHARS - 1; i >= 0; i--) {
            c[i] = BASE62[(int) (v % 62)];
            v /= 62;
        }
        return new String(c);
    }

    private static boolean isBase62(String s) {
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (!((ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z'))) {
                return false;
            }
        }
        return true;
    }
}
