package io.iottokens.keycloak.tenant.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.iottokens.keycloak.common.JsonOf;
import io.iottokens.keycloak.tenant.jpa.TenantGrantEntity;

/** The answers' JSON: the field names of the HTTP contract (docs/openapi.yaml), nulls written where the contract writes them. */
class TenantRepresentationsTest {

    private static TenantGrantEntity grant() {
        TenantGrantEntity g = new TenantGrantEntity();
        g.setId("grant-1");
        g.setOrgId("org-1");
        g.setOrgAlias("acme");
        g.setClientId("client-uuid");
        g.setAccessLevel("custom");
        g.setScopes("a b");
        g.setGrantedBy("user-1");
        g.setGrantedAt(0L);
        return g;
    }

    @Test
    void aGrantForItsTenantAdminHasNoId() throws Exception {
        JsonNode n = JsonOf.tree(TenantGrantRepresentation.of(grant(), "app", List.of("a", "b")));
        assertEquals(List.of("tenant", "tenantId", "clientId", "accessLevel", "scopes", "grantedBy", "grantedAt"), JsonOf.fields(n));
        assertEquals("acme", n.get("tenant").asText());
        assertEquals("org-1", n.get("tenantId").asText());
        assertEquals("app", n.get("clientId").asText());
        assertEquals("1970-01-01T00:00:00Z", n.get("grantedAt").asText());
        assertEquals(2, n.get("scopes").size());
    }

    @Test
    void aGrantOfAGoneApplicationShowsClientIdNull() throws Exception {
        JsonNode n = JsonOf.tree(TenantGrantRepresentation.of(grant(), null, List.of()));
        assertTrue(n.has("clientId") && n.get("clientId").isNull(), n.toString());
    }

    @Test
    void theAdministratorsViewAddsTheId() throws Exception {
        JsonNode n = JsonOf.tree(TenantGrantRepresentation.of(grant(), "app", List.of("a")).withId("grant-1"));
        assertEquals("grant-1", n.get("id").asText());
        assertEquals(8, n.size());
    }

    @Test
    void anAuthorizedTenantWritesEveryField() throws Exception {
        JsonNode n = JsonOf.tree(new AuthorizedTenantRepresentation("org-1", "acme", null, "limited", List.of("x")));
        assertEquals(List.of("id", "alias", "name", "accessLevel", "scopes"), JsonOf.fields(n));
        assertTrue(n.get("name").isNull());
    }

    @Test
    void aTokenBatchUsesTheTokenEndpointsNames() throws Exception {
        JsonNode n = JsonOf.tree(new TenantTokenBatchRepresentation(List.of(
                new TenantTokenBatchRepresentation.Token("acme", "org-1", "eyJ...", "Bearer", 300, null))));
        assertEquals(List.of("tokens"), JsonOf.fields(n));
        JsonNode t = n.get("tokens").get(0);
        assertEquals(List.of("tenant", "tenant_id", "access_token", "token_type", "expires_in", "scope"), JsonOf.fields(t));
        assertEquals(300, t.get("expires_in").asLong());
        assertTrue(t.get("scope").isNull());
        assertFalse(t.has("tenantId"));
    }
}
