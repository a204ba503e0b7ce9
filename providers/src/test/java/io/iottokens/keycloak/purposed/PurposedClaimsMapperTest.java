package io.iottokens.keycloak.purposed;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class PurposedClaimsMapperTest {

    @Test
    void staticConfigurationBecomesClaimsWithArraysKeptAsArrays() {
        Map<String, String> config = Map.of(
                PurposedClaimsMapper.CFG_PURPOSE, "King Dude - Concert",
                PurposedClaimsMapper.CFG_TARGET_IDENTITIES, "e21552f8##  d7a81058 ",
                PurposedClaimsMapper.CFG_ORIGIN_DOMAINS, "http://verification.dev.example.com",
                PurposedClaimsMapper.CFG_SCOPES, "upp:verify");
        Map<String, Object> claims = new HashMap<>();
        PurposedClaimsMapper.write(claims, PurposedClaimsMapper.fromConfig(config));
        assertEquals("King Dude - Concert", claims.get("pur"));
        assertEquals(List.of("e21552f8", "d7a81058"), claims.get("tid"));
        assertEquals(List.of(), claims.get("tgp"), "an empty list stays an empty array, as in the README's examples");
        assertEquals(List.of("http://verification.dev.example.com"), claims.get("ord"));
        assertEquals(List.of("upp:verify"), claims.get("scp"));
    }

    @Test
    void multivaluedConfigurationIsSplitOnTheKeycloakDelimiter() {
        assertEquals(List.of(), PurposedClaimsMapper.list(null));
        assertEquals(List.of(), PurposedClaimsMapper.list(" "));
        assertEquals(List.of("*"), PurposedClaimsMapper.list("*"));
        assertEquals(List.of("a", "b"), PurposedClaimsMapper.list("a####b##"));
    }
}
