package io.iottokens.keycloak.common;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

import org.keycloak.util.JsonSerialization;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A JSON object request body, read with a size limit and checked field by field, so that every mistake
 * becomes a 400 naming the field (or a 413) instead of a framework error page.
 */
public final class JsonBody {

    private final ObjectNode node;

    private JsonBody(ObjectNode node) {
        this.node = node;
    }

    /** Reads at most {@code maxBytes}; an empty body is an empty object when {@code emptyAllowed}. */
    public static JsonBody read(InputStream in, int maxBytes, Set<String> allowedFields, boolean emptyAllowed) {
        byte[] bytes;
        try {
            bytes = in == null ? new byte[0] : in.readNBytes(maxBytes + 1);
        } catch (IOException e) {
            throw ApiError.badRequest("The request body could not be read");
        }
        if (bytes.length > maxBytes) {
            throw ApiError.tooLarge("The request body is larger than " + maxBytes + " bytes");
        }
        JsonNode parsed;
        if (bytes.length == 0 || new String(bytes, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
            if (!emptyAllowed) {
                throw ApiError.badRequest("A JSON object is required as the request body");
            }
            parsed = JsonSerialization.mapper.createObjectNode();
        } else {
            try {
                parsed = JsonSerialization.mapper.readTree(bytes);
            } catch (IOException e) {
                throw ApiError.badRequest("The request body is not valid JSON");
            }
        }
        if (!(parsed instanceof ObjectNode)) {
            throw ApiError.badRequest("The request body must be a JSON object");
        }
        return of(parsed, allowedFields);
    }

    /** An object already parsed (a member of a larger document), checked against the allowed fields. */
    public static JsonBody of(JsonNode parsed, Set<String> allowedFields) {
        if (!(parsed instanceof ObjectNode object)) {
            throw ApiError.badRequest("A JSON object is required");
        }
        for (Iterator<String> names = object.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!allowedFields.contains(name)) {
                throw ApiError.badRequest("Unknown field '" + truncate(name) + "'; allowed: " + String.join(", ", allowedFields));
            }
        }
        return new JsonBody(object);
    }

    public boolean has(String field) {
        return node.has(field) && !node.get(field).isNull();
    }

    /** A string, or null when absent or JSON null. */
    public String string(String field, int maxLength) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw ApiError.badRequest("Field '" + field + "' must be a string");
        }
        String s = v.asText();
        if (s.length() > maxLength) {
            throw ApiError.badRequest("Field '" + field + "' is longer than " + maxLength + " characters");
        }
        return s;
    }

    /** A whole number, or null when absent or JSON null. */
    public Long integer(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw ApiError.badRequest("Field '" + field + "' must be a whole number");
        }
        return v.asLong();
    }

    /** A list of strings, or null when absent or JSON null. */
    public List<String> strings(String field, int maxItems, int maxLength) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isArray()) {
            throw ApiError.badRequest("Field '" + field + "' must be an array of strings");
        }
        if (v.size() > maxItems) {
            throw ApiError.badRequest("Field '" + field + "' has more than " + maxItems + " entries");
        }
        List<String> out = new ArrayList<>(v.size());
        for (JsonNode item : v) {
            if (!item.isTextual() || item.asText().isBlank()) {
                throw ApiError.badRequest("Field '" + field + "' must hold non-empty strings only");
            }
            if (item.asText().length() > maxLength) {
                throw ApiError.badRequest("An entry of '" + field + "' is longer than " + maxLength + " characters");
            }
            out.add(item.asText());
        }
        return out;
    }

    private static String truncate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
