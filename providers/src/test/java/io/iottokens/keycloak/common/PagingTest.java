package io.iottokens.keycloak.common;

import static io.iottokens.keycloak.common.Refusals.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link Paging}: the defaults, both bounds of each parameter and the values that are no ASCII whole number. */
class PagingTest {

    @Test
    void absentOrEmptyParametersTakeTheDefaults() {
        assertEquals(new Paging(0, Paging.DEFAULT_MAX), Paging.of(null, null));
        assertEquals(new Paging(0, Paging.DEFAULT_MAX), Paging.of("", ""));
        assertEquals(new Paging(7, Paging.DEFAULT_MAX), Paging.of("7", null));
        assertEquals(new Paging(0, 3), Paging.of(null, "3"));
    }

    @Test
    void firstStartsAtZero() {
        assertEquals(0, Paging.of("0", null).first());
        assertEquals(0, Paging.of("-0", null).first(), "minus zero is zero");
        assertTrue(assertRefused(() -> Paging.of("-1", null), 400, "invalid_request").contains("'first'"));
    }

    @Test
    void maxIsBetweenOneAndTheLimit() {
        assertEquals(1, Paging.of(null, "1").max());
        assertEquals(Paging.LIMIT, Paging.of(null, String.valueOf(Paging.LIMIT)).max());
        for (String outside : new String[] {"0", "-1", String.valueOf(Paging.LIMIT + 1), "999999999"}) {
            assertTrue(assertRefused(() -> Paging.of(null, outside), 400, "invalid_request").contains("'max'"), outside);
        }
    }

    @Test
    void nineDigitsAreTheLongestNumber() {
        assertEquals(999_999_999, Paging.of("999999999", null).first());
        assertEquals(7, Paging.of("000000007", null).first(), "leading zeros count as digits");
        assertTrue(assertRefused(() -> Paging.of("1000000000", null), 400, "invalid_request").contains("'first'"));
        assertTrue(assertRefused(() -> Paging.of("0000000001", null), 400, "invalid_request").contains("'first'"));
        assertTrue(assertRefused(() -> Paging.of("99999999999999999999", null), 400, "invalid_request").contains("'first'"),
                "no overflow into a negative or wrapped value");
    }

    @ParameterizedTest
    @ValueSource(strings = {"+1", " 1", "1 ", "1.0", "1e2", "0x10", "one", "-", "--1", "1-", "\uff11", "\u0663", "\u0967", "1\u0000",
        "2147483648", "NaN"})
    void anythingButAsciiDigitsIsRefusedNamingTheParameter(String value) {
        assertTrue(assertRefused(() -> Paging.of(value, null), 400, "invalid_request").contains("'first'"), value);
        assertTrue(assertRefused(() -> Paging.of(null, value), 400, "invalid_request").contains("'max'"), value);
    }

    @Test
    void theParametersAreCheckedIndependently() {
        assertTrue(assertRefused(() -> Paging.of("x", "5"), 400, "invalid_request").contains("'first'"));
        assertTrue(assertRefused(() -> Paging.of("5", "x"), 400, "invalid_request").contains("'max'"));
        assertEquals(new Paging(40, 100), Paging.of("40", "100"));
    }
}
