package io.iottokens.keycloak.common;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** JSON answers that no cache may keep (they carry secrets or per-user state). */
public final class NoStore {

    public static final String VALUE = "no-store";

    private NoStore() {
    }

    public static Response ok(Object entity) {
        return Response.ok(entity, MediaType.APPLICATION_JSON_TYPE).header(HttpHeaders.CACHE_CONTROL, VALUE).build();
    }
}
