package io.iottokens.keycloak.common;

import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DurationsTest {

    @ParameterizedTest
    @CsvSource({
            "1d, 86400", "1w, 604800", "1m, 2592000", "1y, 31536000",
            "P30D, 2592000", "p1d, 86400", "PT12H, 43200", "PT2S, 2", "P1Y2M, 36720000", "P1DT1H, 90000"})
    void presetsAndIsoDurationsParse(String text, long seconds) {
        assertEquals(Duration.ofSeconds(seconds), Durations.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "2 weeks", "1h", "7", "P", "PT", "P-1D", "PT0S", "P0D", "P200Y", "P99999999999999D", "1d1w"})
    void anythingElseIsRefusedWithAReason(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse(text));
        assertEquals(true, e.getMessage().length() > 10, e.getMessage());
    }
}
