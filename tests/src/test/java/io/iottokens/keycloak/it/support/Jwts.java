package io.iottokens.keycloak.it.support;

import java.text.ParseException;
import java.util.Set;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

/** Verifies tokens the way a resource server would: nimbus-jose-jwt against the realm's published JWKS. */
public final class Jwts {

    private Jwts() {
    }

    public static JWKSet realmJwks(Api api, String realm) {
        Api.Resp r = api.get(api.server().realmUrl(realm) + "/protocol/openid-connect/certs", null);
        if (r.status() != 200) {
            throw new AssertionError("JWKS: " + r);
        }
        try {
            return JWKSet.parse(r.body());
        } catch (ParseException e) {
            throw new AssertionError("JWKS is not a JWK set: " + r.body(), e);
        }
    }

    /** Signature (RS256 or ES256, by the realm's keys), issuer, exp and nbf: throws when any is wrong. */
    public static JWTClaimsSet verify(Api api, String token) throws BadJOSEException, JOSEException, ParseException {
        DefaultJWTProcessor<SecurityContext> p = new DefaultJWTProcessor<>();
        p.setJWSKeySelector(new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256),
                new ImmutableJWKSet<>(realmJwks(api, Api.REALM))));
        p.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(
                new JWTClaimsSet.Builder().issuer(api.server().realmUrl(Api.REALM)).build(),
                Set.of("sub", "exp", "iat", "jti")));
        return p.process(token, null);
    }

    /** The claims without any check, for looking at a token that is expected to be refused. */
    public static JWTClaimsSet peek(String token) throws ParseException {
        return SignedJWT.parse(token).getJWTClaimsSet();
    }

    /** exp - iat of a token within a second: Keycloak reads the clock separately for each, a second boundary may fall between. */
    public static void assertLifetime(long seconds, JWTClaimsSet token, String... what) {
        long lifetime = (token.getExpirationTime().getTime() - token.getIssueTime().getTime()) / 1000;
        if (Math.abs(seconds - lifetime) > 1) {
            throw new AssertionError(String.join(" ", what) + " lifetime " + lifetime + " s, expected " + seconds);
        }
    }
}
