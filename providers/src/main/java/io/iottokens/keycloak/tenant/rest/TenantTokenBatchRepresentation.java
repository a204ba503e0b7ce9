package io.iottokens.keycloak.tenant.rest;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** The answer of {@code POST .../tenant-delegation/tokens}: {@code {"tokens": [...]}}, one token per tenant asked for, in order. */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record TenantTokenBatchRepresentation(List<Token> tokens) {

    /** One tenant's token, its fields named as in the token endpoint's answer; every field always present. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Token(
            String tenant,
            @JsonProperty("tenant_id") String tenantId,
            @JsonProperty("access_token") String accessToken,
            @JsonProperty("token_type") String tokenType,
            @JsonProperty("expires_in") long expiresIn,
            String scope) {
    }
}
