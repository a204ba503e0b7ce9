package io.iottokens.keycloak.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

import io.iottokens.keycloak.it.support.Api;
import io.iottokens.keycloak.it.support.KeycloakExtension;
import io.iottokens.keycloak.it.support.KeycloakServer;
import io.iottokens.keycloak.it.support.TestEnv;

/**
 * The README's "Operating with kcadm.sh" commands, run with the real {@code bin/kcadm.sh} of the distribution the
 * test server runs from, logged in to the master realm as the server's admin with a config file of its own under
 * {@code target/}: exit codes and output of API-key, purposed-token, device, tenant-grant and settings operations.
 */
@ExtendWith(KeycloakExtension.class)
class KcadmIT {

    private record Run(int exit, String out, String err) {
        JsonNode json() {
            try {
                return Api.JSON.readTree(out);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + this, e);
            }
        }
    }

    /** Runs {@code kcadm.sh args... --config <own file>}, with the JDK running the tests on PATH. */
    private static Run kcadm(Api api, String... args) throws Exception {
        Path home = api.server().home();
        Path config = TestEnv.workDir().resolve("kcadm/kcadm.config");
        Files.createDirectories(config.getParent());
        List<String> cmd = new ArrayList<>(List.of("sh", home.resolve("bin/kcadm.sh").toString()));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--config", config.toString()));
        Path out = Files.createTempFile(config.getParent(), "out", ".txt");
        Path err = Files.createTempFile(config.getParent(), "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        String java = System.getProperty("java.home");
        pb.environment().put("JAVA_HOME", java);
        pb.environment().put("PATH", java + File.separator + "bin" + File.pathSeparator + System.getenv().getOrDefault("PATH", ""));
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("kcadm.sh " + String.join(" ", args) + " did not finish");
        }
        Run r = new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
        return r;
    }

    /** The config file holds the admin's tokens: gone after each test. */
    @AfterEach
    void forgetSession() throws IOException {
        Files.deleteIfExists(TestEnv.workDir().resolve("kcadm/kcadm.config"));
    }

    private static Run ok(Api api, String... args) throws Exception {
        Run r = kcadm(api, args);
        assertEquals(0, r.exit(), "kcadm.sh " + String.join(" ", args) + ": " + r);
        return r;
    }

    private static void login(Api api) throws Exception {
        ok(api, "config", "credentials", "--server", api.server().baseUrl(), "--realm", "master",
                "--user", KeycloakServer.ADMIN_USER, "--password", api.server().adminPassword());
    }

    @Test
    void apiKeysPurposedTokensAndDevices(Api api) throws Exception {
        login(api);
        String user = Api.unique("kcadm");
        api.createUser(user, user + "-pw", "user");
        String login = api.userToken(user, user + "-pw");
        Api.Resp key = api.createApiKey(login, Map.of("memo", "kcadm", "duration", "1d"));
        assertEquals(201, key.status(), key.toString());
        String id = key.json().get("id").asText();

        JsonNode keys = ok(api, "get", "api-keys", "-r", Api.REALM, "-q", "user=" + user).json();
        assertEquals(1, keys.size(), keys.toString());
        assertEquals(id, keys.get(0).get("id").asText());
        assertEquals("active", keys.get(0).get("status").asText());

        ok(api, "create", "api-keys/" + id + "/revoke", "-r", Api.REALM);
        assertEquals("revoked", ok(api, "get", "api-keys/" + id, "-r", Api.REALM).json().get("status").asText());
        ok(api, "delete", "api-keys/" + id, "-r", Api.REALM);
        Run gone = kcadm(api, "get", "api-keys/" + id, "-r", Api.REALM);
        assertNotEquals(0, gone.exit(), gone.toString());
        assertTrue(gone.err().contains("404") || gone.err().contains("not found"), gone.toString());

        assertTrue(ok(api, "get", "purposed-tokens", "-r", Api.REALM, "-q", "user=" + user).json().isArray());
        assertTrue(ok(api, "get", "devices", "-r", Api.REALM, "-q", "max=5").json().isArray());
    }

    @Test
    void tenantGrants(Api api) throws Exception {
        login(api);
        String alias = Api.unique("kcadm-org");
        assertEquals(201, api.adminPost("/organizations", Map.of("name", alias, "alias", alias,
                "domains", List.of(Map.of("name", alias + ".example.com")))).status());
        String clientId = Api.unique("kcadm-app");
        assertEquals(201, api.adminPost("/clients", Map.of("clientId", clientId, "publicClient", false, "secret", UUID.randomUUID().toString(),
                "serviceAccountsEnabled", true, "standardFlowEnabled", false)).status());

        ok(api, "update", "tenant-grants/" + alias + "/" + clientId, "-r", Api.REALM, "--no-merge", "-s", "accessLevel=read-write");
        JsonNode listed = ok(api, "get", "tenant-grants", "-r", Api.REALM, "-q", "org=" + alias).json();
        assertEquals(1, listed.size(), listed.toString());
        assertEquals("read-write", listed.get(0).get("accessLevel").asText());
        String id = listed.get(0).get("id").asText();

        ok(api, "update", "tenant-grants/" + alias + "/" + clientId, "-r", Api.REALM, "--no-merge",
                "-s", "accessLevel=custom", "-s", "scopes=[\"iot:assets:read\"]");
        JsonNode changed = ok(api, "get", "tenant-grants/" + id, "-r", Api.REALM).json();
        assertEquals("custom", changed.get("accessLevel").asText());
        assertEquals("iot:assets:read", changed.get("scopes").get(0).asText());

        Run refused = kcadm(api, "update", "tenant-grants/" + alias + "/" + clientId, "-r", Api.REALM, "--no-merge", "-s", "accessLevel=everything");
        assertNotEquals(0, refused.exit(), refused.toString());
        assertTrue(refused.err().contains("accessLevel"), "kcadm shows the pack's error description: " + refused);

        ok(api, "delete", "tenant-grants/" + id, "-r", Api.REALM);
        assertEquals(0, ok(api, "get", "tenant-grants", "-r", Api.REALM, "-q", "org=" + alias).json().size());
    }

    @Test
    void settings(Api api) throws Exception {
        login(api);
        JsonNode before = ok(api, "get", "iot-tokens/settings", "-r", Api.REALM).json();
        assertTrue(before.has("tenantBatchLimit") && before.has("clients"), before.toString());
        try {
            // update merges: it reads the document, sets the field and sends the document back
            ok(api, "update", "iot-tokens/settings", "-r", Api.REALM, "-s", "tenantBatchLimit=3");
            JsonNode after = ok(api, "get", "iot-tokens/settings", "-r", Api.REALM).json();
            assertEquals(3, after.get("tenantBatchLimit").asInt(), after.toString());
            assertEquals(before.get("purposedBootstrapWindow"), after.get("purposedBootstrapWindow"), "the rest unchanged");

            ok(api, "update", "iot-tokens/settings", "-r", Api.REALM, "--no-merge", "-s", "clients.iot-api.apiKeyGrantEnabled=true");

            Run refused = kcadm(api, "update", "iot-tokens/settings", "-r", Api.REALM, "--no-merge", "-s", "tenantLevels={\"read_write\": \"a\"}");
            assertNotEquals(0, refused.exit(), refused.toString());
            assertTrue(refused.err().contains("tenantLevels"), "kcadm shows the field: " + refused);
        } finally {
            ok(api, "update", "iot-tokens/settings", "-r", Api.REALM, "--no-merge", "-s", "tenantBatchLimit=null");
        }
        assertTrue(api.adminGet("/iot-tokens/settings").json().get("tenantBatchLimit").isNull());
    }
}
