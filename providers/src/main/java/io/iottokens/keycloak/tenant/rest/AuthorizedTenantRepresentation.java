package io.iottokens.keycloak.tenant.rest;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A tenant that granted the calling application access, as {@code GET .../authorized-tenants} lists it: every field always present. */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record AuthorizedTenantRepresentation(String id, String alias, String name, String accessLevel, List<String> scopes) {
}
