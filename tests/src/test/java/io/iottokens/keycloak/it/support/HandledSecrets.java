package io.iottokens.keycloak.it.support;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Every secret the suite handles, recorded by {@link Api} and {@link RawHttp} as requests go out and answers
 * come back, so that {@code NoSecretsLeftBehindIT} can look for them in the server logs and databases once
 * every other test has run. Thread-safe; it keeps everything (the suite handles a few thousand).
 *
 * <p>What is recorded: from request forms and JSON bodies the values of {@link #REQUEST_FIELDS} (and the
 * {@code value} of a {@code password} credential), from JSON answers the values of {@link #RESPONSE_FIELDS}
 * at any depth (so every {@code tokens[].access_token}), and every bearer token sent. Of a JWT only its
 * signature, the part after the last '.', which any stored or logged copy of the full token contains; of
 * anything else the value itself. Values shorter than {@link #MIN_LENGTH} and obvious non-secrets (masks,
 * runs of one or two characters) are left out.
 */
public final class HandledSecrets {

    /** What a recorded value is. */
    public enum Kind {
        API_SECRET("API secrets"),
        PASSWORD("passwords"),
        CLIENT_SECRET("client secrets"),
        TOKEN("tokens (signatures)");

        public final String plural;

        Kind(String plural) {
            this.plural = plural;
        }
    }

    /** One value, where it was first seen (field name, "request" or "response"). */
    public record Secret(Kind kind, String value, String seenAs) {
        @Override
        public String toString() {
            // never the value: this ends up in assertion messages and reports
            return kind.name().toLowerCase(java.util.Locale.ROOT) + " (" + seenAs + ", " + value.length() + " chars)";
        }
    }

    public static final Set<String> REQUEST_FIELDS = Set.of("password", "api_secret", "client_secret", "secret",
            "subject_token", "actor_token", "refresh_token", "token");
    public static final Set<String> RESPONSE_FIELDS = Set.of("secret", "access_token", "refresh_token", "id_token", "token");
    public static final int MIN_LENGTH = 8;

    /** Values that are no secret although they stand where one would: Keycloak's mask, placeholders. */
    private static final Set<String> NOT_SECRETS = Set.of("**********", "undefined", "password", "secret", "null");
    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]*(\\.[A-Za-z0-9_-]*){2,4}");

    private static final Map<String, Secret> SECRETS = new ConcurrentHashMap<>();

    private HandledSecrets() {
    }

    /** A snapshot of everything recorded so far. */
    public static List<Secret> all() {
        return new ArrayList<>(SECRETS.values());
    }

    /** Records one value as a {@code field} of a request or answer; the first kind seen for a value wins. */
    public static void record(String field, String value, boolean clientObject, String direction) {
        if (value == null) {
            return;
        }
        Kind kind;
        String stored = value;
        if (JWT.matcher(value).matches()) {
            kind = Kind.TOKEN;
            stored = value.substring(value.lastIndexOf('.') + 1);
        } else {
            kind = switch (field) {
                case "password", "credential" -> Kind.PASSWORD;
                case "api_secret" -> Kind.API_SECRET;
                case "client_secret" -> Kind.CLIENT_SECRET;
                // a "secret" beside a "clientId" is a client representation's, else it is an API key's
                case "secret" -> clientObject ? Kind.CLIENT_SECRET : Kind.API_SECRET;
                default -> Kind.TOKEN;
            };
        }
        if (stored.length() < MIN_LENGTH || NOT_SECRETS.contains(stored) || stored.chars().distinct().count() < 3) {
            return;
        }
        SECRETS.putIfAbsent(stored, new Secret(kind, stored, field + " in a " + direction));
    }

    static void requestForm(Map<String, String> form) {
        form.forEach((name, value) -> {
            if (REQUEST_FIELDS.contains(name)) {
                record(name, value, false, "request");
            }
        });
    }

    /** A request body as sent: JSON when it looks like JSON, else a form; anything unreadable is skipped. */
    static void requestBody(String body) {
        String trimmed = body.strip();
        if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
            JsonNode json = parse(trimmed);
            if (json != null) {
                walk(json, REQUEST_FIELDS, "request");
            }
            return;
        }
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            try {
                String name = URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8);
                if (REQUEST_FIELDS.contains(name)) {
                    record(name, URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8), false, "request");
                }
            } catch (IllegalArgumentException notEncoded) {
                // a deliberately broken form
            }
        }
    }

    static void response(String body) {
        String trimmed = body == null ? "" : body.strip();
        if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
            JsonNode json = parse(trimmed);
            if (json != null) {
                walk(json, RESPONSE_FIELDS, "response");
            }
        }
    }

    static void bearer(String token) {
        record("bearer", token, false, "request");
    }

    private static void walk(JsonNode node, Set<String> fields, String direction) {
        if (node.isArray()) {
            node.forEach(n -> walk(n, fields, direction));
            return;
        }
        if (!node.isObject()) {
            return;
        }
        boolean clientObject = node.has("clientId");
        if ("password".equals(node.path("type").asText()) && node.path("value").isTextual()) {
            record("credential", node.get("value").asText(), false, direction);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isTextual() && fields.contains(e.getKey())) {
                record(e.getKey(), e.getValue().asText(), clientObject, direction);
            } else if (e.getValue().isContainerNode()) {
                walk(e.getValue(), fields, direction);
            }
        }
    }

    private static JsonNode parse(String text) {
        try {
            return Api.JSON.readTree(text);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
