package io.iottokens.keycloak.purposed.rest;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.iottokens.keycloak.purposed.PurposedBootstrap;

/** The answer of {@code POST .../purposed-tokens/bootstrap}: the device's three tokens. */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record BootstrapRepresentation(IssuedTokenRepresentation registration, IssuedTokenRepresentation anchoring,
                                      IssuedTokenRepresentation verification) {

    public static BootstrapRepresentation of(PurposedBootstrap.Bootstrapped b) {
        return new BootstrapRepresentation(IssuedTokenRepresentation.of(b.registration()), IssuedTokenRepresentation.of(b.anchoring()),
                IssuedTokenRepresentation.of(b.verification()));
    }
}
