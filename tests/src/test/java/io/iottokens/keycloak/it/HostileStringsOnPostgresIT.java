package io.iottokens.keycloak.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Test;

import io.iottokens.keycloak.it.support.Api;
import io.iottokens.keycloak.it.support.Devices;
import io.iottokens.keycloak.it.support.KeycloakServer;
import io.iottokens.keycloak.it.support.OwnPostgres;
import io.iottokens.keycloak.it.support.Postgres;
import io.iottokens.keycloak.it.support.RawHttp;

/**
 * The part of the bad-input battery that touches strings and bodies, on the real PostgreSQL (which, unlike H2, cannot
 * store a NUL in text and checks UTF-8): NUL, lone and reversed surrogates, invalid and overlong UTF-8, duplicate
 * members, trailing data, over-long fields and form bodies at every endpoint that stores text. Every one is a 4xx,
 * never a 5xx, and nothing of them reaches the database; valid text outside the BMP is stored and read back intact.
 */
class HostileStringsOnPostgresIT {

    private static final String MARK = "hostile-pg";

    @RegisterExtension
    static final OwnPostgres PG = new OwnPostgres("iottokens_strings", "keycloak-pg-strings");

    private record Case(String name, String url, String method, String contentType, byte[] body) {
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A JSON object with one string member whose JSON text (escapes included) is {@code rawJsonString}. */
    private static byte[] member(String field, String rawJsonString, String rest) {
        return utf8("{\"" + field + "\": \"" + MARK + rawJsonString + "\"" + rest + "}");
    }

    private static List<Case> cases(String realmUrl, String adminUrl, String userId) {
        Map<String, String> bodies = new TreeMap<>();
        bodies.put("NUL escape", "\\u0000");
        bodies.put("lone high surrogate", "\\ud800");
        bodies.put("lone low surrogate", "\\udc00");
        bodies.put("reversed surrogates", "\\udc00\\ud800");
        bodies.put("high surrogate at the end", "x\\udbff");
        List<Case> cases = new ArrayList<>();
        Map<String, String[]> targets = new TreeMap<>();
        targets.put("api-keys memo", new String[] {realmUrl + "/api-keys", "POST", "memo", ""});
        targets.put("purposed purpose", new String[] {realmUrl + "/purposed-tokens", "POST", "purpose",
                ", \"targetIdentities\": [\"*\"], \"scopes\": [\"upp:verify\"], \"expiration\": 600"});
        targets.put("admin api-keys memo", new String[] {adminUrl + "/api-keys", "POST", "memo", ", \"userId\": \"" + userId + "\""});
        targets.put("admin device groups", new String[] {adminUrl + "/devices/pg-strings-device/groups", "PUT", "groups", null});
        for (var t : targets.entrySet()) {
            String[] v = t.getValue();
            for (var b : bodies.entrySet()) {
                byte[] body = v[3] == null ? utf8("{\"" + v[2] + "\": [\"" + MARK + b.getValue() + "\"]}") : member(v[2], b.getValue(), v[3]);
                cases.add(new Case(t.getKey() + ", " + b.getKey(), v[0], v[1], "application/json", body));
            }
            String rest = v[3] == null ? "" : v[3];
            String field = v[3] == null ? "\"" + v[2] + "\": [\"" + MARK + "\"]" : "\"" + v[2] + "\": \"" + MARK + "\"" + rest;
            cases.add(new Case(t.getKey() + ", raw NUL byte", v[0], v[1], "application/json",
                    RawHttp.concat(utf8("{" + field.replace(MARK, MARK + "a")), new byte[] {0}, utf8("}"))));
            cases.add(new Case(t.getKey() + ", invalid UTF-8", v[0], v[1], "application/json",
                    RawHttp.concat(utf8("{\"" + v[2] + "\": " + (v[3] == null ? "[\"" : "\"") + MARK), new byte[] {(byte) 0xC3, 0x28},
                            utf8(v[3] == null ? "\"]}" : "\"" + rest + "}"))));
            cases.add(new Case(t.getKey() + ", overlong NUL", v[0], v[1], "application/json",
                    RawHttp.concat(utf8("{\"" + v[2] + "\": " + (v[3] == null ? "[\"" : "\"") + MARK), new byte[] {(byte) 0xC0, (byte) 0x80},
                            utf8(v[3] == null ? "\"]}" : "\"" + rest + "}"))));
            cases.add(new Case(t.getKey() + ", duplicate member", v[0], v[1], "application/json", utf8("{" + field + ", " + field + "}")));
            cases.add(new Case(t.getKey() + ", trailing data", v[0], v[1], "application/json", utf8("{" + field + "} {}")));
            cases.add(new Case(t.getKey() + ", 100k characters", v[0], v[1], "application/json",
                    utf8("{" + field.replace(MARK, MARK + "x".repeat(100_000)) + "}")));
            cases.add(new Case(t.getKey() + ", as a form", v[0], v[1], "application/x-www-form-urlencoded", utf8(v[2] + "=" + MARK)));
        }
        return cases;
    }

