package io.iottokens.keycloak.device.rest;

/**
 * The answer to a key registration ({@code POST /realms/{realm}/devices/{id}/key}, 201 or 200): the device id and
 * the RFC 7638 thumbprint of its registered key. Both are always present.
 */
public record KeyRegistration(String id, String keyThumbprint) {
}
