package io.iottokens.keycloak.purposed;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.iottokens.keycloak.common.FakeJaxRs;

class PurposedRequestTest {

    @BeforeAll
    static void jaxrs() {
        FakeJaxRs.install();
    }

    @ParameterizedTest
    @CsvSource({
        "https://app.example.com, https://app.example.com",
        "HTTPS://App.Example.COM/, https://app.example.com",
        "http://verification.dev.ubirch.com, http://verification.dev.ubirch.com",
        "http://localhost:3000, http://localhost:3000",
        "https://a.example.com:8443, https://a.example.com:8443",
        "https://a.example.com:1, https://a.example.com:1",
        "https://a.example.com:65535, https://a.example.com:65535",
        "https://a.example.com:443, https://a.example.com",
        "http://a.example.com:80, http://a.example.com",
        "http://a.example.com:443, http://a.example.com:443",
        "https://a.example.com:08443, https://a.example.com:8443",
        "http://192.168.0.10:8080, http://192.168.0.10:8080",
        "http://0.0.0.0, http://0.0.0.0",
        "http://[::1]:8080, http://[::1]:8080",
        "http://[2001:DB8:0:0:0:0:0:1], http://[2001:db8::1]",
        "http://[2001:db8:0:0:1:0:0:1], http://[2001:db8::1:0:0:1]",
        "http://[0:0:0:0:0:0:0:0], http://[::]",
        "http://[1:0:2:3:4:5:6:7], http://[1:0:2:3:4:5:6:7]",
        "http://[::ffff:192.0.2.1], http://[::ffff:c000:201]",
        "https://xn--bcher-kva.example, https://xn--bcher-kva.example",
        "https://a-b.c-d.example, https://a-b.c-d.example",
        "https://1st.example, https://1st.example",
    })
    void validOriginsAreNormalisedAsBrowsersSendThem(String value, String expected) {
        assertEquals(expected, PurposedRequest.origin(value));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        // ports
        "https://a.example.com:0", "https://a.example.com:65536", "https://a.example.com:99999", "https://a.example.com:123456",
        "https://a.example.com:", "https://a.example.com:-1", "https://a.example.com:+80", "https://a.example.com:80a",
        "https://a.example.com:0x50", "https://a.example.com: 80", "https://a.example.com:8\u0660", "https://a.example.com:\uff18\uff10",
        "https://a.example.com:80:81", "https://a.example.com:4294967377", "https://a.example.com:00000000080", "http://[::1]:",
        "http://[::1]:0", "http://[::1]:70000", "http://[::1]80",
        // scheme
        "ftp://files.example.com", "ws://a.example.com", "javascript://a.example.com", "file:///etc/passwd", "app.example.com",
        "//app.example.com", "https:app.example.com", "https:/app.example.com", "*", "null", "https://*.example.com",
        // path, query, fragment, user info
        "https://app.example.com/path", "https://app.example.com//", "https://app.example.com?x=1", "https://app.example.com#f",
        "https://user@app.example.com", "https://user:pw@app.example.com", "https://app.example.com@evil.example",
        "https://evil.example\\@app.example.com", "https://app.example.com/..", "https://app.example.com/%2e",
        // host syntax
        "https://", "https://:443", "https://-a.example.com", "https://a-.example.com", "https://a..example.com",
        "https://.example.com", "https://example.com.", "https://a_b.example.com", "https://a b.example.com",
        "https://a%2eexample.com", "https://b\u00fccher.example", "https://\u212aey.example", "https://app.example.com\u0000",
        "https://app.example.com\t", " https://app.example.com", "https://a.example.com\u3002com",
        "http://256.1.1.1", "http://1.2.3", "http://1.2.3.4.5", "http://01.2.3.4", "http://0x7f.0.0.1", "http://127.1",
        "http://2130706433", "http://1.2.3.04", "http://a.0x10",
        // IPv6
        "http://[::1", "http://::1", "http://[]", "http://[1:2:3:4:5:6:7:8:9]", "http://[fe80::1%25eth0]", "http://[1.2.3.4]",
        "http://[g::1]", "http://[::1]x", "http://[.::1]", "http://[::1]]", "http://[[::1]]", "http://[example.com]",
    })
    void invalidOriginsAre400(String value) {
        assertEquals("400 invalid_request", FakeJaxRs.error(() -> PurposedRequest.origin(value)), value);
    }

    @ParameterizedTest
    @ValueSource(ints = {63, 64})
    void labelsAreAtMost63Characters(int length) {
        String origin = "https://" + "a".repeat(length) + ".example";
        assertEquals(length <= 63 ? "no error" : "400 invalid_request", FakeJaxRs.error(() -> PurposedRequest.origin(origin)));
    }

    @ParameterizedTest
    @ValueSource(ints = {253, 254})
    void hostNamesAreAtMost253Characters(int length) {
        String host = ("a".repeat(49) + ".").repeat(5) + "b".repeat(length - 250);
        assertEquals(length, host.length());
        assertEquals(length <= 253 ? "no error" : "400 invalid_request", FakeJaxRs.error(() -> PurposedRequest.origin("https://" + host)));
    }
}
