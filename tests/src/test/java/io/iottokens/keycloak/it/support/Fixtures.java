package io.iottokens.keycloak.it.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The objects several tests make through the admin REST API and the pack's API (users, confidential clients,
 * organizations, groups, API keys, purposed-token claims) and the token requests they share, made in one place. Each
 * fixture asserts that its creation succeeded, so a test fails at the setup that broke.
 */
public final class Fixtures {

    public static final String TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
    public static final String ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";
    public static final String PURPOSED_TOKEN_TYPE = "urn:iottokens:params:oauth:token-type:purposed";

    private Fixtures() {
    }

    /** The id at the end of a 201's {@code Location}. */
    public static String createdId(Api.Resp created) {
        assertEquals(201, created.status(), created.toString());
        return created.header("Location").orElseThrow().replaceAll(".*/", "");
    }

    // ---- users ----------------------------------------------------------------------------------

    /** A user of the realm with their access token on iot-api. */
    public record User(String id, String name, String password, String token) {
    }

    /** A new user named {@code prefix-xxxxxxxx}, password {@code <name>-pw}, with the given realm roles; logged in on iot-api. */
    public static User user(Api api, String prefix, String... realmRoles) {
        String name = Api.unique(prefix);
        String password = name + "-pw";
        String id = api.createUser(name, password, realmRoles);
        return new User(id, name, password, api.userToken(name, password));
    }

    // ---- clients --------------------------------------------------------------------------------

    /** A confidential client: its clientId, secret and internal id. */
    public record App(String clientId, String secret, String uuid) {
    }

    /**
     * A new confidential client with a service account (client_credentials only: no browser flow, no password grant);
     * {@code extra} is merged into its representation last.
     */
    public static App app(Api api, String prefix, Map<String, ?> extra) {
        String clientId = Api.unique(prefix);
        String secret = UUID.randomUUID().toString();
        Map<String, Object> rep = new LinkedHashMap<>(Map.of("clientId", clientId, "publicClient", false, "secret", secret,
                "serviceAccountsEnabled", true, "standardFlowEnabled", false, "directAccessGrantsEnabled", false));
        rep.putAll(extra);
        return new App(clientId, secret, createdId(api.adminPost("/clients", rep)));
    }

    public static App app(Api api) {
        return app(api, "app", Map.of());
    }

    /** The secret of an existing confidential client, read through the admin API. */
    public static String clientSecret(Api api, String clientId) {
        return api.adminGet("/clients/" + clientUuid(api, clientId) + "/client-secret").json().get("value").asText();
    }

    /** The internal id of an existing client. */
    public static String clientUuid(Api api, String clientId) {
        return api.adminGet("/clients?clientId=" + clientId).json().get(0).get("id").asText();
    }

    /** A client's access token from client_credentials. */
    public static String clientToken(Api api, String clientId, String secret) {
        Api.Resp r = api.token(Map.of("grant_type", "client_credentials", "client_id", clientId, "client_secret", secret));
        assertEquals(200, r.status(), r.toString());
        return r.json().get("access_token").asText();
    }

    public static String clientToken(Api api, App app) {
        return clientToken(api, app.clientId(), app.secret());
    }

