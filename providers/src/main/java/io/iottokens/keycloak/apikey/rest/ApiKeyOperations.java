package io.iottokens.keycloak.apikey.rest;

import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.keycloak.events.admin.OperationType;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.services.resources.admin.AdminEventBuilder;

import io.iottokens.keycloak.apikey.ApiKeyConfig;
import io.iottokens.keycloak.apikey.ApiKeyService;
import io.iottokens.keycloak.apikey.ApiKeyStatus;
import io.iottokens.keycloak.apikey.jpa.ApiKeyEntity;
import io.iottokens.keycloak.common.AdminEvents;
import io.iottokens.keycloak.common.Durations;
import io.iottokens.keycloak.common.JsonBody;
import io.iottokens.keycloak.common.NoStore;
import io.iottokens.keycloak.common.PackException;
import io.iottokens.keycloak.common.Paging;

/**
 * What the self-service and the admin resources share once each has checked its caller: body parsing,
 * the operations, and an admin event for every change: resource type {@code CUSTOM} (Keycloak's admin-event
 * query accepts only its own types), resource path {@code api-keys/{id}}, the owner in the detail {@code userId}.
 */
final class ApiKeyOperations {

    static final Set<String> CREATE_FIELDS = Set.of("memo", "duration", "roles");
    static final Set<String> ROTATE_FIELDS = Set.of("graceSeconds");
    static final long MAX_GRACE_SECONDS = 7L * 24 * 3600;

    private final RealmModel realm;
    private final ApiKeyService service;
    private final AdminEventBuilder events;

    ApiKeyOperations(RealmModel realm, ApiKeyService service, AdminEventBuilder events) {
        this.realm = realm;
        this.service = service;
        this.events = events;
    }

    Response create(UserModel owner, JsonBody body, UriInfo uri) {
        String memo = body.string("memo", ApiKeyConfig.MEMO_MAX_LENGTH);
        String durationText = body.string("duration", 64);
        Duration duration = null;
        if (durationText != null) {
            try {
                duration = Durations.parse(durationText);
            } catch (IllegalArgumentException e) {
                throw PackException.badRequest("Field 'duration': " + e.getMessage());
            }
        }
        List<String> roles = body.strings("roles", ApiKeyConfig.MAX_ROLES, 255);
        ApiKeyService.WithSecret created = service.create(realm, owner, memo, duration, roles);
        ApiKeyEntity e = created.key();
        long now = System.currentTimeMillis();
        event(OperationType.CREATE, e, ApiKeyRepresentation.of(e, null, now));
        return Response.created(uri.getAbsolutePathBuilder().path(e.getId()).build())
                .header(jakarta.ws.rs.core.HttpHeaders.CACHE_CONTROL, NoStore.VALUE)
                .entity(ApiKeyRepresentation.of(e, created.secret(), now))
                .build();
    }

    List<ApiKeyRepresentation> list(String userId, String status, Paging paging) {
        ApiKeyStatus wanted = null;
        if (status != null && !status.isEmpty()) {
            wanted = ApiKeyStatus.parse(status);
            if (wanted == null) {
                throw PackException.badRequest("Parameter 'status' must be one of active, suspended, revoked, expired");
            }
        }
        long now = System.currentTimeMillis();
        return service.list(realm, userId, wanted, paging).stream().map(e -> ApiKeyRepresentation.of(e, null, now)).toList();
    }

    ApiKeyRepresentation show(ApiKeyEntity e) {
        return ApiKeyRepresentation.of(e, null, System.currentTimeMillis());
    }

    /**
     * The service locks the key's row and re-reads it before each change (see {@link ApiKeyService#lock}), so
     * concurrent operations on one key are applied one after the other; the body is parsed before, so the lock is
     * held only for the change itself.
     */
    Response action(ApiKeyEntity e, String action, InputStream body) {
        String secret = null;
        switch (action) {
            case "suspend" -> service.suspend(realm, e);
            case "resume" -> service.resume(e);
            case "revoke" -> service.revoke(realm, e);
            case "rotate" -> {
                JsonBody json = JsonBody.read(body, ApiKeyConfig.MAX_BODY_BYTES, ROTATE_FIELDS, true);
                Long grace = json.integer("graceSeconds");
                long g = grace == null ? 0 : grace;
                if (g < 0 || g > MAX_GRACE_SECONDS) {
                    throw PackException.badRequest("Field 'graceSeconds' must be between 0 and " + MAX_GRACE_SECONDS);
                }
                secret = service.rotate(realm, e, g);
            }
            default -> throw PackException.notFound("Unknown operation '" + action + "'");
        }
        long now = System.currentTimeMillis();
        events.detail("action", action);
        event(OperationType.ACTION, e, ApiKeyRepresentation.of(e, null, now));
        return NoStore.ok(ApiKeyRepresentation.of(e, secret, now));
    }

    Response delete(ApiKeyEntity e) {
        service.lock(e); // the event shows the state that was deleted, not an earlier read
        ApiKeyRepresentation rep = show(e);
        service.delete(realm, e);
        event(OperationType.DELETE, e, rep);
        return Response.noContent().build();
    }

    private void event(OperationType op, ApiKeyEntity e, ApiKeyRepresentation rep) {
        AdminEvents.change(events, op, rep, Map.of("userId", e.getUserId()), "api-keys", e.getId());
    }
}
