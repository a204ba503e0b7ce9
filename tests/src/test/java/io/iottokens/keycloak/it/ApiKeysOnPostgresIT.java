package io.iottokens.keycloak.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.iottokens.keycloak.it.support.Api;
import io.iottokens.keycloak.it.support.Devices;
import io.iottokens.keycloak.it.support.KeycloakServer;
import io.iottokens.keycloak.it.support.OwnPostgres;
import io.iottokens.keycloak.it.support.Postgres;
import io.iottokens.keycloak.it.support.TestEnv;

/**
 * API keys on the real PostgreSQL: the Liquibase changelog creates the table and its indexes, keys and
 * their sessions survive a server restart, only hashes are stored, and deleting the realm removes its rows.
 */
class ApiKeysOnPostgresIT {

    @RegisterExtension
    static final OwnPostgres PG = new OwnPostgres("iottokens_it", "keycloak-pg").savingTextForTheSecretScan();

    private static final String ADMIN_PASSWORD = java.util.UUID.randomUUID().toString();

    private static KeycloakServer start(String logName, int port, String... args) {
        return KeycloakServer.start(PG.options(logName).port(port).adminPassword(ADMIN_PASSWORD).args(args));
    }

    /** A server as the pack runs by default, without a pepper: secrets hashed under a per-realm key. */
    private static KeycloakServer startWithoutPepper(String db, String logName, int port) {
        KeycloakServer.Options o = new KeycloakServer.Options()
                .home(PG.home())
                .logFile(TestEnv.workDir().resolve(logName))
                .readinessRealm("iot")
                .importFile(TestEnv.realmFile())
                .port(port)
                .adminPassword(ADMIN_PASSWORD);
        TestEnv.packJars().forEach(o::provider);
        return KeycloakServer.start(o.args(Postgres.keycloakArgs(db)));
    }

