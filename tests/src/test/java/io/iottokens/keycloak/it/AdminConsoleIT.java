package io.iottokens.keycloak.it;

import static io.iottokens.keycloak.it.support.Browser.testId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import com.fasterxml.jackson.databind.JsonNode;

import io.iottokens.keycloak.it.support.Api;
import io.iottokens.keycloak.it.support.Browser;
import io.iottokens.keycloak.it.support.Edge;
import io.iottokens.keycloak.it.support.Fixtures;
import io.iottokens.keycloak.it.support.Fixtures.User;
import io.iottokens.keycloak.it.support.KeycloakExtension;
import io.iottokens.keycloak.it.support.KeycloakServer;

/**
 * Keycloak's own admin console with the admin theme {@code iot-tokens} (the stock console rebuilt from
 * {@code @keycloak/keycloak-admin-ui} with a group "IoT tokens") in headless Chromium, as the master realm's
 * {@code admin} uses it for the realm {@code iot}, signed in once: a key revoked on the API-keys page is refused by
 * the grant, a tenant grant given, changed and revoked on its page exists, changes and is gone through the REST API,
 * a maximum key lifetime saved on the settings page is enforced (a refused value answered at its field), and the
 * stock pages still work. The master realm's admin theme is set for the test and restored after it. Screenshots:
 * {@code target/screenshots/admin-*.png}.
 */
@ExtendWith(KeycloakExtension.class)
class AdminConsoleIT {

    private static final String SETTINGS = "/iot-tokens/settings";

    private static String console(Api api, String route) {
        return api.server().baseUrl() + "/admin/master/console/#/" + Api.REALM + "/" + route;
    }

    /**
     * Sets the master realm's admin theme to {@code iot-tokens}, signs in as the master admin on the console, runs
     * {@code steps}, and restores the theme whatever happened.
     */
    private static void asAdmin(Api api, Consumer<Browser> steps) {
        String master = api.server().adminUrl("master");
        JsonNode before = api.get(master, api.adminToken()).json();
        String previous = before.path("adminTheme").isTextual() ? before.get("adminTheme").asText() : "";
        Api.Resp set = api.putJson(master, Map.of("adminTheme", "iot-tokens"), api.adminToken());
        assertEquals(204, set.status(), set.toString());
        try (Browser b = Browser.open()) {
            b.go(console(api, "iot/api-keys")).login(KeycloakServer.ADMIN_USER, api.server().adminPassword());
            b.waitFor(testId("nav-group-iot"));
            steps.accept(b);
        } finally {
            Api.Resp restored = api.putJson(master, Map.of("adminTheme", previous), api.adminToken());
            assertEquals(204, restored.status(), restored.toString());
        }
    }

    private static WebElement row(Browser b, String testId) {
        return b.waitFor(testId(testId));
    }

    /** Clicks the row's action button, then the confirmation dialog's button. */
    private static void confirmIn(Browser b, String rowId, String action) {
        b.click(row(b, rowId), testId(action));
        b.click(testId("confirm"));
        b.waitGone(testId("confirm"));
    }

    /** Opens an IoT page through the console's navigation (no reload: the same signed-in console). */
    private static void navigate(Browser b, String navItem, String pageTestId) {
        b.click(testId(navItem));
        b.waitFor(testId(pageTestId));
    }

    private static int rows(Browser b, String table, String rowPrefix) {
        return b.driver().findElements(By.cssSelector("[data-testid='" + table + "'] tbody tr[data-testid^='" + rowPrefix + "']")).size();
    }

