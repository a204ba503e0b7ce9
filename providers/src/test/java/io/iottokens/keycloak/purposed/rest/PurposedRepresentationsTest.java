package io.iottokens.keycloak.purposed.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.keycloak.representations.JsonWebToken;
import org.keycloak.util.JsonSerialization;

import com.fasterxml.jackson.databind.JsonNode;

import io.iottokens.keycloak.common.JsonOf;
import io.iottokens.keycloak.purposed.PurposedBootstrap;
import io.iottokens.keycloak.purposed.PurposedClaims;
import io.iottokens.keycloak.purposed.PurposedTokenService;
import io.iottokens.keycloak.purposed.jpa.PurposedTokenEntity;

/** The answers' JSON: the field names of the HTTP contract (docs/openapi.yaml), nulls written where the contract writes them. */
class PurposedRepresentationsTest {

    private static PurposedTokenEntity entity(Long notBefore, Long expiresAt) {
        PurposedTokenEntity e = new PurposedTokenEntity();
        e.setId("t-1");
        e.setOwnerId("u-1");
        e.setCategory("purposed_claim");
        e.setPurpose("King Dude - Concert");
        e.setScopes("upp:verify upp:anchor");
        e.setTargetIdentities("[\"*\"]");
        e.setTargetGroups("[]");
        e.setCreatedAt(0L);
        e.setNotBefore(notBefore);
        e.setExpiresAt(expiresAt);
        return e;
    }

    private static PurposedTokenService.Issued issued(Long nbf, Long exp) {
        JsonWebToken jwt = new JsonWebToken();
        jwt.id("t-1");
        jwt.issuer("https://kc/realms/iot");
        jwt.subject("u-1");
        jwt.audience("iot-platform");
        jwt.iat(100L);
        jwt.exp(exp);
        jwt.nbf(nbf);
        PurposedClaims claims = new PurposedClaims("King Dude - Concert", List.of("*"), List.of(), List.of(), List.of("upp:verify"));
        return new PurposedTokenService.Issued(entity(nbf, exp), "eyJ.x.y", jwt, claims);
    }

    @Test
    void aListEntryWritesEveryFieldNullTimesIncluded() throws Exception {
        JsonNode n = JsonOf.tree(PurposedTokenRepresentation.of(entity(null, null)));
        assertEquals(List.of("id", "ownerId", "category", "purpose", "scopes", "targetIdentities", "targetGroups", "createdAt",
                "notBefore", "expiresAt"), JsonOf.fields(n));
        assertTrue(n.get("notBefore").isNull() && n.get("expiresAt").isNull(), n.toString());
        assertEquals("1970-01-01T00:00:00Z", n.get("createdAt").asText());
        assertEquals(2, n.get("scopes").size());
        assertEquals("*", n.get("targetIdentities").get(0).asText());
        assertEquals(0, n.get("targetGroups").size());
    }

    @Test
    void aListEntryWritesTimesAsIsoSeconds() throws Exception {
        JsonNode n = JsonOf.tree(PurposedTokenRepresentation.of(entity(60L, 120L)));
        assertEquals("1970-01-01T00:01:00Z", n.get("notBefore").asText());
        assertEquals("1970-01-01T00:02:00Z", n.get("expiresAt").asText());
    }

    @Test
    void anIssuedTokenHasItsClaimsAndValue() throws Exception {
        JsonNode n = JsonOf.tree(IssuedTokenRepresentation.of(issued(5L, 200L)));
        assertEquals(List.of("id", "jwtClaim", "token"), JsonOf.fields(n));
        JsonNode c = n.get("jwtClaim");
        assertEquals(List.of("content", "issuer", "subject", "audience", "expiration", "notBefore", "issuedAt", "jwtId"), JsonOf.fields(c));
        assertEquals(200, c.get("expiration").asLong());
        assertEquals(5, c.get("notBefore").asLong());
        assertEquals("iot-platform", c.get("audience").get(0).asText());
        JsonNode content = JsonSerialization.mapper.readTree(c.get("content").asText());
        assertEquals(List.of("scp", "pur", "tgp", "tid", "ord"), JsonOf.fields(content), "the claims as a JSON string, in the documented order");
        assertEquals("eyJ.x.y", n.get("token").asText());
    }

    @Test
    void anIssuedTokenLeavesOutTimesItHasNot() throws Exception {
        JsonNode c = JsonOf.tree(IssuedTokenRepresentation.of(issued(null, null))).get("jwtClaim");
        assertFalse(c.has("expiration"), c.toString());
        assertFalse(c.has("notBefore"), c.toString());
        assertTrue(c.has("issuedAt") && c.has("jwtId"));
    }

    @Test
    void aBootstrapAnswerHasTheThreeTokens() throws Exception {
        JsonNode n = JsonOf.tree(BootstrapRepresentation.of(new PurposedBootstrap.Bootstrapped(issued(null, 900L), issued(null, 1000L), issued(null, 1000L))));
        assertEquals(List.of("registration", "anchoring", "verification"), JsonOf.fields(n));
        assertEquals(900, n.get("registration").get("jwtClaim").get("expiration").asLong());
    }
}