    private static int purposedRows(String id) throws Exception {
        try (Connection c = Postgres.connect(PG.database()); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*) from iot_purposed_token where id = '" + id + "'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void keysAndTheirSessionsSurviveARestartAndOnlyHashesAreStored() throws Exception {
        String userId;
        String keyId;
        String key;
        String secret;
        String refreshToken;
        String purposedToken;
        String shortLivedId;
        String keptId;
        int port;
        try (KeycloakServer first = start("keycloak-pg-1.log", 0)) {
            port = first.port();
            Api api = new Api(first);
            userId = api.createUser("pg-owner", "pg-owner-password");
            String token = api.userToken("pg-owner", "pg-owner-password");
            Api.Resp created = api.createApiKey(token, Map.of("memo", "survives restarts", "duration", "1y"));
            assertEquals(201, created.status(), created.toString());
            keyId = created.json().get("id").asText();
            key = created.json().get("key").asText();
            secret = created.json().get("secret").asText();
            Api.Resp grant = api.apiKeyGrant("iot-api", key, secret, null);
            assertEquals(200, grant.status(), grant.toString());
            refreshToken = grant.json().get("refresh_token").asText();

            // a device with a key and a group, so the device tables are exercised on PostgreSQL too
            io.iottokens.keycloak.device.TestDeviceKeys device = io.iottokens.keycloak.device.TestDeviceKeys.ec();
            Devices.registered(api, "pg-device-1", device);
            assertEquals(201, api.adminPost("/groups", Map.of("name", "pg-group")).status());
            assertEquals(200, api.adminPut("/devices/pg-device-1/groups", Map.of("groups", java.util.List.of("pg-group"))).status());

            // a purposed token and a tenant grant, so those tables are exercised on PostgreSQL too
            Api.Resp purposed = api.postJson(first.realmUrl("iot") + "/purposed-tokens", Map.of("purpose", "survives restarts",
                    "targetIdentities", java.util.List.of("*"), "scopes", java.util.List.of("upp:verify")), token);
            assertEquals(201, purposed.status(), purposed.toString());
            purposedToken = purposed.json().get("token").asText();
            Api.Resp shortLived = api.postJson(first.realmUrl("iot") + "/purposed-tokens", Map.of("purpose", "expires at once",
                    "targetIdentities", java.util.List.of("*"), "scopes", java.util.List.of("upp:verify"), "expiration", 1), token);
            assertEquals(201, shortLived.status(), shortLived.toString());
            shortLivedId = shortLived.json().get("id").asText();
            keptId = purposed.json().get("id").asText();
            Api.Resp org = api.adminPost("/organizations", Map.of("name", "pg-tenant", "alias", "pg-tenant",
                    "domains", java.util.List.of(Map.of("name", "pg-tenant.example.com"))));
            assertEquals(201, org.status(), org.toString());
            Api.Resp grantRow = api.putJson(first.realmUrl("iot") + "/tenant-delegation/tenants/pg-tenant/grants/tenant-app-example",
                    Map.of("accessLevel", "limited"), api.realmManagerToken());
            assertEquals(201, grantRow.status(), grantRow.toString());
        }

        try (Connection c = Postgres.connect(PG.database()); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("select api_key, secret_hash, status, user_id from iot_api_key where id = '" + keyId + "'")) {
                assertTrue(rs.next(), "the key is a row of IOT_API_KEY");
                assertEquals(key, rs.getString("api_key"));
                assertEquals(userId, rs.getString("user_id"));
                assertEquals("active", rs.getString("status"));
                assertFalse(rs.getString("secret_hash").contains(secret.substring(5)), "only a hash is stored");
                assertTrue(rs.getString("secret_hash").startsWith("h1:"));
            }
            Set<String> indexes = new HashSet<>();
            try (ResultSet rs = s.executeQuery("select indexname from pg_indexes where tablename = 'iot_api_key'")) {
                while (rs.next()) {
                    indexes.add(rs.getString(1).toLowerCase());
                }
            }
            assertTrue(indexes.containsAll(Set.of("pk_iot_api_key", "uk_iot_api_key_key", "idx_iot_api_key_user",
                    "idx_iot_api_key_status", "idx_iot_api_key_expiry")), "an index for every lookup: " + indexes);
        }

        assertEquals(1, purposedRows(shortLivedId), "the expired purposed token is still stored (30 days' retention by default)");
        // the second start sweeps expired purposed tokens every second, keeping them one second after expiry
        try (KeycloakServer second = start("keycloak-pg-2.log", port, "--spi-realm-restapi-extension--purposed-tokens--expired-retention=PT1S",
                "--spi-realm-restapi-extension--purposed-tokens--sweep-interval=PT1S")) {
            Api api = new Api(second);
            long deadline = System.currentTimeMillis() + 15_000;
            while (purposedRows(shortLivedId) > 0 && System.currentTimeMillis() < deadline) {
                Thread.sleep(200);
            }
            assertEquals(0, purposedRows(shortLivedId), "the sweep deleted the expired purposed token");
            assertEquals(1, purposedRows(keptId), "a token without expiry is kept");
            Api.Resp grant = api.apiKeyGrant("iot-api", key, secret, null);
            assertEquals(200, grant.status(), "the key works after a restart: " + grant);
            Api.Resp refreshed = api.refresh("iot-api", refreshToken);
            assertEquals(200, refreshed.status(), "its session too (persistent sessions): " + refreshed);

            assertEquals(1, api.adminGet("/devices/pg-device-1").json().get("groups").size(), "the device and its group survive the restart");
            assertTrue(Api.JSON.readTree(api.postForm(api.tokenUrl("iot") + "/introspect", Map.of("client_id", "iot-platform",
                    "client_secret", api.platformSecret(), "token", purposedToken, "token_type_hint", "purposed_token"), null).body())
                    .get("active").asBoolean(), "the purposed token is still active after the restart");
            JsonNode listed = api.adminGet("/api-keys?user=" + userId).json();
            assertEquals(1, listed.size());
            assertTrue(listed.get(0).hasNonNull("lastUsedAt"));

            // suspend on this node ends the session that was created before the restart
            assertEquals(200, api.adminPost("/api-keys/" + keyId + "/suspend", Map.of()).status());
            assertEquals(400, api.refresh("iot-api", refreshed.json().get("refresh_token").asText()).status());

            // deleting the realm leaves no row behind; what the realm left in the database is kept for NoSecretsLeftBehindIT
            Postgres.saveText(PG.database(), "before-realm-deletion");
            assertEquals(204, api.delete(second.adminUrl("iot"), api.adminToken()).status());
        }
        try (Connection c = Postgres.connect(PG.database()); Statement s = c.createStatement()) {
            for (String table : new String[] {"iot_api_key", "iot_device", "iot_device_group", "iot_purposed_token", "iot_tenant_grant"}) {
                try (ResultSet rs = s.executeQuery("select count(*) from " + table)) {
                    rs.next();
                    assertEquals(0, rs.getInt(1), "no row of " + table + " outlives its realm");
                }
            }
        }
    }

