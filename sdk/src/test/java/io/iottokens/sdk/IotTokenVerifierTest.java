package io.iottokens.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Date;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;

import io.iottokens.sdk.IotTokenException.InvalidTokenException;
import io.iottokens.sdk.IotTokenException.UnavailableException;

class IotTokenVerifierTest {

    private LocalJwks jwks;
    private IotTokenVerifier verifier;

    @BeforeEach
    void start() throws Exception {
        jwks = new LocalJwks();
        verifier = jwks.verifier().audience("iot-platform").build();
    }

    @AfterEach
    void stop() throws Exception {
        jwks.close();
    }

    @Test
    void validRs256AndEs256TokensVerify() throws Exception {
        IotClaims rs = verifier.decodeAndVerify(LocalJwks.rs256(jwks.rsa, LocalJwks.claims().build()));
        assertEquals("user-1", rs.subject());
        IotClaims es = verifier.decodeAndVerify(LocalJwks.es256(jwks.ec, LocalJwks.claims().subject("user-2").build()));
        assertEquals("user-2", es.subject());
        assertEquals(1, verifier.jwksFetches(), "one fetch, then the cache");
    }

    @Test
    void expiryAndNotBeforeHonourTheClockSkew() throws Exception {
        long now = System.currentTimeMillis();
        String expiredLongAgo = LocalJwks.rs256(jwks.rsa, LocalJwks.claims().expirationTime(new Date(now - 60_000)).build());
        assertThrows(InvalidTokenException.class, () -> verifier.decodeAndVerify(expiredLongAgo));
        String justExpired = LocalJwks.rs256(jwks.rsa, LocalJwks.claims().expirationTime(new Date(now - 10_000)).build());
        verifier.decodeAndVerify(justExpired); // within the 30 s skew
        String notYet = LocalJwks.rs256(jwks.rsa, LocalJwks.claims().notBeforeTime(new Date(now + 120_000)).build());
        assertThrows(InvalidTokenException.class, () -> verifier.decodeAndVerify(notYet));
    }

    @Test
    void wrongIssuerOrAudienceIsRefused() throws Exception {
        String otherIssuer = LocalJwks.rs256(jwks.rsa, LocalJwks.claims().issuer("https://id.example.test/realms/other").build());
        assertThrows(InvalidTokenException.class, () -> verifier.decodeAndVerify(otherIssuer));
        String otherAudience = LocalJwks.rs256(jwks.rsa, LocalJwks.claims().audience("somebody-else").build());
        assertThrows(InvalidTokenException.class, () -> verifier.decodeAndVerify(otherAudience));
        String noAudience = LocalJwks.rs256(jwks.rsa, LocalJwks.claims().audience((String) null).build());
        assertThrows(InvalidTokenException.class, () -> verifier.decodeAndVerify(noAudience));
        String noExp = LocalJwks.rs256(jwks.rsa, LocalJwks.claims().expirationTime(null).build());
        assertThrows(InvalidTokenException.class, () -> verifier.decodeAndVerify(noExp), "exp is required");
    }

    @Test
    void algNoneIsRefused() {
        String none = new PlainJWT(LocalJwks.claims().build()).serialize();
        assertThrows(InvalidTokenException.class, () -> verifier.decodeAndVerify(none));
    }

