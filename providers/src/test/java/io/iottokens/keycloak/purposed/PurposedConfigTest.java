package io.iottokens.keycloak.purposed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.keycloak.Config;
import org.keycloak.provider.ProviderConfigProperty;

class PurposedConfigTest {

    private static final String PREFIX = "iottokens.test.purposed-config.";

    private static PurposedConfig from(Map<String, String> options) {
        options.forEach((k, v) -> System.setProperty(PREFIX + k, v));
        try {
            return PurposedConfig.from(new Config.SystemPropertiesScope(PREFIX));
        } finally {
            options.keySet().forEach(k -> System.clearProperty(PREFIX + k));
        }
    }

    @Test
    void unsetMeansTheDefaults() {
        PurposedConfig c = from(Map.of());
        assertEquals(Duration.ofDays(30), c.expiredRetention());
        assertEquals(Duration.ofHours(1), c.sweepInterval());
    }

    @Test
    void goodValuesAreRead() {
        PurposedConfig c = from(Map.of("expired-retention", "1w", "sweep-interval", "PT1S"));
        assertEquals(Duration.ofDays(7), c.expiredRetention());
        assertEquals(Duration.ofSeconds(1), c.sweepInterval());
        assertEquals(Duration.ofDays(30), from(Map.of("expired-retention", "P30D")).expiredRetention());
    }

    @ParameterizedTest
    @CsvSource({
        "expired-retention, 30",
        "expired-retention, thirty days",
        "expired-retention, P0D",
        "expired-retention, -P1D",
        "sweep-interval, PT",
        "sweep-interval, P200Y",
    })
    void aBrokenValueStopsTheStartNamingTheOption(String option, String value) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> from(Map.of(option, value)));
        assertTrue(e.getMessage().startsWith("Option " + option + " of the purposed-tokens provider: "), e.getMessage());
    }

    @Test
    void theMetadataDeclaresEachOptionWithItsDefault() {
        List<ProviderConfigProperty> m = PurposedConfig.metadata();
        assertEquals(List.of("expired-retention", "sweep-interval"), m.stream().map(ProviderConfigProperty::getName).toList());
        assertEquals(List.of("P30D", "PT1H"), m.stream().map(ProviderConfigProperty::getDefaultValue).toList());
    }
}