    @Test
    void anAdministratorRevokesAUsersKeyAndTheGrantIsRefused(Api api) {
        User u = Fixtures.user(api, "adminui", "user");
        Fixtures.Key key = Fixtures.Key.of(Fixtures.createdApiKey(api, u.token(), Map.of("memo", "admin console")));
        // a second key of someone else, which the user filter must hide
        User other = Fixtures.user(api, "adminui", "user");
        Fixtures.createdApiKey(api, other.token(), Map.of("memo", "someone else's"));
        assertEquals(200, api.apiKeyGrant("iot-api", key.key(), key.secret(), null).status(), "the key works before");

        asAdmin(api, b -> {
            b.waitFor(testId("api-keys"));
            b.type(testId("filter-user"), u.name());
            b.click(testId("filter-apply"));
            String rowId = "key-" + key.key();
            b.until(d -> rows(b, "api-keys", "key-") == 1 && !d.findElements(testId(rowId)).isEmpty());
            assertEquals(u.name(), row(b, rowId).findElement(testId("owner")).getText(), "the owner by username");
            assertEquals("active", row(b, rowId).findElement(testId("key-status")).getText().toLowerCase());
            b.screenshot("admin-api-keys");

            confirmIn(b, rowId, "revoke");
            b.waitForText(By.cssSelector("[data-testid='" + rowId + "'] [data-testid='key-status']"), "Revoked");
            b.waitFor(testId("alert-success"));
            b.screenshot("admin-api-key-revoked");

            // by status: the revoked key is among the user's revoked keys, and not among the active ones
            b.driver().findElement(By.cssSelector("[data-testid='filter-status'] option[value='active']")).click();
            b.click(testId("filter-apply"));
            b.waitFor(testId("empty"));
            assertEquals(0, rows(b, "api-keys", "key-"));
        });
        assertEquals("revoked", api.adminGet("/api-keys/" + key.id()).json().get("status").asText());
        assertNotEquals(200, api.apiKeyGrant("iot-api", key.key(), key.secret(), null).status(), "revoked in the console: refused");
    }

    @Test
    void anAdministratorGrantsChangesAndRevokesATenantGrant(Api api) {
        Fixtures.Org org = Fixtures.org(api);
        Fixtures.App app = Fixtures.app(api, "adminui-app", Map.of());
        String grants = "/tenant-grants?org=" + org.id();
        assertEquals(0, api.adminGet(grants).json().size());

        asAdmin(api, b -> {
            navigate(b, "nav-item-iot-tenant-grants", "tenant-grants");
            b.click(testId("grant-open"));
            b.waitFor(testId("grant-dialog"));
            b.click(By.cssSelector("[data-testid='grant-org'] option[value='" + org.id() + "']"));
            b.type(testId("grant-client"), app.clientId());
            b.click(By.cssSelector("[data-testid='grant-level-select'] option[value='read-write']"));
            b.screenshot("admin-tenant-grant-dialog");
            b.click(testId("grant-submit"));
            b.waitGone(testId("grant-dialog"));
            String rowId = "grant-" + org.alias() + "-" + app.clientId();
            b.waitForText(By.cssSelector("[data-testid='" + rowId + "'] [data-testid='grant-level']"), "Read-write");

            JsonNode listed = api.adminGet(grants).json();
            assertEquals(1, listed.size(), listed.toString());
            assertEquals(app.clientId(), listed.get(0).get("clientId").asText());
            assertEquals("read-write", listed.get(0).get("accessLevel").asText());

            // change the level in the page
            b.click(row(b, rowId), testId("change-level"));
            b.click(By.cssSelector("[data-testid='change-level-select'] option[value='limited']"));
            b.click(testId("confirm"));
            b.waitGone(testId("confirm"));
            b.waitForText(By.cssSelector("[data-testid='" + rowId + "'] [data-testid='grant-level']"), "Limited");
            assertEquals("limited", api.adminGet(grants).json().get(0).get("accessLevel").asText());

            // filtered by the tenant: only its grant
            b.click(By.cssSelector("[data-testid='filter-org'] option[value='" + org.id() + "']"));
            b.until(d -> rows(b, "tenant-grants", "grant-") == 1);
            b.screenshot("admin-tenant-grants");

            confirmIn(b, rowId, "revoke");
            b.waitGone(testId(rowId));
        });
        assertEquals(0, api.adminGet(grants).json().size(), "revoked in the console: gone");
    }

