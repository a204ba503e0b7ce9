package io.iottokens.keycloak.tenant;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.jboss.logging.Logger;
import org.keycloak.models.RealmModel;

import io.iottokens.keycloak.common.PackException;

/**
 * The access levels of tenant grants and the scopes each one puts into tenant tokens in a realm: the server's map
 * ({@link TenantConfig}) and, level by level over it, the realm's attribute {@value #REALM_ATTRIBUTE} (the same
 * JSON). {@code custom} carries the scopes chosen at grant time (any of the catalogue = every scope of the other
 * levels). A broken realm attribute is read as such: every request that needs the levels is refused with 503
 * {@code temporarily_unavailable} naming the attribute (until an administrator corrects it), never answered from
 * the defaults. One per node ({@link TenantFeature}).
 */
public final class TenantLevels {

    public static final String READ_WRITE = "read-write";
    public static final String LIMITED = "limited";
    public static final String DATA_CONTEXTUALIZATION = "data-contextualization";
    public static final String CUSTOM = "custom";
    public static final List<String> ALL = List.of(READ_WRITE, LIMITED, DATA_CONTEXTUALIZATION, CUSTOM);
    /** The levels with scopes of their own. */
    public static final List<String> CONFIGURABLE = List.of(READ_WRITE, LIMITED, DATA_CONTEXTUALIZATION);
    public static final String REALM_ATTRIBUTE = "iottokens.tenant.levels";

    private static final Logger LOG = Logger.getLogger(TenantLevels.class);

    /** A realm setting as read: its map, or why it is broken. */
    private record Parsed(String json, Map<String, List<String>> levels, String problem) {
    }

    private final Map<String, List<String>> server;
    /** The last realm setting read: the token path parses a realm's setting once, not per token. */
    private volatile Parsed lastRealmSetting = new Parsed(null, Map.of(), null);

    public TenantLevels(TenantConfig config) {
        this.server = config.levels();
    }

    /** The scopes of a level in this realm; {@code custom} has none of its own. */
    public List<String> scopes(RealmModel realm, String level) {
        List<String> s = realmLevels(realm.getAttribute(REALM_ATTRIBUTE)).get(level);
        if (s == null) {
            s = server.get(level);
        }
        return s == null ? List.of() : s;
    }

    /** Every scope a custom grant may name: the union of the other levels. */
    public Set<String> catalogue(RealmModel realm) {
        Set<String> all = new LinkedHashSet<>();
        for (String level : CONFIGURABLE) {
            all.addAll(scopes(realm, level));
        }
        return all;
    }

    private Map<String, List<String>> realmLevels(String json) {
        Parsed last = lastRealmSetting;
        if (!Objects.equals(last.json(), json)) {
            try {
                last = new Parsed(json, TenantConfig.parseLevels(json), null);
            } catch (IllegalArgumentException e) {
                last = new Parsed(json, null, e.getMessage());
                LOG.warnf("Tenant delegation: the realm attribute %s is broken (%s); tenant requests are refused until it is corrected",
                        REALM_ATTRIBUTE, e.getMessage());
            }
            lastRealmSetting = last;
        }
        if (last.problem() != null) {
            throw new PackException(503, "temporarily_unavailable", "The realm attribute " + REALM_ATTRIBUTE + " is broken ("
                    + last.problem() + "); an administrator must correct it");
        }
        return last.levels();
    }

    /** Space-separated scopes, without empty entries and duplicates. */
    public static List<String> split(String s) {
        return Arrays.stream(s.trim().split("\\s+")).filter(x -> !x.isEmpty()).distinct().toList();
    }
}
