package io.iottokens.keycloak.tenant;

import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.keycloak.models.RealmModel;
import org.keycloak.util.JsonSerialization;

/**
 * Access levels of seed 001 and the scopes each one puts into tenant tokens. Defaults follow the seed:
 * {@code read-write} everything, {@code limited} manages assets and files and creates events but does not write
 * time series, {@code data-contextualization} only the data-contextualization APIs; {@code custom} carries the
 * scopes chosen at grant time (any of the catalogue = every scope of the other levels).
 *
 * <p>Configurable per server ({@code --spi-realm-restapi-extension--tenant-delegation--levels='{"limited": "a b"}'})
 * and per realm (attribute {@value #REALM_ATTRIBUTE}, same JSON); the realm wins, level by level.
 */
public final class TenantLevels {

    public static final String READ_WRITE = "read-write";
    public static final String LIMITED = "limited";
    public static final String DATA_CONTEXTUALIZATION = "data-contextualization";
    public static final String CUSTOM = "custom";
    public static final List<String> ALL = List.of(READ_WRITE, LIMITED, DATA_CONTEXTUALIZATION, CUSTOM);
    public static final String REALM_ATTRIBUTE = "iottokens.tenant.levels";

    static final Map<String, String> DEFAULTS = Map.of(
            READ_WRITE, "iot:assets:read iot:assets:write iot:files:read iot:files:write iot:events:read iot:events:write"
                    + " iot:timeseries:read iot:timeseries:write iot:dc:read iot:dc:write",
            LIMITED, "iot:assets:read iot:assets:write iot:files:read iot:files:write iot:events:read iot:events:write iot:timeseries:read",
            DATA_CONTEXTUALIZATION, "iot:dc:read iot:dc:write");

    private static volatile Map<String, String> server = DEFAULTS;

    /** The last realm setting read and its map: the token path parses a realm's setting once, not per token. */
    private record Parsed(String json, Map<String, String> levels) {
    }

    private static volatile Parsed lastRealmSetting = new Parsed(null, Map.of());

    private TenantLevels() {
    }

    /** The server-wide map (from the SPI option); levels it does not name keep their defaults. */
    public static void configure(String json) {
        Map<String, String> m = new LinkedHashMap<>(DEFAULTS);
        m.putAll(parse(json));
        server = Map.copyOf(m);
    }

    /** The scopes of a level in this realm; {@code custom} has none of its own. */
    public static List<String> scopes(RealmModel realm, String level) {
        Map<String, String> realmMap = realmLevels(realm.getAttribute(REALM_ATTRIBUTE));
        String s = realmMap.getOrDefault(level, server.get(level));
        return s == null ? List.of() : split(s);
    }

    /** Every scope a custom grant may name: the union of the other levels. */
    public static Set<String> catalogue(RealmModel realm) {
        Set<String> all = new LinkedHashSet<>();
        for (String level : List.of(READ_WRITE, LIMITED, DATA_CONTEXTUALIZATION)) {
            all.addAll(scopes(realm, level));
        }
        return all;
    }

    private static Map<String, String> realmLevels(String json) {
        Parsed last = lastRealmSetting;
        if (!Objects.equals(last.json(), json)) {
            last = new Parsed(json, Map.copyOf(parse(json)));
            lastRealmSetting = last;
        }
        return last.levels();
    }

    static List<String> split(String s) {
        return Arrays.stream(s.trim().split("\\s+")).filter(x -> !x.isEmpty()).distinct().toList();
    }

    private static Map<String, String> parse(String json) {
        if (json == null || json.isBlank()) {
            return Map.of();
        }
        try {
            Map<?, ?> raw = JsonSerialization.readValue(json, Map.class);
            Map<String, String> out = new LinkedHashMap<>();
            raw.forEach((k, v) -> {
                if (ALL.contains(String.valueOf(k)) && !CUSTOM.equals(k) && v != null) {
                    out.put(String.valueOf(k), v instanceof List<?> l ? String.join(" ", l.stream().map(String::valueOf).toList()) : String.valueOf(v));
                }
            });
            return out;
        } catch (IOException e) {
            return Map.of(); // an unreadable setting keeps the defaults
        }
    }
}
