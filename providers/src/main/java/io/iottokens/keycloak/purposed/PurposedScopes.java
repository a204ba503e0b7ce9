package io.iottokens.keycloak.purposed;

import java.util.Arrays;
import java.util.List;

import org.keycloak.models.RealmModel;

/**
 * The realm's catalogue of purposed-token scopes: the realm attribute {@value #REALM_ATTRIBUTE}
 * (space-separated) or, by default, the seven scopes of ubirch's token manager (README "Purposed tokens").
 */
public final class PurposedScopes {

    public static final String REALM_ATTRIBUTE = "iottokens.purposed.scopes";
    public static final List<String> DEFAULT = List.of("upp:anchor", "upp:verify", "thing:create", "thing:getinfo",
            "thing:storedata", "thing:bootstrap", "user:getinfo");

    private PurposedScopes() {
    }

    public static List<String> of(RealmModel realm) {
        String configured = realm.getAttribute(REALM_ATTRIBUTE);
        if (configured == null || configured.isBlank()) {
            return DEFAULT;
        }
        return split(configured);
    }

    /** The scopes an attribute value names (space-separated, set and not blank). */
    public static List<String> split(String configured) {
        return Arrays.stream(configured.trim().split("\\s+")).distinct().toList();
    }
}
