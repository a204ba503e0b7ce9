package io.iottokens.keycloak.edge;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import org.keycloak.models.ClientModel;

/**
 * An edge client's settings: client attributes, read on every exchange (an administrator may change them at any time;
 * there is nothing to read at server start). The README's edge-token section names them.
 *
 * @param enabled        {@value #ENABLED_ATTRIBUTE}: the client may exchange ID tokens for edge tokens. Only
 *                       {@code true} or {@code false} (any case, surrounding blanks ignored); unset is false
 * @param idTokenClients {@value #ID_TOKEN_CLIENTS_ATTRIBUTE}: the clients whose ID tokens it may exchange, separated by
 *                       blanks or commas; unset or blank is {@value #DEFAULT_ID_TOKEN_CLIENT}; separators alone are
 *                       malformed
 */
public record EdgeClient(boolean enabled, Set<String> idTokenClients) {

    public static final String ENABLED_ATTRIBUTE = "iottokens.edge.enabled";
    public static final String ID_TOKEN_CLIENTS_ATTRIBUTE = "iottokens.edge.id-token-clients";
    public static final String DEFAULT_ID_TOKEN_CLIENT = "developer-console";

    /**
     * The settings of {@code client}; an {@link IllegalArgumentException} naming the attribute and the client when a
     * value is malformed (an {@code enabled} that is neither true nor false, a client list of separators only), so a
     * typo is reported, not read as "off" or as "nobody".
     */
    public static EdgeClient of(ClientModel client) {
        return parse(client.getClientId(), client.getAttribute(ENABLED_ATTRIBUTE), client.getAttribute(ID_TOKEN_CLIENTS_ATTRIBUTE));
    }

    public static EdgeClient parse(String clientId, String enabled, String idTokenClients) {
        return new EdgeClient(flag(clientId, enabled), clients(clientId, idTokenClients));
    }

    private static boolean flag(String clientId, String value) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "", "false" -> false;
            case "true" -> true;
            default -> throw new IllegalArgumentException("Client attribute " + ENABLED_ATTRIBUTE + " of client " + clientId
                    + " must be true or false");
        };
    }

    private static Set<String> clients(String clientId, String value) {
        if (value == null || value.isBlank()) {
            return Set.of(DEFAULT_ID_TOKEN_CLIENT);
        }
        Set<String> clients = Arrays.stream(value.trim().split("[\\s,]+")).filter(s -> !s.isEmpty()).collect(Collectors.toUnmodifiableSet());
        if (clients.isEmpty()) {
            throw new IllegalArgumentException("Client attribute " + ID_TOKEN_CLIENTS_ATTRIBUTE + " of client " + clientId
                    + " names no client (unset it for the default, " + DEFAULT_ID_TOKEN_CLIENT + ")");
        }
        return clients;
    }
}
