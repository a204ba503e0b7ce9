package io.iottokens.keycloak.it.support;

import java.util.LinkedHashMap;
import java.util.Map;

/** The mimik flow in three calls, for tests that need a device owned by a user. */
public final class Edge {

    public static final String CALLBACK = "http://localhost:3001/callback";
    public static final String ID_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:id_token";

    private Edge() {
    }

    /** The edge exchange's form: a developer's ID token for a token of node {@code nodeId} (left out when null), by the public client edge-cli. */
    public static Map<String, String> exchangeForm(String idToken, String nodeId) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("grant_type", Fixtures.TOKEN_EXCHANGE);
        f.put("client_id", "edge-cli");
        f.put("subject_token", idToken);
        f.put("subject_token_type", ID_TOKEN_TYPE);
        if (nodeId != null) {
            f.put("node_id", nodeId);
        }
        return f;
    }

    /** The edge exchange as it came (200 with access and refresh token of a session of its own, or a refusal). */
    public static Api.Resp exchange(Api api, String idToken, String nodeId) {
        return api.token(exchangeForm(idToken, nodeId));
    }

    /** The user signs in to developer-console and exchanges the ID token for an edge token of {@code nodeId}. */
    public static String edgeToken(Api api, String username, String password, String nodeId) {
        Api.Resp login = api.codeFlow("developer-console", CALLBACK, username, password, "openid");
        Api.Resp r = exchange(api, login.json().get("id_token").asText(), nodeId);
        if (r.status() != 200) {
            throw new AssertionError("edge token: " + r);
        }
        return r.json().get("access_token").asText();
    }

    /** A new node associated with (owned by) the user; returns its id. */
    public static String ownedNode(Api api, String username, String password) {
        String node = Api.unique("node");
        Api.Resp r = api.postJson(api.server().realmUrl(Api.REALM) + "/devices/associate", Map.of(), edgeToken(api, username, password, node));
        if (r.status() != 200) {
            throw new AssertionError("associate: " + r);
        }
        return node;
    }
}