    @Test
    void aMaximumKeyLifetimeSavedInTheConsoleIsEnforced(Api api) {
        User u = Fixtures.user(api, "adminui", "user");
        assertTrue(api.adminGet(SETTINGS).json().get("apiKeyMaxLifetime").isNull(), "unset before the test");
        try {
            asAdmin(api, b -> {
                navigate(b, "nav-item-iot-settings", "setting-apiKeyMaxLifetime");
                b.screenshot("admin-settings");

                // a value the feature cannot read is refused at its field, and nothing is saved
                b.type(testId("setting-apiKeyMaxLifetime"), "forever");
                b.click(testId("settings-save"));
                WebElement fieldError = b.waitFor(testId("error-apiKeyMaxLifetime"));
                assertTrue(fieldError.getText().contains("apiKeyMaxLifetime"), "the server's description at the field: " + fieldError.getText());
                b.script("arguments[0].scrollIntoView({block: 'center'})", fieldError);
                b.screenshot("admin-settings-field-error");
                assertTrue(api.adminGet(SETTINGS).json().get("apiKeyMaxLifetime").isNull(), "a refused value is not saved");

                b.type(testId("setting-apiKeyMaxLifetime"), "P1D");
                b.click(testId("settings-save"));
                b.waitFor(testId("alert-success"));
                b.waitGone(testId("error-apiKeyMaxLifetime"));
            });
            assertEquals("P1D", api.adminGet(SETTINGS).json().get("apiKeyMaxLifetime").asText());
            Api.Resp longer = api.createApiKey(u.token(), Map.of("duration", "1w"));
            assertEquals(400, longer.status(), "longer than the maximum saved in the console: " + longer);
            assertEquals(201, api.createApiKey(u.token(), Map.of("duration", "1d")).status());
        } finally {
            Map<String, Object> reset = new HashMap<>();
            reset.put("apiKeyMaxLifetime", null);
            Api.Resp r = api.adminPut(SETTINGS, reset);
            assertEquals(200, r.status(), r.toString());
        }
        assertEquals(201, api.createApiKey(u.token(), Map.of("duration", "1w")).status(), "reset: the default again");
    }

    @Test
    void theOtherIotPagesAndTheStockPagesWork(Api api) {
        User u = Fixtures.user(api, "adminui", "user");
        String node = Edge.ownedNode(api, u.name(), u.password());
        String released = Edge.ownedNode(api, u.name(), u.password());
        Api.Resp purposed = api.postJson(Fixtures.purposedUrl(api), Fixtures.purposedClaim("Admin console check", List.of("*"),
                List.of(), List.of("upp:verify"), 3600), u.token());
        assertEquals(201, purposed.status(), purposed.toString());
        String purposedId = purposed.json().get("id").asText();
        String alice = api.adminGet("/users?username=alice&exact=true").json().get(0).get("id").asText();

        asAdmin(api, b -> {
            // devices: the user's two nodes with their owner; one unassociated in the page (released: no owner, no
            // association, so it leaves the owner's list), the other forgotten, gone from the server
            navigate(b, "nav-item-iot-devices", "devices");
            b.type(testId("filter-owner"), u.name());
            b.click(testId("filter-apply"));
            b.until(d -> rows(b, "devices", "device-") == 2 && !d.findElements(testId("device-" + node)).isEmpty());
            b.waitForText(By.cssSelector("[data-testid='device-" + node + "'] [data-testid='owner']"), u.name());
            b.screenshot("admin-devices");
            confirmIn(b, "device-" + released, "unassociate");
            b.waitGone(testId("device-" + released));
            JsonNode free = api.adminGet("/devices/" + released).json();
            assertFalse(free.hasNonNull("ownerId") || free.hasNonNull("associatedAt"), "unassociated in the console: " + free);
            confirmIn(b, "device-" + node, "forget");
            b.waitGone(testId("device-" + node));
            assertEquals(404, api.adminGet("/devices/" + node).status(), "forgotten in the console: deleted");

            // purposed tokens: listed, revoked in the page, gone from the server
            navigate(b, "nav-item-iot-purposed-tokens", "purposed-tokens");
            b.type(testId("filter-user"), u.name());
            b.click(testId("filter-apply"));
            b.until(d -> rows(b, "purposed-tokens", "purposed-") == 1 && !d.findElements(testId("purposed-" + purposedId)).isEmpty());
            b.screenshot("admin-purposed-tokens");
            confirmIn(b, "purposed-" + purposedId, "revoke");
            b.waitGone(testId("purposed-" + purposedId));
            assertEquals(404, api.adminGet("/purposed-tokens/" + purposedId).status(), "revoked in the console: gone");

            // a stock page from the stock nav: the user alice's details
            b.click(testId("nav-item-users"));
            b.until(d -> d.getCurrentUrl().contains("#/" + Api.REALM + "/users"));
            b.go(console(api, "users/" + alice + "/settings"));
            b.until(d -> (Boolean) b.script("return [...document.querySelectorAll('input')].some(i => i.value === 'alice')"));
            b.screenshot("admin-stock-user");
            b.go(console(api, "realm-settings"));
            b.until(d -> (Boolean) b.script("return [...document.querySelectorAll('input')].some(i => i.value === 'iot')"));
            b.screenshot("admin-stock-realm-settings");
            // and back to an IoT page through the nav, without signing in again
            navigate(b, "nav-item-iot-api-keys", "api-keys");
        });
    }
}
