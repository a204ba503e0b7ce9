package io.iottokens.keycloak.purposed.rest;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.keycloak.events.admin.OperationType;
import org.keycloak.services.resources.admin.AdminEventBuilder;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.iottokens.keycloak.common.AdminEvents;
import io.iottokens.keycloak.purposed.PurposedTokenService;
import io.iottokens.keycloak.purposed.jpa.PurposedTokenEntity;

/**
 * A purposed token as the lists show it (never its value): every field always present, {@code notBefore} and
 * {@code expiresAt} null when the token has none; times ISO-8601 UTC.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record PurposedTokenRepresentation(
        String id,
        String ownerId,
        String category,
        String purpose,
        List<String> scopes,
        List<String> targetIdentities,
        List<String> targetGroups,
        String createdAt,
        String notBefore,
        String expiresAt) {

    public static PurposedTokenRepresentation of(PurposedTokenEntity e) {
        return new PurposedTokenRepresentation(
                e.getId(),
                e.getOwnerId(),
                e.getCategory(),
                e.getPurpose(),
                List.of(e.getScopes().split(" ")),
                PurposedTokenService.list(e.getTargetIdentities()),
                PurposedTokenService.list(e.getTargetGroups()),
                Instant.ofEpochMilli(e.getCreatedAt()).toString(),
                e.getNotBefore() == null ? null : Instant.ofEpochSecond(e.getNotBefore()).toString(),
                e.getExpiresAt() == null ? null : Instant.ofEpochSecond(e.getExpiresAt()).toString());
    }

    /**
     * Records a change of this token as an admin event: resource {@code CUSTOM}, path {@code purposed-tokens/{id}},
     * whichever door (its owner's self-service or an administrator).
     */
    void recordChange(AdminEventBuilder events, OperationType op) {
        AdminEvents.change(events, op, this, Map.of("userId", ownerId, "purposed_token_id", id), "purposed-tokens", id);
    }
}
