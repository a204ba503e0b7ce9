package io.iottokens.keycloak.it.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What the revocation tests (single node and cluster) share: the objects whose revocation they test (a tenant grant,
 * an edge session, a purposed token), the uses of their tokens (RFC 7662 introspection as the platform does it, with
 * and without a hint; refresh; bearer use). Rounds of concurrent requests go through {@link Race}.
 */
public final class Revocations {

    public static final String EXCHANGE = Fixtures.TOKEN_EXCHANGE;

    private Revocations() {
    }

    // ---- uses -----------------------------------------------------------------------------------

    /** RFC 7662 introspection by {@code iot-platform} (the tokens' audience); {@code hint} may be null. */
    public static JsonNode introspect(Api api, String token, String hint) {
        Map<String, String> f = new HashMap<>(Map.of("client_id", "iot-platform", "client_secret", api.platformSecret(), "token", token));
        if (hint != null) {
            f.put("token_type_hint", hint);
        }
        Api.Resp r = api.postForm(api.tokenUrl(Api.REALM) + "/introspect", f, null);
        assertEquals(200, r.status(), r.toString());
        return r.json();
    }

    public static boolean active(Api api, String token, String hint) {
        return introspect(api, token, hint).get("active").asBoolean();
    }

    // ---- tenant grants --------------------------------------------------------------------------

    /** An organization, an application (confidential, service account) and a realm administrator who grants. */
    public record Tenant(String orgId, String alias, String clientId, String secret, String adminToken) {
        public String grantUrl(Api api) {
            return api.server().realmUrl(Api.REALM) + "/tenant-delegation/tenants/" + alias + "/grants/" + clientId;
        }
    }

    public static Tenant tenant(Api api) {
        Fixtures.Org org = Fixtures.org(api);
        Fixtures.App app = Fixtures.app(api);
        return new Tenant(org.id(), org.alias(), app.clientId(), app.secret(), api.realmManagerToken());
    }

    public static Api.Resp grant(Api api, Tenant t, String level) {
        return api.putJson(t.grantUrl(api), Map.of("accessLevel", level), t.adminToken());
    }

    public static Api.Resp revoke(Api api, Tenant t) {
        return api.delete(t.grantUrl(api), t.adminToken());
    }

    public static String appToken(Api api, Tenant t) {
        return Fixtures.clientToken(api, t.clientId(), t.secret());
    }

    /** A tenant token by token exchange (the application's service-account token as subject). */
    public static Api.Resp tenantExchange(Api api, Tenant t, String appToken) {
        Map<String, String> f = Fixtures.exchangeForm(t.clientId(), t.secret(), appToken);
        f.put("tenant", t.alias());
        return api.token(f);
    }

    /** A tenant token of the batch endpoint; the response as it came (200 with one token, or a refusal). */
    public static Api.Resp tenantBatch(Api api, Tenant t, String appToken) {
        return api.postJson(api.server().realmUrl(Api.REALM) + "/tenant-delegation/tokens", Map.of("tenants", List.of(t.orgId())), appToken);
    }

    /**
     * A bearer use of a token at one of the pack's endpoints that authenticate through Keycloak's bearer check (which
     * asks the token's grant): a live token of a refused kind gets 403 naming its kind, a dead one 401.
     */
    public static int packBearerUse(Api api, String token) {
        return api.get(api.server().realmUrl(Api.REALM) + "/api-keys", token).status();
    }

    // ---- edge -----------------------------------------------------------------------------------

    public record Developer(String id, String username, String password) {
    }

    public static Developer developer(Api api) {
        String name = Api.unique("dev");
        return new Developer(api.createUser(name, name + "-pw", "user"), name, name + "-pw");
    }

    public static String idToken(Api api, Developer d) {
        Api.Resp r = api.codeFlow("developer-console", Edge.CALLBACK, d.username(), d.password(), "openid");
        assertEquals(200, r.status(), r.toString());
        return r.json().get("id_token").asText();
    }

    /** The edge exchange: access and refresh token of a session of its own for the node. */
    public static Api.Resp edgeExchange(Api api, String idToken, String node) {
        return Edge.exchange(api, idToken, node);
    }

    /** Access and refresh token of one edge session. */
    public record EdgeTokens(String access, String refresh) {
    }

    public static EdgeTokens edgeTokens(Api api, String idToken, String node) {
        Api.Resp r = edgeExchange(api, idToken, node);
        assertEquals(200, r.status(), r.toString());
        return new EdgeTokens(r.json().get("access_token").asText(), r.json().get("refresh_token").asText());
    }

    /** {@code associate} or {@code unassociate} with an edge token as bearer. */
    public static Api.Resp node(Api api, String edgeToken, String what) {
        return api.postJson(api.server().realmUrl(Api.REALM) + "/devices/" + what, Map.of(), edgeToken);
    }

    public static Api.Resp refreshEdge(Api api, String refreshToken) {
        return api.refresh("edge-cli", refreshToken);
    }

    // ---- purposed tokens --------------------------------------------------------------------------

    /** A purposed token of {@code ownerToken}'s user for any device, verifiable by iot-platform; the create response. */
    public static JsonNode purposed(Api api, String ownerToken, List<String> scopes) {
        return Fixtures.createdPurposed(api, Fixtures.purposedClaim("revocation test", List.of("*"), List.of(), scopes, 86400), ownerToken);
    }

    public static Api.Resp deletePurposed(Api api, String ownerToken, String id) {
        return api.delete(api.server().realmUrl(Api.REALM) + "/purposed-tokens/" + id, ownerToken);
    }

    public static boolean purposedActive(Api api, String token) {
        return active(api, token, "purposed_token");
    }
}
