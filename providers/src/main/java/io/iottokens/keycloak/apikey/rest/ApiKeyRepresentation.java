package io.iottokens.keycloak.apikey.rest;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.iottokens.keycloak.apikey.ApiKeyStatus;
import io.iottokens.keycloak.apikey.jpa.ApiKeyEntity;

/**
 * An API key as the REST API shows it. {@code secret} is present only in the answers to create and rotate;
 * {@code roles} only when the key restricts its tokens' roles. Times are ISO-8601 UTC.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiKeyRepresentation(
        String id,
        String key,
        String secret,
        String memo,
        String status,
        List<String> roles,
        String userId,
        String createdAt,
        String expiresAt,
        String lastUsedAt,
        String rotatedAt,
        String previousSecretValidUntil) {

    public static ApiKeyRepresentation of(ApiKeyEntity e, String secret, long now) {
        return new ApiKeyRepresentation(
                e.getId(),
                e.getApiKey(),
                secret,
                e.getMemo(),
                ApiKeyStatus.of(e, now).value(),
                e.getRoles() == null ? null : Arrays.stream(e.getRoles().split(" ")).filter(r -> !r.isEmpty()).toList(),
                e.getUserId(),
                iso(e.getCreatedAt()),
                iso(e.getExpiresAt()),
                iso(e.getLastUsedAt()),
                iso(e.getRotatedAt()),
                e.getPreviousSecretUntil() != null && e.getPreviousSecretUntil() > now ? iso(e.getPreviousSecretUntil()) : null);
    }

    private static String iso(Long millis) {
        return millis == null ? null : Instant.ofEpochMilli(millis).toString();
    }
}
