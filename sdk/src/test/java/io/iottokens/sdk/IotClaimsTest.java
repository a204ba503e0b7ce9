package io.iottokens.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.iottokens.sdk.IotTokenException.InsufficientScopeException;

class IotClaimsTest {

    private static IotClaims of(com.nimbusds.jwt.JWTClaimsSet.Builder b) {
        return new IotClaims(b.build());
    }

    @Test
    void purposedTokenView() {
        IotClaims c = of(LocalJwks.claims()
                .claim("pur", "King Dude - Concert")
                .claim("tid", List.of("device-1", "device-2"))
                .claim("tgp", List.of("group-a"))
                .claim("ord", List.of("https://king-dude.example.com"))
                .claim("scp", List.of("upp:anchor", "upp:verify")));
        IotClaims.Purposed p = c.purposed().orElseThrow();
        assertEquals("King Dude - Concert", p.purpose());
        assertEquals(List.of("device-1", "device-2"), p.targetIdentities());
        assertEquals(List.of("upp:anchor", "upp:verify"), c.scopes(), "scp wins for purposed tokens");
        assertTrue(c.hasScope("upp:anchor"));
        assertFalse(c.hasScope("thing:create"));
        assertTrue(c.targetsIdentity("device-2"));
        assertFalse(c.targetsIdentity("device-3"));
        assertTrue(c.originAllowed("https://king-dude.example.com"));
        assertTrue(c.originAllowed("https://king-dude.example.com/"));
        assertFalse(c.originAllowed("https://evil.example.com"));
        assertFalse(c.originAllowed(null));
        assertTrue(c.tenant().isEmpty() && c.edge().isEmpty() && c.apiKey().isEmpty());
        assertThrows(InsufficientScopeException.class, () -> c.requireScope("thing:create"));
        assertThrows(InsufficientScopeException.class, () -> c.requireTargetsIdentity("device-3"));
        c.requireScope("upp:verify").requireTargetsIdentity("device-1").requireOrigin("https://king-dude.example.com");
    }

    @Test
    void wildcardTargetsEveryIdentity() {
        IotClaims c = of(LocalJwks.claims().claim("pur", "all my things").claim("tid", List.of("*")));
        assertTrue(c.targetsIdentity("any-device"));
    }

    @Test
    void tenantEdgeAndApiKeyViews() {
        IotClaims tenant = of(LocalJwks.claims().claim("ten", "acme").claim("ten_id", "org-uuid").claim("scope", "tenant:read tenant:write"));
        assertEquals(new IotClaims.Tenant("acme", "org-uuid", List.of("tenant:read", "tenant:write")), tenant.tenant().orElseThrow());
        assertTrue(tenant.tenantIs("acme") && tenant.tenantIs("org-uuid"));
        assertFalse(tenant.tenantIs("other"));
        assertThrows(InsufficientScopeException.class, () -> tenant.requireTenant("other"));

        IotClaims edge = of(LocalJwks.claims().claim("node_id", "node-7").claim("cnf", Map.of("jkt", "thumb")));
        assertEquals(new IotClaims.Edge("node-7", "thumb"), edge.edge().orElseThrow());

        IotClaims key = of(LocalJwks.claims().claim("api_key_id", "k-1").claim("realm_access", Map.of("roles", List.of("user"))));
        assertEquals("k-1", key.apiKey().orElseThrow().keyId());
        assertEquals(List.of("user"), key.realmRoles());
        assertEquals(List.of(), key.scopes());
    }
}
