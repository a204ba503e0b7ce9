package io.iottokens.keycloak.purposed.rest;

import java.util.List;

import org.keycloak.representations.JsonWebToken;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.iottokens.keycloak.purposed.PurposedTokenService;

/**
 * A token just issued (the answer of create, and each of the bootstrap's three): {@code id}, {@code jwtClaim} (the
 * token's claims, with the purposed claims as a JSON string in {@code content}) and {@code token}, its value.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record IssuedTokenRepresentation(String id, JwtClaim jwtClaim, String token) {

    /**
     * The token's registered claims. {@code expiration} and {@code notBefore} are left out when the token has none;
     * every other field is always present.
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record JwtClaim(
            String content,
            String issuer,
            String subject,
            List<String> audience,
            @JsonInclude(JsonInclude.Include.NON_NULL) Long expiration,
            @JsonInclude(JsonInclude.Include.NON_NULL) Long notBefore,
            Long issuedAt,
            String jwtId) {
    }

    public static IssuedTokenRepresentation of(PurposedTokenService.Issued issued) {
        JsonWebToken jwt = issued.jwt();
        JwtClaim claim = new JwtClaim(
                PurposedTokenService.json(issued.claims().asClaims()),
                jwt.getIssuer(),
                jwt.getSubject(),
                jwt.getAudience() == null ? List.of() : List.of(jwt.getAudience()),
                jwt.getExp(),
                jwt.getNbf(),
                jwt.getIat(),
                jwt.getId());
        return new IssuedTokenRepresentation(issued.entity().getId(), claim, issued.token());
    }
}
