package io.iottokens.keycloak.purposed;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.keycloak.events.Details;
import org.keycloak.events.EventBuilder;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.protocol.oidc.TokenIntrospectionProvider;

/**
 * ubirch's {@code externalStateVerify} as RFC 7662 introspection at the realm's standard endpoint with
 * {@code token_type_hint=purposed_token} (Keycloak admits only authenticated confidential clients there).
 * {@code active} is true only when {@link PurposedTokenService#check} passes; then the answer carries the
 * token's claims, {@code scope} (the {@code scp} values) and {@code category}.
 */
public final class PurposedIntrospectionProvider implements TokenIntrospectionProvider {

    public static final String TOKEN_TYPE = "purposed_token";

    private final KeycloakSession session;

    PurposedIntrospectionProvider(KeycloakSession session) {
        this.session = session;
    }

    @Override
    public Response introspect(String token, EventBuilder event) {
        RealmModel realm = session.getContext().getRealm();
        String[] reason = new String[1];
        PurposedTokenService.Checked checked = new PurposedTokenService(session).check(realm, token, reason);
        event.detail(Details.TOKEN_TYPE, TOKEN_TYPE);
        Map<String, Object> body = new LinkedHashMap<>();
        if (checked == null) {
            event.detail(Details.REASON, reason[0]);
            event.success(); // an inactive answer is a successful introspection, as for Keycloak's own tokens
            body.put("active", false);
            return Response.ok(body, MediaType.APPLICATION_JSON_TYPE).header("Cache-Control", "no-store").build();
        }
        event.user(checked.owner()).detail("purposed_token_id", checked.entity().getId()).success();
        body.put("active", true);
        body.putAll(checked.claims());
        Object scp = checked.claims().get(PurposedClaims.SCP);
        if (scp instanceof List<?> l) {
            body.put("scope", String.join(" ", l.stream().map(String::valueOf).toList()));
        }
        body.put("token_type", TOKEN_TYPE);
        body.put("category", checked.entity().getCategory());
        body.put("username", checked.owner().getUsername());
        return Response.ok(body, MediaType.APPLICATION_JSON_TYPE).header("Cache-Control", "no-store").build();
    }

    @Override
    public void close() {
    }
}
