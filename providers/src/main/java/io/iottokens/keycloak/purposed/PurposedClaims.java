package io.iottokens.keycloak.purposed;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ubirch purposed claims of one token: {@code pur} (purpose), {@code tid} (target identities, or
 * {@code ["*"]}), {@code tgp} (target groups), {@code ord} (origin domains), {@code scp} (scopes). Arrays stay
 * arrays, also when empty, as in the examples of the README's "Purposed tokens".
 */
public record PurposedClaims(String purpose, List<String> targetIdentities, List<String> targetGroups,
                             List<String> originDomains, List<String> scopes) {

    public static final String PUR = "pur";
    public static final String TID = "tid";
    public static final String TGP = "tgp";
    public static final String ORD = "ord";
    public static final String SCP = "scp";

    public PurposedClaims {
        targetIdentities = targetIdentities == null ? List.of() : List.copyOf(targetIdentities);
        targetGroups = targetGroups == null ? List.of() : List.copyOf(targetGroups);
        originDomains = originDomains == null ? List.of() : List.copyOf(originDomains);
        scopes = scopes == null ? List.of() : List.copyOf(scopes);
    }

    /** The claims in the documented order ({@code scp pur tgp tid ord}), ready for a token's other claims. */
    public Map<String, Object> asClaims() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(SCP, scopes);
        m.put(PUR, purpose);
        m.put(TGP, targetGroups);
        m.put(TID, targetIdentities);
        m.put(ORD, originDomains);
        return m;
    }
}
