package io.iottokens.keycloak.tenant;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.keycloak.Config;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;
import org.keycloak.util.JsonSerialization;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Server options of tenant delegation, read once at start. Set them like any Keycloak SPI option:
 * {@code --spi-realm-restapi-extension--tenant-delegation--levels='{"limited": "a b c"}'} or
 * {@code KC_SPI_REALM_RESTAPI_EXTENSION__TENANT_DELEGATION__LEVELS}. A broken value stops the server at start with
 * the option's name.
 *
 * @param levels the scopes of each level that has scopes of its own ({@value TenantLevels#READ_WRITE},
 *               {@value TenantLevels#LIMITED}, {@value TenantLevels#DATA_CONTEXTUALIZATION}): the defaults, with
 *               the levels the option names replaced
 */
public record TenantConfig(Map<String, List<String>> levels) {

    public static final String LEVELS_OPTION = "levels";

    /**
     * The default scopes of the levels (README "Tenant delegation"): {@code read-write} everything, {@code limited}
     * manages assets and files and creates events but does not write time series, {@code data-contextualization}
     * only the data-contextualization APIs.
     */
    public static final Map<String, List<String>> DEFAULTS = Map.of(
            TenantLevels.READ_WRITE, List.of("iot:assets:read", "iot:assets:write", "iot:files:read", "iot:files:write",
                    "iot:events:read", "iot:events:write", "iot:timeseries:read", "iot:timeseries:write", "iot:dc:read", "iot:dc:write"),
            TenantLevels.LIMITED, List.of("iot:assets:read", "iot:assets:write", "iot:files:read", "iot:files:write",
                    "iot:events:read", "iot:events:write", "iot:timeseries:read"),
            TenantLevels.DATA_CONTEXTUALIZATION, List.of("iot:dc:read", "iot:dc:write"));

    public TenantConfig {
        levels = Map.copyOf(levels);
    }

    public static TenantConfig from(Config.Scope c) {
        try {
            return of(c.get(LEVELS_OPTION));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Option " + LEVELS_OPTION + " of the " + TenantFeature.OWNER_ID + " provider: " + e.getMessage(), e);
        }
    }

    /** The defaults with the levels {@code json} names replaced; unset or blank: the defaults. */
    public static TenantConfig of(String json) {
        Map<String, List<String>> m = new LinkedHashMap<>(DEFAULTS);
        m.putAll(parseLevels(json));
        return new TenantConfig(m);
    }

    /**
     * A level map: a JSON object level → scopes (a space-separated string or an array of strings), naming only
     * levels with scopes of their own, each with at least one scope of RFC 6749's scope characters. Null or blank:
     * empty. Anything else is an {@link IllegalArgumentException} saying what is wrong (never echoing the value).
     */
    public static Map<String, List<String>> parseLevels(String json) {
        if (json == null || json.isBlank()) {
            return Map.of();
        }
        JsonNode parsed;
        try {
            parsed = JsonSerialization.mapper.readTree(json);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not valid JSON; expected an object level -> scopes such as {\"limited\": \"a b c\"}");
        }
        if (parsed == null || !parsed.isObject()) {
            throw new IllegalArgumentException("not a JSON object; expected an object level -> scopes such as {\"limited\": \"a b c\"}");
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = parsed.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            String level = e.getKey();
            if (TenantLevels.CUSTOM.equals(level)) {
                throw new IllegalArgumentException("the level '" + TenantLevels.CUSTOM + "' has no scopes of its own (each custom grant names them)");
            }
            if (!DEFAULTS.containsKey(level)) {
                throw new IllegalArgumentException("unknown level '" + abbreviate(level) + "'; the levels with scopes are " + TenantLevels.CONFIGURABLE);
            }
            out.put(level, scopes(level, e.getValue()));
        }
        return out;
    }

    private static List<String> scopes(String level, JsonNode value) {
        List<String> parts = new ArrayList<>();
        if (value.isTextual()) {
            parts.add(value.textValue());
        } else if (value.isArray()) {
            for (JsonNode item : value) {
                if (!item.isTextual()) {
                    throw new IllegalArgumentException("level '" + level + "': scopes must be a string or an array of strings");
                }
                parts.add(item.textValue());
            }
        } else {
            throw new IllegalArgumentException("level '" + level + "': scopes must be a string or an array of strings");
        }
        Set<String> scopes = new LinkedHashSet<>();
        for (String part : parts) {
            scopes.addAll(TenantLevels.split(part));
        }
        if (scopes.isEmpty()) {
            throw new IllegalArgumentException("level '" + level + "' has no scopes");
        }
        for (String s : scopes) {
            if (!s.chars().allMatch(TenantConfig::scopeChar)) {
                throw new IllegalArgumentException("level '" + level + "': a scope holds a character RFC 6749 does not allow in scopes");
            }
        }
        return List.copyOf(scopes);
    }

    /** RFC 6749 section 3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ). */
    private static boolean scopeChar(int c) {
        return c == 0x21 || (c >= 0x23 && c <= 0x5B) || (c >= 0x5D && c <= 0x7E);
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    public static List<ProviderConfigProperty> metadata() {
        return ProviderConfigurationBuilder.create()
                .property().name(LEVELS_OPTION).type("string")
                .helpText("Scopes of the access levels, as JSON: {\"read-write\": \"a b\", \"limited\": [\"a\"], \"data-contextualization\": \"c\"}."
                        + " Levels not named keep their defaults; a realm may override level by level in its attribute "
                        + TenantLevels.REALM_ATTRIBUTE + ". A broken value stops the server.")
                .add()
                .build();
    }
}