    /**
     * Earlier versions kept a realm's hash key (no pepper) in the realm attribute {@code iottokens.apiKey.hashKey}.
     * The state they leave is made faithfully: a key hashed under the realm's hash key, that hash key in the realm
     * attribute and no row in IOT_API_KEY_HASH_KEY. On first use the value moves to the table, the attribute goes,
     * and the old secret keeps working; deleting the realm removes the row.
     */
    @Test
    void legacyHashKeyAttributeMovesToItsTableAndOldSecretsKeepWorking() throws Exception {
        String db = Postgres.createDatabase("iottokens_hk");
        String attribute = "iottokens.apiKey.hashKey";
        try {
            String realmId;
            String key;
            String secret;
            int port;
            try (KeycloakServer first = startWithoutPepper(db, "keycloak-pg-hk-1.log", 0)) {
                port = first.port();
                Api api = new Api(first);
                api.createUser("hk-owner", "hk-owner-password");
                Api.Resp created = api.createApiKey(api.userToken("hk-owner", "hk-owner-password"), Map.of("memo", "made before the upgrade"));
                assertEquals(201, created.status(), created.toString());
                key = created.json().get("key").asText();
                secret = created.json().get("secret").asText();
                assertEquals(200, api.apiKeyGrant("iot-api", key, secret, null).status());
                realmId = api.adminGet("").json().get("id").asText();
            }

            String hashKey;
            try (Connection c = Postgres.connect(db); Statement s = c.createStatement()) {
                try (ResultSet rs = s.executeQuery("select hash_key from iot_api_key_hash_key where realm_id = '" + realmId + "'")) {
                    assertTrue(rs.next(), "this version keeps the realm's hash key in IOT_API_KEY_HASH_KEY");
                    hashKey = rs.getString(1);
                }
                try (ResultSet rs = s.executeQuery("select count(*) from realm_attribute where name = '" + attribute + "'")) {
                    rs.next();
                    assertEquals(0, rs.getInt(1), "and never as a realm attribute");
                }
                // back to what an earlier version leaves behind
                s.executeUpdate("insert into realm_attribute (name, value, realm_id) values ('" + attribute + "', '" + hashKey + "', '" + realmId + "')");
                s.executeUpdate("delete from iot_api_key_hash_key");
            }

            try (KeycloakServer second = startWithoutPepper(db, "keycloak-pg-hk-2.log", port)) {
                Api api = new Api(second);
                assertEquals(hashKey, api.adminGet("").json().path("attributes").path(attribute).asText(),
                        "before the first use Keycloak shows the old attribute (the state of an earlier version)");
                Api.Resp grant = api.apiKeyGrant("iot-api", key, secret, null);
                assertEquals(200, grant.status(), "the secret made under the attribute's key still works: " + grant);
                assertFalse(api.adminGet("").json().path("attributes").has(attribute), "the attribute is gone from the realm");
                Api.Resp export = api.adminPost("/partial-export?exportClients=true&exportGroupsAndRoles=true", "");
                assertFalse(export.json().path("attributes").has(attribute), "and from partial exports");
                try (Connection c = Postgres.connect(db); Statement s = c.createStatement()) {
                    try (ResultSet rs = s.executeQuery("select hash_key from iot_api_key_hash_key where realm_id = '" + realmId + "'")) {
                        assertTrue(rs.next(), "moved to the table");
                        assertEquals(hashKey, rs.getString(1), "with the same value");
                    }
                    try (ResultSet rs = s.executeQuery("select count(*) from realm_attribute where name = '" + attribute + "'")) {
                        rs.next();
                        assertEquals(0, rs.getInt(1), "no row of it is left in REALM_ATTRIBUTE");
                    }
                }
                Api.Resp another = api.createApiKey(api.userToken("hk-owner", "hk-owner-password"), Map.of("memo", "made after"));
                assertEquals(200, api.apiKeyGrant("iot-api", another.json().get("key").asText(), another.json().get("secret").asText(), null).status());
                assertEquals(200, api.apiKeyGrant("iot-api", key, secret, null).status());

                assertEquals(204, api.delete(second.adminUrl("iot"), api.adminToken()).status());
            }
            try (Connection c = Postgres.connect(db); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("select count(*) from iot_api_key_hash_key")) {
                rs.next();
                assertEquals(0, rs.getInt(1), "the hash key does not outlive its realm");
            }
        } finally {
            Postgres.dropDatabase(db);
        }
    }
}
