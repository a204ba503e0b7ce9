package io.iottokens.keycloak.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.iottokens.keycloak.it.support.Api;
import io.iottokens.keycloak.it.support.Fixtures;
import io.iottokens.keycloak.it.support.Jwts;
import io.iottokens.keycloak.it.support.KeycloakExtension;
import io.iottokens.keycloak.it.support.KeycloakServer;
import io.iottokens.keycloak.it.support.TestEnv;

/**
 * {@code realm-config/demo/demo-tenants.sh} and {@code demo-devices.sh}, which run-keycloak.sh runs once
 * Keycloak answers: run against the test server (realm and demo users imported as in development), twice,
 * then used as the README shows.
 */
@ExtendWith(KeycloakExtension.class)
class DemoDataIT {

    private record Run(int exit, String output) {
    }

    private static Run script(Api api, String adminPassword) throws Exception {
        return script(api, "demo-tenants.sh", adminPassword, null);
    }

    private static Run script(Api api, String name, String adminPassword, Path demoDir) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("sh", TestEnv.realmDir().resolve("demo/" + name).toString()).redirectErrorStream(true);
        if (demoDir != null) {
            pb.environment().put("DEMO_DIR", demoDir.toString());
        }
        pb.environment().put("KC_URL", api.server().baseUrl());
        pb.environment().put("KC_ADMIN", KeycloakServer.ADMIN_USER);
        pb.environment().put("KC_ADMIN_PASSWORD", adminPassword);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the script ends: " + out);
        return new Run(p.exitValue(), out);
    }

    /** The master realm's admin theme as the admin REST API shows it ("" when unset). */
    private static String masterAdminTheme(Api api) {
        Api.Resp r = api.get(api.server().baseUrl() + "/admin/realms/master", api.adminToken());
        assertEquals(200, r.status(), r.toString());
        return r.json().path("adminTheme").asText("");
    }

    private static void setMasterAdminTheme(Api api, String theme) {
        Api.Resp r = api.sendJson("PUT", api.server().baseUrl() + "/admin/realms/master", java.util.Map.of("adminTheme", theme), api.adminToken());
        assertEquals(204, r.status(), r.toString());
    }

    @Test
    void theAdminConsoleThemeScriptSetsTheMasterRealmOnceAndLeavesAnOperatorsChoice(Api api) throws Exception {
        String before = masterAdminTheme(api);
        try {
            setMasterAdminTheme(api, "keycloak.v2");
            Run kept = script(api, "admin-console-theme.sh", api.server().adminPassword(), null);
            assertEquals(0, kept.exit(), kept.output());
            assertTrue(kept.output().contains("left as it is"), kept.output());
            assertEquals("keycloak.v2", masterAdminTheme(api), "an operator's other theme stays");

            setMasterAdminTheme(api, "");
            Run set = script(api, "admin-console-theme.sh", api.server().adminPassword(), null);
            assertEquals(0, set.exit(), set.output());
            assertEquals("iot-tokens", masterAdminTheme(api));
            Run again = script(api, "admin-console-theme.sh", api.server().adminPassword(), null);
            assertEquals(0, again.exit(), again.output());
            assertEquals("iot-tokens", masterAdminTheme(api));

            Run wrong = script(api, "admin-console-theme.sh", "not-the-admin-password", null);
            assertNotEquals(0, wrong.exit(), "a wrong admin password fails the script: " + wrong.output());
        } finally {
            setMasterAdminTheme(api, before);
        }
    }

    @Test
    void theDemoScriptSetsUpTwoTenantsForTheExampleApplicationAndCanRunAgain(Api api) throws Exception {
        Run wrong = script(api, "not-the-admin-password");
        assertNotEquals(0, wrong.exit(), "a refused admin sign-in stops the script: " + wrong.output());

        for (int run = 1; run <= 2; run++) {
            Run r = script(api, api.server().adminPassword());
            assertEquals(0, r.exit(), "run " + run + ": " + r.output());
            assertTrue(r.output().contains("grant acme -> tenant-app-example: read-write"), r.output());
            assertTrue(r.output().contains("grant globex -> tenant-app-example: limited"), r.output());
        }

        // the README's walk-through: the example application lists both tenants and gets a token for each
        String appToken = Fixtures.clientToken(api, "tenant-app-example", Fixtures.clientSecret(api, "tenant-app-example"));
        String base = api.server().realmUrl(Api.REALM) + "/tenant-delegation";
        Map<String, String> levels = new HashMap<>();
        for (JsonNode t : api.get(base + "/authorized-tenants?max=100", appToken).json()) {
            levels.put(t.get("alias").asText(), t.get("accessLevel").asText());
        }
        assertEquals("read-write", levels.get("acme"), levels.toString());
        assertEquals("limited", levels.get("globex"), levels.toString());
        Api.Resp batch = api.postJson(base + "/tokens", Map.of("tenants", List.of("acme", "globex")), appToken);
        assertEquals(200, batch.status(), batch.toString());
        assertEquals("acme", Jwts.verify(api, batch.json().get("tokens").get(0).get("access_token").asText()).getStringClaim("ten"));
        assertEquals("globex", Jwts.verify(api, batch.json().get("tokens").get(1).get("access_token").asText()).getStringClaim("ten"));

        // olga administers both tenants
        JsonNode acme = api.adminGet("/organizations?search=acme&exact=true").json().get(0);
        JsonNode members = api.adminGet("/organizations/" + acme.get("id").asText() + "/members").json();
        assertEquals("olga", members.get(0).get("username").asText(), members.toString());
    }

    @Test
    void theDemoDeviceRegistersItsKeyAndIsBootstrappedForOlga(Api api, @TempDir Path dir) throws Exception {
        for (int run = 1; run <= 2; run++) {
            Run r = script(api, "demo-devices.sh", api.server().adminPassword(), dir);
            assertEquals(0, r.exit(), "run " + run + ": " + r.output());
            assertTrue(r.output().contains("device demo-sensor-1 bootstrapped: owner olga, group demo-things"), r.output());
        }
        // another key for the same device (its private key lost): refused, with what to do
        Run otherKey = script(api, "demo-devices.sh", api.server().adminPassword(), dir.resolve("elsewhere"));
        assertNotEquals(0, otherKey.exit(), otherKey.output());
        assertTrue(otherKey.output().contains("demo-sensor-1 already has another key"), otherKey.output());

        Path key = dir.resolve("demo-sensor-1.pem");
        assertTrue(Files.isRegularFile(key), "the device's private key is kept for later requests");
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(key), "readable by its owner only");

        JsonNode device = api.adminGet("/devices/demo-sensor-1").json();
        String olga = api.adminGet("/users?username=olga&exact=true").json().get(0).get("id").asText();
        assertEquals(olga, device.get("ownerId").asText(), device.toString());
        String group = api.adminGet("/groups?search=demo-things&exact=true").json().get(0).get("id").asText();
        assertEquals(group, device.get("groups").get(0).asText(), device.toString());
        assertTrue(device.hasNonNull("keyThumbprint"), device.toString());
        // olga sees it as her device, with the tokens the bootstrap issued to it
        String olgaToken = api.userToken("olga", "olga-demo-password");
        JsonNode mine = api.get(api.server().realmUrl(Api.REALM) + "/devices", olgaToken).json();
        assertEquals("demo-sensor-1", mine.get(0).get("id").asText(), mine.toString());
        JsonNode purposed = api.get(api.server().realmUrl(Api.REALM) + "/purposed-tokens?max=100", olgaToken).json();
        assertTrue(purposed.size() >= 4, "bootstrap token and the device's three tokens, per run: " + purposed);
    }
}