    /**
     * The RFC 8693 form with an access token as subject, in the order the tests send it; {@code secret} may be null
     * (a public client). Callers add what their exchange asks for (tenant, requested_token_type, ...).
     */
    public static Map<String, String> exchangeForm(String clientId, String secret, String subjectToken) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("grant_type", TOKEN_EXCHANGE);
        f.put("client_id", clientId);
        if (secret != null) {
            f.put("client_secret", secret);
        }
        f.put("subject_token", subjectToken);
        f.put("subject_token_type", ACCESS_TOKEN_TYPE);
        return f;
    }

    /**
     * The purposed-token route of the token endpoint (RFC 8693 with RFC 9396 {@code authorization_details}): the claim
     * object as the one authorization detail of type {@code purposed_token}.
     */
    public static Map<String, String> purposedExchangeForm(String clientId, String secret, String subjectToken, Map<String, Object> claim) {
        Map<String, Object> details = new LinkedHashMap<>(claim);
        details.put("type", "purposed_token");
        Map<String, String> f = exchangeForm(clientId, secret, subjectToken);
        f.put("requested_token_type", PURPOSED_TOKEN_TYPE);
        try {
            f.put("authorization_details", Api.JSON.writeValueAsString(List.of(details)));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
        return f;
    }

    // ---- organizations and groups ---------------------------------------------------------------

    /** An organization of the realm (id and alias). */
    public record Org(String id, String alias) {
    }

    /** A new organization with alias {@code alias} and a domain of its own. */
    public static Org org(Api api, String alias) {
        String name = Api.unique("tenant");
        return new Org(createdId(api.adminPost("/organizations", Map.of("name", name, "alias", alias,
                "domains", List.of(Map.of("name", name + ".example.com"))))), alias);
    }

    public static Org org(Api api) {
        return org(api, Api.unique("tenant"));
    }

    /** A new group named {@code prefix-xxxxxxxx}; its id. */
    public static String group(Api api, String prefix) {
        return createdId(api.adminPost("/groups", Map.of("name", Api.unique(prefix))));
    }

    public static void joinGroup(Api api, String userId, String groupId) {
        Api.Resp r = api.adminPut("/users/" + userId + "/groups/" + groupId, Map.of());
        assertEquals(204, r.status(), r.toString());
    }

    // ---- realm and client settings --------------------------------------------------------------

    /** Reads the realm's representation, lets {@code change} edit it and writes it back. */
    public static void updateRealm(Api api, Consumer<ObjectNode> change) {
        ObjectNode realm = (ObjectNode) api.adminGet("").json();
        change.accept(realm);
        Api.Resp r = api.adminPut("", realm);
        assertEquals(204, r.status(), r.toString());
    }

    /** Reads a client's representation (by clientId), lets {@code change} edit it and writes it back. */
    public static void updateClient(Api api, String clientId, Consumer<ObjectNode> change) {
        String uuid = clientUuid(api, clientId);
        ObjectNode client = (ObjectNode) api.adminGet("/clients/" + uuid).json();
        change.accept(client);
        Api.Resp r = api.adminPut("/clients/" + uuid, client);
        assertEquals(204, r.status(), r.toString());
    }

    /** Sets (or, with a null value, removes) one realm attribute. */
    public static void realmAttribute(Api api, String name, String value) {
        updateRealm(api, realm -> {
            ObjectNode attributes = realm.with("attributes");
            if (value == null) {
                attributes.remove(name);
            } else {
                attributes.put(name, value);
            }
        });
    }

    /** Enables or disables a user. */
    public static void setUserEnabled(Api api, String userId, boolean enabled) {
        ObjectNode rep = (ObjectNode) api.adminGet("/users/" + userId).json();
        rep.put("enabled", enabled);
        Api.Resp r = api.adminPut("/users/" + userId, rep);
        assertEquals(204, r.status(), r.toString());
    }

    // ---- the pack's objects ---------------------------------------------------------------------

    /** An API key as its creation answered it: id, key and the secret shown once. */
    public record Key(String id, String key, String secret) {
        public static Key of(JsonNode created) {
            return new Key(created.get("id").asText(), created.get("key").asText(), created.get("secret").asText());
        }

        /** The key's URL in its owner's API ({@code /api-keys/{id}}). */
        public String url(Api api) {
            return api.apiKeysUrl() + "/" + id;
        }
    }

    /** Creates an API key with {@code body} for the owner of {@code userToken}; asserts the 201. */
    public static JsonNode createdApiKey(Api api, String userToken, Object body) {
        Api.Resp r = api.createApiKey(userToken, body);
        assertEquals(201, r.status(), r.toString());
        return r.json();
    }

    /**
     * The claim object of {@code POST /purposed-tokens} (README "Purposed tokens"), without {@code tenantId} and
     * {@code notBefore} (both optional); a mutable map, so callers add or change members.
     */
    public static Map<String, Object> purposedClaim(String purpose, List<String> identities, List<String> groups, List<String> scopes,
            Object expiration) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("purpose", purpose);
        b.put("targetIdentities", identities);
        b.put("targetGroups", groups);
        b.put("expiration", expiration);
        b.put("originDomains", List.of());
        b.put("scopes", scopes);
        return b;
    }

    public static String purposedUrl(Api api) {
        return api.server().realmUrl(Api.REALM) + "/purposed-tokens";
    }

    /** Creates a purposed token with the bearer's token; asserts the 201 and answers the creation response. */
    public static JsonNode createdPurposed(Api api, Map<String, Object> claim, String bearer) {
        Api.Resp r = api.postJson(purposedUrl(api), claim, bearer);
        assertEquals(201, r.status(), r.toString());
        return r.json();
    }
}
