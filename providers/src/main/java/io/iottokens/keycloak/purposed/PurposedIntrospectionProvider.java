package io.iottokens.keycloak.purposed;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.protocol.LoginProtocol;
import org.keycloak.protocol.oidc.OIDCAdvancedConfigWrapper;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.protocol.oidc.TokenIntrospectionProvider;

import io.iottokens.keycloak.common.NoStore;
import io.iottokens.keycloak.common.TokenEdge;

/**
 * ubirch's {@code externalStateVerify} as RFC 7662 introspection at the realm's standard endpoint with
 * {@code token_type_hint=purposed_token} (Keycloak admits only authenticated confidential clients there).
 * {@code active} is true only when {@link PurposedTokenService#check} passes and the calling client may see the
 * token under Keycloak's audience rule ({@link #mayIntrospect}); then the answer carries the token's claims,
 * {@code scope} (the {@code scp} values), {@code category} and the owner's {@code username}. Any other caller
 * gets {@code {"active": false}} and nothing else.
 */
public final class PurposedIntrospectionProvider implements TokenIntrospectionProvider {

    private static final Logger LOG = Logger.getLogger(PurposedIntrospectionProvider.class);

    public static final String TOKEN_TYPE = "purposed_token";

    private final KeycloakSession session;

    PurposedIntrospectionProvider(KeycloakSession session) {
        this.session = session;
    }

    @Override
    public Response introspect(String token, EventBuilder event) {
        return TokenEdge.call(session, null, null, () -> introspectGuarded(token, event));
    }

    private Response introspectGuarded(String token, EventBuilder event) {
        RealmModel realm = session.getContext().getRealm();
        String[] reason = new String[1];
        PurposedTokenService.Checked checked = new PurposedTokenService(session).check(realm, token, reason);
        event.detail(Details.TOKEN_TYPE, TOKEN_TYPE);
        if (checked == null) {
            event.detail(Details.REASON, reason[0]);
            event.success(); // an inactive answer is a successful introspection, as for Keycloak's own tokens
            return inactive();
        }
        event.detail("purposed_token_id", checked.entity().getId());
        ClientModel caller = session.getContext().getClient();
        if (!mayIntrospect(session, caller, checked.claims().get("aud"))) {
            // as Keycloak's AccessTokenIntrospectionProvider#verifyAudience: an error event, an inactive answer
            event.detail(Details.REASON, "Client '" + caller.getClientId() + "' is not in the token audience").error(Errors.INVALID_TOKEN);
            return inactive();
        }
        event.user(checked.owner()).success();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("active", true);
        body.putAll(checked.claims());
        Object scp = checked.claims().get(PurposedClaims.SCP);
        if (scp instanceof List<?> l) {
            body.put("scope", String.join(" ", l.stream().map(String::valueOf).toList()));
        }
        body.put("token_type", TOKEN_TYPE);
        body.put("category", checked.entity().getCategory());
        body.put("username", checked.owner().getUsername());
        return NoStore.ok(body);
    }

    /**
     * Keycloak's audience rule for introspection (26.x): the client must be named in {@code aud}, unless an
     * administrator switched the check off for it or server-wide (the same two options Keycloak honours for its own
     * tokens, so one decision covers every token of the realm). A purposed token's {@code aud} holds client ids
     * only where the realm's scope → audience map says so; the realm issuer (unmapped scopes, bootstrap tokens) is
     * no client, so such tokens are active for nobody here.
     */
    static boolean mayIntrospect(KeycloakSession session, ClientModel caller, Object aud) {
        if (caller == null) {
            return false;
        }
        boolean named = aud instanceof String s ? s.equals(caller.getClientId())
                : aud instanceof List<?> l && l.contains(caller.getClientId());
        if (named) {
            return true;
        }
        OIDCLoginProtocol oidc = (OIDCLoginProtocol) session.getProvider(LoginProtocol.class, OIDCLoginProtocol.LOGIN_PROTOCOL);
        if (oidc != null && oidc.getConfig() != null && oidc.getConfig().isAllowTokenIntrospectionWithoutAudienceCheck()) {
            LOG.debugf("Client '%s' introspects a purposed token without audience check (server-wide setting)", caller.getClientId());
            return true;
        }
        if (OIDCAdvancedConfigWrapper.fromClientModel(caller).isAllowTokenIntrospectionWithoutAudienceCheck()) {
            LOG.debugf("Client '%s' introspects a purposed token without audience check (its own setting)", caller.getClientId());
            return true;
        }
        return false;
    }

    private static Response inactive() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("active", false);
        return NoStore.ok(body);
    }

    @Override
    public void close() {
    }
}
