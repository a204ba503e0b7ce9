package io.iottokens.keycloak.tenant.rest;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.keycloak.events.admin.OperationType;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.resources.admin.AdminEventBuilder;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.iottokens.keycloak.common.AdminEvents;
import io.iottokens.keycloak.tenant.TenantGrantService;
import io.iottokens.keycloak.tenant.jpa.TenantGrantEntity;

/**
 * A tenant's grant to an application as the REST API shows it: every field always present ({@code clientId} is
 * null when the application is gone), {@code scopes} the scopes the grant gives today, {@code grantedAt} ISO-8601
 * UTC. {@code id} only in the administrators' view ({@code /admin/realms/{realm}/tenant-grants}), where it names
 * the grant.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record TenantGrantRepresentation(
        @JsonInclude(JsonInclude.Include.NON_NULL) String id,
        String tenant,
        String tenantId,
        String clientId,
        String accessLevel,
        List<String> scopes,
        String grantedBy,
        String grantedAt) {

    /** The grant as its tenant admin sees it (no {@code id}): the application's clientId and the scopes the grant gives today. */
    static TenantGrantRepresentation of(KeycloakSession session, RealmModel realm, TenantGrantService service, TenantGrantEntity g) {
        ClientModel app = session.clients().getClientById(realm, g.getClientId());
        return of(g, app == null ? null : app.getClientId(), service.scopes(realm, g));
    }

    /** The grant being revoked, as its admin event records it: {@code scopes} null while the realm's level map is broken. */
    static TenantGrantRepresentation revoked(KeycloakSession session, RealmModel realm, TenantGrantService service, TenantGrantEntity g) {
        ClientModel app = session.clients().getClientById(realm, g.getClientId());
        return of(g, app == null ? null : app.getClientId(), service.scopesIfReadable(realm, g));
    }

    /** The tenant admin's view (no {@code id}). */
    static TenantGrantRepresentation of(TenantGrantEntity g, String clientId, List<String> scopes) {
        return new TenantGrantRepresentation(null, g.getOrgAlias(), g.getOrgId(), clientId, g.getAccessLevel(), scopes, g.getGrantedBy(),
                Instant.ofEpochMilli(g.getGrantedAt()).toString());
    }

    /** The realm administrator's view, with the grant's {@code id}. */
    TenantGrantRepresentation withId(String grantId) {
        return new TenantGrantRepresentation(grantId, tenant, tenantId, clientId, accessLevel, scopes, grantedBy, grantedAt);
    }

    /**
     * Records a change of this grant as an admin event: resource {@code CUSTOM}, path
     * {@code tenant-delegation/tenants/{tenant id}/grants/{clientId}}, whichever door (tenant admin or realm admin).
     */
    void recordChange(AdminEventBuilder events, OperationType op) {
        AdminEvents.change(events, op, this, Map.of("tenant", tenant), "tenant-delegation", "tenants", tenantId, "grants", clientId);
    }
}
