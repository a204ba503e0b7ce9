package io.iottokens.keycloak.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonBodyTest {

    private static final Set<String> FIELDS = Set.of("a", "b", "memo");
    private static final List<String> JSON = List.of("application/json");

    @BeforeAll
    static void jaxrs() {
        FakeJaxRs.install();
    }

    private static JsonBody read(byte[] body, List<String> contentTypes, boolean emptyAllowed) {
        return JsonBody.read(new ByteArrayInputStream(body), 1024, FIELDS, emptyAllowed, contentTypes);
    }

    private static JsonBody read(String body) {
        return read(body.getBytes(StandardCharsets.UTF_8), JSON, false);
    }

    private static String error(String body) {
        return FakeJaxRs.error(() -> read(body));
    }

    private static String errorBytes(String hex) {
        return FakeJaxRs.error(() -> read(HexFormat.of().parseHex(hex), JSON, false));
    }

    // ---- Content-Type ----------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"application/json", "application/json; charset=utf-8", "Application/JSON;Charset=\"UTF-8\"",
        "application/json;", "application/merge-patch+json", "application/vnd.iot+json; v=1", " application/json ; charset=UTF-8 "})
    void jsonContentTypesAreRead(String type) {
        assertEquals("x", read("{\"a\":\"x\"}".getBytes(StandardCharsets.UTF_8), List.of(type), false).string("a", 10));
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/x-www-form-urlencoded", "text/plain", "multipart/form-data; boundary=x", "text/json",
        "application/json; charset=iso-8859-1", "application/json; charset=utf-16", "application/json; charset=utf8",
        "application/json; charset=utf-8; charset=utf-8", "application/jsonx", "application/x-json", "application/+json",
        "application/json charset=utf-8", "application/json, text/plain", "application/json; charset", "application/json; =x",
        "application/json; a=\"b\"c\"", "*/*", "application/*", "application", "", " ", "json", "application/json\u0000"})
    void otherContentTypesAre415(String type) {
        assertEquals("415 unsupported_media_type", FakeJaxRs.error(() -> read("{\"a\":\"x\"}".getBytes(StandardCharsets.UTF_8), List.of(type), true)));
        // the empty body too: an empty form post is not "no options"
        assertEquals("415 unsupported_media_type", FakeJaxRs.error(() -> read(new byte[0], List.of(type), true)));
    }

    @Test
    void aBodyWithoutContentTypeIs415ButAnEmptyOneIsNoBody() {
        assertEquals("415 unsupported_media_type", FakeJaxRs.error(() -> read("{}".getBytes(StandardCharsets.UTF_8), List.of(), true)));
        assertEquals("415 unsupported_media_type", FakeJaxRs.error(() -> read(" ".getBytes(StandardCharsets.UTF_8), List.of(), true)));
        assertFalse(read(new byte[0], List.of(), true).has("a"), "no body, no type: the defaults");
        assertEquals("400 invalid_request", FakeJaxRs.error(() -> read(new byte[0], List.of(), false)), "a body is required");
        assertEquals("415 unsupported_media_type", FakeJaxRs.error(() -> read("{}".getBytes(StandardCharsets.UTF_8),
                List.of("application/json", "text/plain"), true)), "two Content-Type headers");
    }

    @Test
    void emptyOrBlankJsonBodiesAreEmptyObjectsOnlyWhereAllowed() {
        assertFalse(read(new byte[0], JSON, true).has("a"));
        assertFalse(read(" \r\n\t".getBytes(StandardCharsets.UTF_8), JSON, true).has("a"));
        assertEquals("400 invalid_request", FakeJaxRs.error(() -> read(new byte[0], JSON, false)));
        assertEquals("400 invalid_request", FakeJaxRs.error(() -> read("\u000b".getBytes(StandardCharsets.UTF_8), JSON, true)),
                "a vertical tab is not JSON whitespace");
    }

    @Test
    void aBodyOverTheLimitIs413() {
        byte[] big = ("{\"a\":\"" + "x".repeat(2000) + "\"}").getBytes(StandardCharsets.UTF_8);
        assertEquals("413 request_too_large", FakeJaxRs.error(() -> read(big, JSON, false)));
        byte[] exact = ("{\"a\":\"" + "x".repeat(1024 - 8) + "\"}").getBytes(StandardCharsets.UTF_8);
        assertEquals(1024, exact.length);
        assertEquals(1024 - 8, read(exact, JSON, false).string("a", 2000).length());
    }

    // ---- strict JSON -----------------------------------------------------------------------------

    @Test
    void wellFormedBodiesAreRead() {
        JsonBody b = read("{\"a\": \"\\ud83d\\ude00 caf\u00e9\", \"b\": [1, {\"c\": null}]}");
        assertEquals("\ud83d\ude00 caf\u00e9", b.string("a", 10));
        assertEquals("\ud83d\ude00", read("{\"a\":\"\ud83d\ude00\"}").string("a", 10), "a raw 4-byte UTF-8 character");
        assertTrue(read("{\"a\":\"\\u0001\\u001f\"}").has("a"), "escaped control characters other than NUL are text");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{} {}", "{}x", "{\"a\":1}}", "{\"a\":1} // c", "{}\u0000", "{}[", "{} 1", "{}\"\"", "{},"})
    void trailingDataIsRefused(String body) {
        assertEquals("400 invalid_request", error(body));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\":1,\"a\":2}", "{\"a\":1,\"a\":1}", "{\"b\":{\"c\":1,\"c\":2}}", "{\"b\":[{\"c\":1,\"c\":null}]}",
        "{\"a\":1,\"\\u0061\":2}"})
    void duplicateMemberNamesAreRefused(String body) {
        assertEquals("400 invalid_request", error(body));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\":\"\\u0000\"}", "{\"a\":\"x\\u0000y\"}", "{\"a\\u0000\":1}", "{\"b\":[\"\\u0000\"]}",
        "{\"a\":\"\u0000\"}", "{\"a\":\"\u0001\"}", "{\"a\":\"x\ny\"}", "{\u0000\"a\":1}"})
    void nulAndRawControlCharactersAreRefused(String body) {
        assertEquals("400 invalid_request", error(body));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\":\"\\ud800\"}", "{\"a\":\"\\udc00\"}", "{\"a\":\"\\ud800x\"}", "{\"a\":\"\\udc00\\ud800\"}",
        "{\"a\":\"\\ud800\\ud800\"}", "{\"a\\udfff\":1}", "{\"b\":{\"c\":[\"\\ud83d\"]}}", "{\"a\":\"x\\ud83d\"}"})
    void loneSurrogatesAreRefused(String body) {
        assertEquals("400 invalid_request", error(body));
    }

    /** Raw bytes that are not well-formed UTF-8 (RFC 3629), each inside a string value: {"a":"<bytes>"}. */
    @ParameterizedTest
    @ValueSource(strings = {"ff", "fe", "80", "bf", "c0af", "c080", "c1bf", "e08080", "e282", "eda080", "edbfbf",
        "eda0bdedb880", "f0808080", "f4908080", "f5808080", "f8888080 80", "e282 22", "c3"})
    void invalidUtf8IsRefused(String hex) {
        String body = "7b2261223a22" + hex.replace(" ", "") + "227d"; // {"a":"..."}
        assertEquals("400 invalid_request", errorBytes(body), hex);
    }

    @Test
    void otherEncodingsAndAByteOrderMarkAreRefused() {
        assertEquals("400 invalid_request", FakeJaxRs.error(() -> read("{\"a\":\"x\"}".getBytes(StandardCharsets.UTF_16LE), JSON, false)));
        assertEquals("400 invalid_request", FakeJaxRs.error(() -> read("{\"a\":\"x\"}".getBytes(StandardCharsets.UTF_16), JSON, false)));
        assertEquals("400 invalid_request", FakeJaxRs.error(() -> read("{\"a\":\"x\"}".getBytes(java.nio.charset.Charset.forName("UTF-32BE")), JSON, false)));
        assertEquals("400 invalid_request", errorBytes("efbbbf7b7d"), "UTF-8 byte order mark (RFC 8259 8.1: must not be added)");
        assertEquals("400 invalid_request", errorBytes("7b2261223a22e9227d"), "Latin-1 \u00e9");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{a:1}", "{'a':1}", "{\"a\":'x'}", "{\"a\":NaN}", "{\"a\":Infinity}", "{\"a\":01}", "{\"a\":1,}",
        "{\"a\":[1,]}", "{/*c*/}", "{\"a\":1 # c\n}", "{\"a\":+1}", "{\"a\":.5}", "{\"a\":\"\\x41\"}", "{\"a\":\"\\u12\"}",
        "{\"a\":tru}", "{\"a\":\"x}", "{\"a\":", "{", "}", "{\"a\" 1}", "{\"a\":1 \"b\":2}", "\"a\"", "[]", "1", "null", "true"})
    void malformedOrNonObjectBodiesAreRefused(String body) {
        assertEquals("400 invalid_request", error(body));
    }

    @Test
    void deepNestingIsRefusedWithoutExhaustingTheStack() {
        assertTrue(read("{\"b\":" + "[".repeat(30) + "]".repeat(30) + "}").has("b"));
        assertEquals("400 invalid_request", error("{\"b\":" + "[".repeat(40) + "]".repeat(40) + "}"));
        assertEquals("400 invalid_request", error("{\"b\":" + "{\"b\":".repeat(40) + "1" + "}".repeat(40) + "}"));
        String deep = "{\"b\":" + "[".repeat(200_000) + "]".repeat(200_000) + "}";
        assertEquals("400 invalid_request", FakeJaxRs.error(() -> JsonBody.strictTree(deep.getBytes(StandardCharsets.UTF_8))));
        String open = "[".repeat(500_000);
        assertEquals("400 invalid_request", FakeJaxRs.error(() -> JsonBody.strictTree(open.getBytes(StandardCharsets.UTF_8))));
    }

    // ---- fields ----------------------------------------------------------------------------------

    @Test
    void unknownFieldsAndWrongTypesNameTheField() {
        assertEquals("400 invalid_request", error("{\"zz\":1}"));
        assertEquals("400 invalid_request", FakeJaxRs.error(() -> read("{\"a\":1}").string("a", 10)));
        assertEquals("400 invalid_request", FakeJaxRs.error(() -> read("{\"a\":\"12345678901\"}").string("a", 10)));
        assertEquals("400 invalid_request", FakeJaxRs.error(() -> read("{\"a\":[\"x\",1]}").strings("a", 5, 10)));
        assertEquals("400 invalid_request", FakeJaxRs.error(() -> read("{\"a\":[\"\"]}").strings("a", 5, 10)));
        assertEquals("400 invalid_request", FakeJaxRs.error(() -> read("{\"a\":[\"x\",\"y\"]}").strings("a", 1, 10)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.5", "1e3", "1e400", "-1e400", "9223372036854775808", "-9223372036854775809",
        "99999999999999999999999999999999", "\"5\"", "true", "[1]", "{}"})
    void integersMustBeWholeNumbersThatFitALong(String value) {
        assertEquals("400 invalid_request", FakeJaxRs.error(() -> read("{\"a\":" + value + "}").integer("a")), value);
    }

    @Test
    void integersAtTheEdgesOfALongAreRead() {
        assertEquals(Long.MAX_VALUE, read("{\"a\":9223372036854775807}").integer("a"));
        assertEquals(Long.MIN_VALUE, read("{\"a\":-9223372036854775808}").integer("a"));
        assertEquals(0L, read("{\"a\":-0}").integer("a"));
        assertEquals(null, read("{\"a\":null}").integer("a"));
    }

    @Test
    void cleanTextFindsNulAndLoneSurrogates() {
        assertTrue(JsonBody.cleanText("caf\u00e9 \ud83d\ude00"));
        assertFalse(JsonBody.cleanText("a\u0000"));
        assertFalse(JsonBody.cleanText("\ud83d"));
        assertFalse(JsonBody.cleanText("\ude00\ud83d"));
    }
}
