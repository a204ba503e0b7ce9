package io.iottokens.keycloak.apikey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class ApiKeySecretsTest {

    private static final byte[] PEPPER = "a-server-side-pepper-of-32-chars!".getBytes(StandardCharsets.UTF_8);

    @Test
    void keysAndSecretsHaveTheirPrefixLengthAndChecksum() {
        String key = ApiKeySecrets.newKey();
        String secret = ApiKeySecrets.newSecret();
        assertTrue(key.startsWith("iotk_") && key.length() == 27, key);
        assertTrue(secret.startsWith("iots_") && secret.length() == 49, secret);
        assertTrue(ApiKeySecrets.looksLikeKey(key));
        assertTrue(ApiKeySecrets.looksLikeSecret(secret));
        assertFalse(ApiKeySecrets.looksLikeSecret(key));
        // one changed character breaks the checksum: scanners can tell a real secret from a look-alike
        char c = secret.charAt(10);
        String typo = secret.substring(0, 10) + (c == 'a' ? 'b' : 'a') + secret.substring(11);
        assertFalse(ApiKeySecrets.looksLikeSecret(typo));
        assertFalse(ApiKeySecrets.looksLikeSecret("iots_" + "!".repeat(44)));
        assertFalse(ApiKeySecrets.looksLikeKey("iotk_short"));
    }

    @Test
    void valuesAreRandom() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            assertTrue(seen.add(ApiKeySecrets.newSecret()));
            assertTrue(seen.add(ApiKeySecrets.newKey()));
        }
    }

    @Test
    void hashIsKeyedStableAndNeverTheSecret() {
        String secret = ApiKeySecrets.newSecret();
        String h = ApiKeySecrets.hash(PEPPER, secret);
        assertEquals(h, ApiKeySecrets.hash(PEPPER, secret));
        assertFalse(h.contains(secret.substring(5)));
        assertTrue(h.startsWith("h1:") && h.length() <= 64, h);
        assertNotEquals(h, ApiKeySecrets.hash("another-pepper-another-pepper-xx".getBytes(StandardCharsets.UTF_8), secret),
                "another pepper, another hash: a stolen table is useless without the pepper");
    }

    @Test
    void matchesOnlyTheRightSecret() {
        String secret = ApiKeySecrets.newSecret();
        String h = ApiKeySecrets.hash(PEPPER, secret);
        assertTrue(ApiKeySecrets.matches(PEPPER, secret, h));
        assertFalse(ApiKeySecrets.matches(PEPPER, ApiKeySecrets.newSecret(), h));
        assertFalse(ApiKeySecrets.matches(PEPPER, secret + "x", h));
        assertFalse(ApiKeySecrets.matches(PEPPER, secret, null));
        assertFalse(ApiKeySecrets.matches(PEPPER, "", h));
    }
}