    @Test
    void hostileStringsAndBodiesNeverReachPostgres() throws Exception {
        try (KeycloakServer server = KeycloakServer.start(PG.options("keycloak-pg-strings.log"))) {
            Api api = new Api(server);
            String userId = api.createUser("pg-strings", "pg-strings-password", "user");
            String token = api.userToken("pg-strings", "pg-strings-password");
            // the device of the admin groups case exists (it registers its own key), so that its body is what is refused
            io.iottokens.keycloak.device.TestDeviceKeys device = io.iottokens.keycloak.device.TestDeviceKeys.ec();
            Devices.registered(api, "pg-strings-device", device);
            assertEquals(201, api.adminPost("/groups", Map.of("name", MARK + "-group")).status());
            Api.Resp grouped = api.adminPut("/devices/pg-strings-device/groups", Map.of("groups", List.of(MARK + "-group")));
            assertEquals(200, grouped.status(), grouped.toString());

            // valid text outside the BMP goes in and comes back intact (positive path first)
            String emoji = MARK + "-ok \uD83D\uDE80 \u00e9\u4e2d";
            Api.Resp good = api.createApiKey(token, Map.of("memo", emoji));
            assertEquals(201, good.status(), good.toString());
            assertEquals(emoji, api.get(api.apiKeysUrl() + "/" + good.json().get("id").asText(), token).json().get("memo").asText());

            Map<String, Integer> byStatus = new TreeMap<>();
            List<String> wrong = new ArrayList<>();
            String admin = api.adminToken();
            for (Case c : cases(server.realmUrl(Api.REALM), server.adminUrl(Api.REALM), userId)) {
                String bearer = c.url().contains("/admin/") ? admin : token;
                Api.Resp r = api.send(HttpRequest.newBuilder(URI.create(c.url())).header("Content-Type", c.contentType())
                        .header("Authorization", "Bearer " + bearer).method(c.method(), HttpRequest.BodyPublishers.ofByteArray(c.body())));
                byStatus.merge(r.status() >= 500 ? "5xx" : String.valueOf(r.status()), 1, Integer::sum);
                if (r.status() < 400 || r.status() >= 500) {
                    wrong.add(c.name() + " -> " + r.status() + " " + r.body());
                }
            }
            System.out.println("HostileStringsOnPostgresIT: " + byStatus.values().stream().mapToInt(Integer::intValue).sum()
                    + " requests on PostgreSQL: " + byStatus);
            assertEquals(List.of(), wrong, "every hostile string or body is a 4xx");

            // nothing of them is stored: the only marked rows are the valid key's
            try (Connection c = Postgres.connect(PG.database())) {
                for (String[] q : new String[][] {{"iot_api_key", "memo"}, {"iot_purposed_token", "purpose"}}) {
                    try (PreparedStatement s = c.prepareStatement("select count(*) from " + q[0] + " where " + q[1] + " like ?")) {
                        s.setString(1, MARK + "%");
                        try (ResultSet rs = s.executeQuery()) {
                            rs.next();
                            assertEquals(q[0].equals("iot_api_key") ? 1 : 0, rs.getInt(1), q[0] + " rows with the marker");
                        }
                    }
                }
                try (PreparedStatement s = c.prepareStatement("select memo from iot_api_key where id = ?")) {
                    s.setString(1, good.json().get("id").asText());
                    try (ResultSet rs = s.executeQuery()) {
                        assertTrue(rs.next());
                        assertEquals(emoji, rs.getString(1), "the text PostgreSQL holds is the text sent");
                    }
                }
            }
        }
    }
}
