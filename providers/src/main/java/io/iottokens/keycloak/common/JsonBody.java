package io.iottokens.keycloak.common;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

import org.keycloak.util.JsonSerialization;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
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

    /**
     * Reads at most {@code maxBytes} of a body sent as JSON ({@link RawBody}: any other Content-Type is a 415); an empty
     * body is an empty object when {@code emptyAllowed}, else a 400.
     */
    public static JsonBody read(InputStream in, int maxBytes, Set<String> allowedFields, boolean emptyAllowed) {
        return parse(RawBody.read(in, maxBytes), allowedFields, emptyAllowed);
    }

    /** {@link #read} with the request's Content-Type header values given (tests). */
    static JsonBody read(InputStream in, int maxBytes, Set<String> allowedFields, boolean emptyAllowed, List<String> contentTypes) {
        return parse(RawBody.read(in, maxBytes, contentTypes), allowedFields, emptyAllowed);
    }

    private static JsonBody parse(byte[] bytes, Set<String> allowedFields, boolean emptyAllowed) {
        JsonNode parsed;
        if (bytes.length == 0 || isBlank(bytes)) {
            if (!emptyAllowed) {
                throw PackException.badRequest("A JSON object is required as the request body");
            }
            parsed = JsonSerialization.mapper.createObjectNode();
        } else {
            parsed = strictTree(bytes);
        }
        if (!(parsed instanceof ObjectNode)) {
            throw PackException.badRequest("The request body must be a JSON object");
        }
        return of(parsed, allowedFields);
    }

    /** Only JSON whitespace (RFC 8259: space, tab, LF, CR); {@code String.isBlank} would also take other control characters. */
    private static boolean isBlank(byte[] bytes) {
        for (byte b : bytes) {
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    /** Nesting deeper than any body of the pack needs is refused while parsing, before a tree is built. */
    static final int MAX_DEPTH = 32;

    private static final ObjectMapper STRICT = strictMapper();

    private static ObjectMapper strictMapper() {
        ObjectMapper m = JsonSerialization.mapper.copy()
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
        m.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH + 1).build());
        return m;
    }

    /**
     * Parses JSON strictly: well-formed UTF-8 (RFC 8259 section 8.1; no overlong forms, no encoded surrogates, no
     * other encoding guessed from the first bytes, no byte order mark), one value and nothing after it, no duplicate
     * member names, at most {@value #MAX_DEPTH} levels deep, and no string (value or member name) holding a NUL
     * character or a lone UTF-16 surrogate (PostgreSQL cannot store the first, and neither is text anyone meant to
     * send). Any violation is a 400; the body is never echoed.
     */
    public static JsonNode strictTree(byte[] bytes) {
        String text;
        try {
            // decoded here, not by Jackson: its UTF-8 reader lets overlong and CESU-8 forms through and it
            // auto-detects UTF-16/32 from the first bytes
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw PackException.badRequest("The request body is not valid UTF-8");
        }
        if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
            throw PackException.badRequest("The request body starts with a byte order mark; send plain UTF-8 JSON");
        }
        JsonNode parsed;
        try {
            parsed = STRICT.readTree(text);
        } catch (IOException | RuntimeException e) {
            throw PackException.badRequest("The request body is not valid JSON (one value, no duplicate member names, nothing after it, at most "
                    + MAX_DEPTH + " levels deep)");
        }
        if (parsed == null || parsed.isMissingNode()) {
            throw PackException.badRequest("The request body is not valid JSON");
        }
        checkText(parsed, 0);
        return parsed;
    }

    private static void checkText(JsonNode node, int depth) {
        if (depth > MAX_DEPTH) {
            throw PackException.badRequest("The request body is nested too deeply");
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
            throw PackException.badRequest("The request body holds a NUL character or a lone surrogate in a string");
        }
    }

    /** An object already parsed (a member of a larger document), checked against the allowed fields. */
    public static JsonBody of(JsonNode parsed, Set<String> allowedFields) {
        if (!(parsed instanceof ObjectNode object)) {
            throw PackException.badRequest("A JSON object is required");
        }
        for (Iterator<String> names = object.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!allowedFields.contains(name)) {
                throw PackException.badRequest("Unknown field '" + truncate(name) + "'; allowed: " + String.join(", ", allowedFields));
            }
        }
        return new JsonBody(object);
    }

    /** A field as sent (JSON null included), or null when absent: for bodies where absent and null mean different things. */
    public JsonNode field(String field) {
        return node.get(field);
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
            throw PackException.badRequest("Field '" + field + "' must be a string");
        }
        String s = v.asText();
        if (s.length() > maxLength) {
            throw PackException.badRequest("Field '" + field + "' is longer than " + maxLength + " characters");
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
            throw PackException.badRequest("Field '" + field + "' must be a whole number");
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
            throw PackException.badRequest("Field '" + field + "' must be an array of strings");
        }
        if (v.size() > maxItems) {
            throw PackException.badRequest("Field '" + field + "' has more than " + maxItems + " entries");
        }
        List<String> out = new ArrayList<>(v.size());
        for (JsonNode item : v) {
            if (!item.isTextual() || item.asText().isBlank()) {
                throw PackException.badRequest("Field '" + field + "' must hold non-empty strings only");
            }
            if (item.asText().length() > maxLength) {
                throw PackException.badRequest("An entry of '" + field + "' is longer than " + maxLength + " characters");
            }
            out.add(item.asText());
        }
        return out;
    }

    private static String truncate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