    @Test
    void hmacSignedWithThePublicKeyIsRefused() throws Exception {
        // the classic algorithm confusion: HS256 keyed with the bytes of the published RSA public key
        byte[] publicKeyBytes = jwks.rsa.toRSAPublicKey().getEncoded();
        SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).keyID("rsa-1").build(),
                LocalJwks.claims().subject("admin").build());
        forged.sign(new MACSigner(publicKeyBytes));
        assertThrows(InvalidTokenException.class, () -> verifier.decodeAndVerify(forged.serialize()));
        assertThrows(IllegalArgumentException.class, () -> jwks.verifier().algorithms(JWSAlgorithm.HS256),
                "HMAC cannot even be configured");
    }

    @Test
    void unknownKidsCannotHammerTheJwksEndpoint() throws Exception {
        // one stranger key under 50 kids, signed before the clock matters: generating 50 RSA keys on a loaded
        // machine took longer than the refresh interval, which then rightly allowed another fetch
        RSAKey stranger = new RSAKeyGenerator(2048).generate();
        List<String> tokens = new java.util.ArrayList<>();
        for (int i = 0; i < 50; i++) {
            tokens.add(LocalJwks.rs256(new RSAKey.Builder(stranger).keyID("unknown-" + i).build(), LocalJwks.claims().build()));
        }
        verifier.decodeAndVerify(LocalJwks.rs256(jwks.rsa, LocalJwks.claims().build()));
        for (String token : tokens) {
            assertThrows(InvalidTokenException.class, () -> verifier.decodeAndVerify(token));
        }
        assertTrue(verifier.jwksFetches() <= 2, "50 unknown kids, at most one extra fetch: " + verifier.jwksFetches());
        assertEquals(verifier.jwksFetches(), jwks.fetches.get());
    }

    @Test
    void aRotatedKeyIsPickedUpAfterTheRefreshInterval() throws Exception {
        IotTokenVerifier v = jwks.verifier().jwksMinRefreshInterval(Duration.ofMillis(500)).build();
        v.decodeAndVerify(LocalJwks.rs256(jwks.rsa, LocalJwks.claims().build()));
        RSAKey next = new RSAKeyGenerator(2048).keyID("rsa-2").generate();
        jwks.published.set(List.of(next, jwks.ec));
        Thread.sleep(600);
        IotClaims c = v.decodeAndVerify(LocalJwks.rs256(next, LocalJwks.claims().subject("after-rotation").build()));
        assertEquals("after-rotation", c.subject());
        assertEquals(2, v.jwksFetches());
    }

    @Test
    void oversizedTokensAreRefusedBeforeAnyWork() throws Exception {
        String big = LocalJwks.rs256(jwks.rsa, LocalJwks.claims().claim("padding", "x".repeat(20_000)).build());
        assertThrows(InvalidTokenException.class, () -> verifier.decodeAndVerify(big));
        assertEquals(0, verifier.jwksFetches());
    }

    @Test
    void malformedAndNonAccessTokensAreRefused() throws Exception {
        for (String junk : new String[] {"", "abc", "a.b.c", "eyJhbGciOiJSUzI1NiJ9.e30."}) {
            assertThrows(InvalidTokenException.class, () -> verifier.decodeAndVerify(junk), junk);
        }
        String idToken = LocalJwks.rs256(jwks.rsa, LocalJwks.claims().claim("typ", "ID").build());
        assertThrows(InvalidTokenException.class, () -> verifier.decodeAndVerify(idToken));
        jwks.verifier().audience("iot-platform").acceptIdTokens(true).build().decodeAndVerify(idToken);
        String refresh = LocalJwks.rs256(jwks.rsa, LocalJwks.claims().claim("typ", "Refresh").build());
        assertThrows(InvalidTokenException.class, () -> verifier.decodeAndVerify(refresh));
    }

    @Test
    void anUnreachableJwksIsUnavailableNotInvalid() throws Exception {
        String token = LocalJwks.rs256(jwks.rsa, LocalJwks.claims().build());
        jwks.close();
        UnavailableException e = assertThrows(UnavailableException.class, () -> verifier.decodeAndVerify(token));
        assertEquals(503, e.httpStatus());
    }

    @Test
    void exceptionsMapToHttpStatuses() {
        assertEquals(401, new InvalidTokenException("x").httpStatus());
        assertEquals("invalid_token", new InvalidTokenException("x").oauthError());
        assertEquals(403, new IotTokenException.InsufficientScopeException("x").httpStatus());
        assertEquals("insufficient_scope", new IotTokenException.InsufficientScopeException("x").oauthError());
    }

    static JWTClaimsSet.Builder base() {
        return LocalJwks.claims();
    }
}
