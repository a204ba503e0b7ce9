package io.iottokens.keycloak.tenant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.keycloak.models.RealmModel;

import io.iottokens.keycloak.common.PackException;

class TenantLevelsTest {

    /** A realm whose only attribute is the level map {@code json} (null: none). */
    private static RealmModel realm(String json) {
        return (RealmModel) Proxy.newProxyInstance(RealmModel.class.getClassLoader(), new Class<?>[] {RealmModel.class}, (p, m, args) -> {
            if (m.getName().equals("getAttribute") && args.length == 1 && TenantLevels.REALM_ATTRIBUTE.equals(args[0])) {
                return json;
            }
            throw new UnsupportedOperationException(m.getName());
        });
    }

    private final TenantLevels levels = new TenantLevels(TenantConfig.of("{\"data-contextualization\": \"iot:dc:read iot:dc:admin\"}"));

    @Test
    void theServerMapAppliesWhereTheRealmSaysNothing() {
        assertEquals(List.of("iot:dc:read", "iot:dc:admin"), levels.scopes(realm(null), TenantLevels.DATA_CONTEXTUALIZATION));
        assertEquals(TenantConfig.DEFAULTS.get(TenantLevels.LIMITED), levels.scopes(realm(" "), TenantLevels.LIMITED));
        assertEquals(List.of(), levels.scopes(realm(null), TenantLevels.CUSTOM), "custom has no scopes of its own");
    }

    @Test
    void theRealmWinsLevelByLevel() {
        RealmModel r = realm("{\"read-write\": [\"a\", \"b\"]}");
        assertEquals(List.of("a", "b"), levels.scopes(r, TenantLevels.READ_WRITE));
        assertEquals(List.of("iot:dc:read", "iot:dc:admin"), levels.scopes(r, TenantLevels.DATA_CONTEXTUALIZATION));
        Set<String> catalogue = levels.catalogue(r);
        assertTrue(catalogue.containsAll(List.of("a", "b", "iot:dc:admin", "iot:timeseries:read")), catalogue.toString());
        assertTrue(!catalogue.contains("iot:timeseries:write"), "read-write was redefined without it, limited never had it");
    }

    @Test
    void aBrokenRealmSettingIsRefusedNamingTheAttributeNeverReplacedByDefaults() {
        for (String broken : List.of("{\"limited\": ", "{\"read_write\": \"a\"}", "{\"limited\": 5}", "[]")) {
            PackException e = assertThrows(PackException.class, () -> levels.scopes(realm(broken), TenantLevels.LIMITED), broken);
            assertEquals(503, e.status());
            assertEquals("temporarily_unavailable", e.error());
            assertTrue(e.description().contains(TenantLevels.REALM_ATTRIBUTE), e.description());
        }
        // corrected: answered again
        assertEquals(List.of("x"), levels.scopes(realm("{\"limited\": \"x\"}"), TenantLevels.LIMITED));
    }
}
