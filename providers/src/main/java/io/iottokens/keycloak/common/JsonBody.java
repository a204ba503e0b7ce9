package io.iottokens.keycloak.common;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

import org.keycloak.util.JsonSerialization;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
            parsed = strictTree(bytes);
        }
        if (!(parsed instanceof ObjectNode)) {
            throw ApiError.badRequest("The request body must be a JSON object");
        }
        return of(parsed, allowedFields);
    }

    private static final ObjectMapper STRICT = JsonSerialization.mapper.copy()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /**
     * Parses JSON strictly: one value and nothing after it, no duplicate member names, and no string (value or
     * member name) holding a NUL character or a lone UTF-16 surrogate (PostgreSQL cannot store the first, and
     * neither is text anyone meant to send). Any violation is a 400; the body is never echoed.
     */
    public static JsonNode strictTree(byte[] bytes) {
        JsonNode parsed;
        try {
            parsed = STRICT.readTree(bytes);
        } catch (IOException | RuntimeException e) {
            throw ApiError.badRequest("The request body is not valid JSON (one value, no duplicate member names, nothing after it)");
        }
        if (parsed == null || parsed.isMissingNode()) {
            throw ApiError.badRequest("The request body is not valid JSON");
        }
        checkText(parsed, 0);
        return parsed;
    }

    private static void checkText(JsonNode node, int depth) {
        if (depth > 32) {
            throw ApiError.badRequest("The request body is nested too deeply");
        }
        if (node.isTextual()) {
            checkString(node.textValue());
        } else if (node.isObject()) {
            for (Iterator<java.util.Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
                java.util.Map.Entry<String, JsonNode> e = it.next();
                checkString(e.getKey());
                checkText(e.getValue(), depth + 1);
            }
        } else if (node.isArray()) {
            for (JsonNode item : node) {
                checkText(item, depth + 1);
            }
        }
    }

    /** True for text without NUL and without lone surrogates. */
    public static boolean cleanText(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 0) {
                return false;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    private static void checkString(String s) {
        if (!cleanText(s)) {
            throw ApiError.badRequest("The request body holds a NUL character or a lone surrogate in a string");
        }
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
