package io.iottokens.keycloak.common;

import static io.iottokens.keycloak.common.Refusals.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * {@link JsonBody} at the edges {@link JsonBodyTest} leaves open: every limit exactly at and one past its bound (body
 * size, nesting depth, string length, list size, entry length), absent versus JSON null, member names that differ only
 * in case, and descriptions that name the field without echoing what was sent.
 */
class JsonBodyLimitsTest {

    private static final Set<String> FIELDS = Set.of("a", "A", "list");

    private static JsonBody read(String body, int maxBytes) {
        return JsonBody.read(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), maxBytes, FIELDS, false, List.of("application/json"));
    }

    private static JsonBody read(String body) {
        return read(body, 64 * 1024);
    }

    /** {@code levels} arrays nested in one another: [[...]]. */
    private static String nested(int levels) {
        return "[".repeat(levels) + "]".repeat(levels);
    }

    // ---- size and depth ------------------------------------------------------------------------------

    @Test
    void theSizeLimitCountsBytesNotCharacters() {
        String twoByteChars = "{\"a\":\"" + "\u00e9".repeat(10) + "\"}"; // 8 + 20 bytes, 18 characters
        assertEquals(28, twoByteChars.getBytes(StandardCharsets.UTF_8).length);
        assertEquals(10, read(twoByteChars, 28).string("a", 10).length(), "exactly at the limit");
        assertRefused(() -> read(twoByteChars, 27), 413, "request_too_large");
    }

    /** A number {@code depth} levels below the body object, through objects: {"a":{"a":...1}}. */
    private static byte[] leafBelow(int depth) {
        return ("{\"a\":".repeat(depth) + "1" + "}".repeat(depth)).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void valuesMaySitMaxDepthLevelsBelowTheBodyAndNoDeeper() {
        assertTrue(read("{\"list\":" + nested(JsonBody.MAX_DEPTH) + "}").has("list"), "arrays down to level MAX_DEPTH");
        assertRefused(() -> read("{\"list\":" + nested(JsonBody.MAX_DEPTH + 1) + "}"), 400, "invalid_request");
        assertTrue(JsonBody.strictTree(leafBelow(JsonBody.MAX_DEPTH)).isObject(), "a number at level MAX_DEPTH");
        assertRefused(() -> JsonBody.strictTree(leafBelow(JsonBody.MAX_DEPTH + 1)), 400, "invalid_request");
        String leafInArrays = "{\"list\":" + "[".repeat(JsonBody.MAX_DEPTH - 1) + "\"x\"" + "]".repeat(JsonBody.MAX_DEPTH - 1) + "}";
        assertTrue(read(leafInArrays).has("list"), "a string at level MAX_DEPTH inside arrays");
        String tooDeep = "{\"list\":" + "[".repeat(JsonBody.MAX_DEPTH) + "\"x\"" + "]".repeat(JsonBody.MAX_DEPTH) + "}";
        assertRefused(() -> read(tooDeep), 400, "invalid_request");
    }

    @Test
    void nestingIsCheckedInTreesParsedElsewhereToo() {
        com.fasterxml.jackson.databind.node.ObjectNode root = JsonNodeFactory.instance.objectNode();
        com.fasterxml.jackson.databind.node.ArrayNode a = root.putArray("list");
        for (int i = 0; i < JsonBody.MAX_DEPTH + 5; i++) {
            a = a.addArray();
        }
        // of() checks the allowed fields only: a tree built by the caller is the caller's
        assertTrue(JsonBody.of(root, FIELDS).has("list"));
        assertRefused(() -> JsonBody.of(JsonNodeFactory.instance.arrayNode(), FIELDS), 400, "invalid_request");
        assertRefused(() -> JsonBody.of(JsonNodeFactory.instance.textNode("{}"), FIELDS), 400, "invalid_request");
    }

    // ---- fields --------------------------------------------------------------------------------------

    @Test
    void absentAndNullAreTheSameForEveryType() {
        JsonBody absent = read("{}");
        JsonBody nulls = read("{\"a\":null,\"list\":null}");
        for (JsonBody b : List.of(absent, nulls)) {
            assertFalse(b.has("a"));
            assertNull(b.string("a", 5));
            assertNull(b.integer("a"));
            assertNull(b.strings("list", 5, 5));
        }
        assertTrue(read("{\"a\":\"\"}").has("a"), "an empty string is a value");
        assertEquals("", read("{\"a\":\"\"}").string("a", 0), "and fits a length of 0");
    }

    @Test
    void memberNamesDifferingInCaseAreTwoFieldsNotADuplicate() {
        JsonBody b = read("{\"a\":\"lower\",\"A\":\"upper\"}");
        assertEquals("lower", b.string("a", 10));
        assertEquals("upper", b.string("A", 10));
    }

    @Test
    void stringsAreReadUpToTheirLengthAndRefusedOnePast() {
        assertEquals("12345", read("{\"a\":\"12345\"}").string("a", 5));
        assertTrue(assertRefused(() -> read("{\"a\":\"123456\"}").string("a", 5), 400, "invalid_request").contains("'a'"));
        assertTrue(assertRefused(() -> read("{\"a\":true}").string("a", 5), 400, "invalid_request").contains("'a'"));
        assertTrue(assertRefused(() -> read("{\"a\":{}}").string("a", 5), 400, "invalid_request").contains("'a'"));
    }

    @Test
    void listsAreReadUpToTheirSizeAndEntryLengthAndRefusedOnePast() {
        assertEquals(List.of("a", "b", "c"), read("{\"list\":[\"a\",\"b\",\"c\"]}").strings("list", 3, 1));
        assertEquals(List.of(), read("{\"list\":[]}").strings("list", 3, 1), "an empty list is a value");
        assertEquals(List.of("x", "x"), read("{\"list\":[\"x\",\"x\"]}").strings("list", 3, 1), "repeated entries are kept, in order");
        assertTrue(assertRefused(() -> read("{\"list\":[\"a\",\"b\",\"c\",\"d\"]}").strings("list", 3, 1), 400, "invalid_request").contains("'list'"));
        assertTrue(assertRefused(() -> read("{\"list\":[\"ab\"]}").strings("list", 3, 1), 400, "invalid_request").contains("'list'"));
        for (String bad : new String[] {"[\" \"]", "[\"\\t\"]", "[null]", "[[\"a\"]]", "[{}]", "[1]", "\"a\"", "{}"}) {
            assertTrue(assertRefused(() -> read("{\"list\":" + bad + "}").strings("list", 3, 5), 400, "invalid_request").contains("'list'"), bad);
        }
    }

    @Test
    void integersAreOnlyIntegralJsonNumbers() {
        assertEquals(-5L, read("{\"a\":-5}").integer("a"));
        assertRefused(() -> read("{\"a\":5.0}").integer("a"), 400, "invalid_request");
        assertRefused(() -> read("{\"a\":\"5\"}").integer("a"), 400, "invalid_request");
    }

    // ---- unknown fields ------------------------------------------------------------------------------

    @Test
    void withNoAllowedFieldsOnlyTheEmptyObjectIsRead() {
        assertFalse(JsonBody.of(JsonNodeFactory.instance.objectNode(), Collections.emptySet()).has("a"));
        assertRefused(() -> JsonBody.of(JsonNodeFactory.instance.objectNode().put("a", 1), Collections.emptySet()), 400, "invalid_request");
        assertRefused(() -> JsonBody.of(JsonNodeFactory.instance.objectNode().putNull("a"), Collections.emptySet()), 400,
                "invalid_request");
    }

    @Test
    void anUnknownFieldIsNamedButNotEchoedInFull() {
        String name = "x".repeat(40);
        String description = assertRefused(() -> read("{\"" + name + "\":1}"), 400, "invalid_request");
        assertTrue(description.contains("'" + name + "'"), "a name of 40 characters is shown whole: " + description);
        String longName = "y".repeat(41) + "SECRET";
        String cut = assertRefused(() -> read("{\"" + longName + "\":1}"), 400, "invalid_request");
        assertFalse(cut.contains("SECRET"), "a longer one is cut: " + cut);
        assertTrue(cut.contains("y".repeat(40) + "..."), cut);
    }

    @Test
    void fieldNamesAreMatchedExactly() {
        for (String near : new String[] {"a ", " a", "\u0430" /* Cyrillic a */, "list\u200b", "LIST"}) {
            assertRefused(() -> JsonBody.of(JsonNodeFactory.instance.objectNode().put(near, 1), FIELDS), 400, "invalid_request");
        }
    }
}
