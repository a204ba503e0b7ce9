package io.iottokens.keycloak.tenant.rest;

import java.io.InputStream;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.keycloak.events.admin.OperationType;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;
import org.keycloak.services.resources.admin.AdminEventBuilder;

import io.iottokens.keycloak.common.JsonBody;
import io.iottokens.keycloak.common.NoStore;
import io.iottokens.keycloak.common.PackException;
import io.iottokens.keycloak.tenant.TenantGrantService;
import io.iottokens.keycloak.tenant.TenantLevels;

/**
 * A grant's creation or change, {@code {"accessLevel", "scopes"?}}, through either door: the tenant admin's
 * ({@code PUT /realms/{realm}/tenant-delegation/tenants/{org}/grants/{clientId}}) and the realm administrator's
 * ({@code PUT /admin/realms/{realm}/tenant-grants/{org}/{clientId}}). One validation, one {@link TenantGrantService#put},
 * one admin event ({@code CREATE} or {@code UPDATE} on {@code tenant-delegation/tenants/{tenant id}/grants/{clientId}});
 * answers 201 (new) or 200 (changed or unchanged) with the grant.
 */
final class GrantPut {

    static final int MAX_BODY_BYTES = 16 * 1024;

    private GrantPut() {
    }

    /**
     * The caller has been checked for {@code org}; {@code withId} says whether the answer names the grant's id (the
     * realm administrator's view).
     */
    static Response put(KeycloakSession session, RealmModel realm, TenantGrantService service, OrganizationModel org, String clientId,
                        InputStream body, String grantedBy, AdminEventBuilder events, boolean withId) {
        JsonBody json = JsonBody.read(body, MAX_BODY_BYTES, Set.of("accessLevel", "scopes"), false);
        String level = json.string("accessLevel", 64);
        if (level == null || !TenantLevels.ALL.contains(level)) {
            throw PackException.badRequest("Field 'accessLevel' must be one of " + TenantLevels.ALL);
        }
        List<String> scopes = json.strings("scopes", 50, 128);
        if (TenantLevels.CUSTOM.equals(level)) {
            if (scopes == null || scopes.isEmpty()) {
                throw PackException.badRequest("Field 'scopes' is required for the access level 'custom'");
            }
            Set<String> catalogue = service.catalogue(realm);
            for (String s : scopes) {
                if (!catalogue.contains(s)) {
                    throw PackException.badRequest("Field 'scopes': unknown scope '" + s + "'; the realm offers " + catalogue);
                }
            }
            scopes = List.copyOf(new LinkedHashSet<>(scopes));
        } else if (scopes != null) {
            throw PackException.badRequest("Field 'scopes' is only for the access level 'custom'; '" + level + "' has its own scopes");
        }
        ClientModel app = clientId == null || clientId.length() > 255 ? null : realm.getClientByClientId(clientId);
        if (app == null) {
            throw PackException.notFound("Application not found");
        }
        if (!TenantGrantService.isApplication(app)) {
            throw PackException.badRequest("Client '" + clientId + "' is not an application: it must be confidential with a service account");
        }
        TenantGrantService.Put put = service.put(realm, org, app, level, scopes, grantedBy);
        TenantGrantRepresentation rep = TenantGrantRepresentation.of(session, realm, service, put.grant());
        rep.recordChange(events, put.created() ? OperationType.CREATE : OperationType.UPDATE);
        return Response.status(put.created() ? Response.Status.CREATED : Response.Status.OK)
                .type(MediaType.APPLICATION_JSON_TYPE).header(HttpHeaders.CACHE_CONTROL, NoStore.VALUE)
                .entity(withId ? rep.withId(put.grant().getId()) : rep).build();
    }
}
