package io.iottokens.keycloak.tenant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.keycloak.Config;

class TenantConfigTest {

    private static final String PREFIX = "iottokens.test.tenant-config.";

    private static TenantConfig fromOption(String value) {
        String key = PREFIX + TenantConfig.LEVELS_OPTION;
        System.setProperty(key, value);
        try {
            return TenantConfig.from(new Config.SystemPropertiesScope(PREFIX));
        } finally {
            System.clearProperty(key);
        }
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "  ", "{}"})
    void unsetOrEmptyMeansTheDefaults(String json) {
        assertEquals(TenantConfig.DEFAULTS, TenantConfig.of(json).levels());
        assertEquals(List.of("iot:dc:read", "iot:dc:write"), TenantConfig.of(json).levels().get(TenantLevels.DATA_CONTEXTUALIZATION));
    }

    @Test
    void theDefaultsAreTheDocumentedOnes() {
        assertEquals(10, TenantConfig.DEFAULTS.get(TenantLevels.READ_WRITE).size());
        assertTrue(TenantConfig.DEFAULTS.get(TenantLevels.READ_WRITE).contains("iot:timeseries:write"));
        assertTrue(!TenantConfig.DEFAULTS.get(TenantLevels.LIMITED).contains("iot:timeseries:write"), "limited writes no time series");
        assertTrue(TenantConfig.DEFAULTS.get(TenantLevels.LIMITED).contains("iot:timeseries:read"));
    }

    @Test
    void aNamedLevelIsReplacedTheOthersKeepTheirDefaults() {
        TenantConfig c = TenantConfig.of("{\"data-contextualization\": \"iot:dc:read iot:dc:write iot:dc:admin\"}");
        assertEquals(List.of("iot:dc:read", "iot:dc:write", "iot:dc:admin"), c.levels().get(TenantLevels.DATA_CONTEXTUALIZATION));
        assertEquals(TenantConfig.DEFAULTS.get(TenantLevels.READ_WRITE), c.levels().get(TenantLevels.READ_WRITE));
        assertEquals(TenantConfig.DEFAULTS.get(TenantLevels.LIMITED), c.levels().get(TenantLevels.LIMITED));
    }

    @Test
    void scopesAreAStringOrAnArrayWithoutBlanksOrDuplicates() {
        assertEquals(Map.of("limited", List.of("a", "b", "c")), TenantConfig.parseLevels("{\"limited\": \"  a b\\tb  c \"}"));
        assertEquals(Map.of("limited", List.of("a", "b")), TenantConfig.parseLevels("{\"limited\": [\"a\", \"b\", \"a\"]}"));
        assertEquals(Map.of("read-write", List.of("x:y"), "limited", List.of("z")),
                TenantConfig.parseLevels("{\"read-write\": \"x:y\", \"limited\": [\"z\"]}"));
    }

    @Test
    void theServerOptionIsRead() {
        assertEquals(List.of("a", "b"), fromOption("{\"limited\": \"a b\"}").levels().get(TenantLevels.LIMITED));
        assertEquals(TenantConfig.DEFAULTS, TenantConfig.from(new Config.SystemPropertiesScope(PREFIX)).levels(), "unset: the defaults");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"limited\": |not valid JSON",
        "[\"limited\"]|not a JSON object",
        "\"limited\"|not a JSON object",
        "{\"read_write\": \"a\"}|unknown level 'read_write'",
        "{\"custom\": \"a\"}|'custom' has no scopes of its own",
        "{\"limited\": 5}|scopes must be a string or an array of strings",
        "{\"limited\": null}|scopes must be a string or an array of strings",
        "{\"limited\": {\"a\": \"b\"}}|scopes must be a string or an array of strings",
        "{\"limited\": [\"a\", 1]}|scopes must be a string or an array of strings",
        "{\"limited\": \"  \"}|has no scopes",
        "{\"limited\": []}|has no scopes",
        "{\"limited\": \"a \\\"b\\\"\"}|a character RFC 6749 does not allow",
        "{\"limited\": \"caf\u00e9\"}|a character RFC 6749 does not allow",
    })
    void aBrokenValueIsRefusedSayingWhy(String json, String why) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TenantConfig.parseLevels(json));
        assertTrue(e.getMessage().contains(why), e.getMessage());
    }

    @Test
    void aBrokenServerOptionStopsTheStartNamingTheOption() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> fromOption("{\"limitd\": \"a\"}"));
        assertTrue(e.getMessage().startsWith("Option levels of the tenant-delegation provider: unknown level 'limitd'"), e.getMessage());
    }

    @Test
    void theMetadataDeclaresTheOption() {
        assertEquals(List.of(TenantConfig.LEVELS_OPTION), TenantConfig.metadata().stream().map(p -> p.getName()).toList());
    }
}
