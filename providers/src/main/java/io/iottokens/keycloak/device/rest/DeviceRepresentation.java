package io.iottokens.keycloak.device.rest;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.iottokens.keycloak.device.jpa.DeviceEntity;

/** A device as the REST API shows it; {@code ownerId} only to administrators. Times are ISO-8601 UTC. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeviceRepresentation(String id, String ownerId, List<String> groups, String associatedAt,
                                   String keyThumbprint, String keyRegisteredAt, String createdAt) {

    public static DeviceRepresentation of(DeviceEntity d, boolean withOwner) {
        return new DeviceRepresentation(d.getDeviceId(), withOwner ? d.getOwnerId() : null, List.copyOf(d.getGroups()),
                iso(d.getAssociatedAt()), d.getKeyThumbprint(), iso(d.getKeyRegisteredAt()), iso(d.getCreatedAt()));
    }

    private static String iso(Long millis) {
        return millis == null ? null : Instant.ofEpochMilli(millis).toString();
    }
}
