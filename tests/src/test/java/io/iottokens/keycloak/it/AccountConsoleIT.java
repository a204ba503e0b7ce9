package io.iottokens.keycloak.it;

import static io.iottokens.keycloak.it.support.Browser.testId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import io.iottokens.keycloak.it.support.Revocations;

/**
 * The account console of the realm (theme {@code iot-tokens}: Keycloak's own console rebuilt with the pack's
 * pages) in headless Chromium, as an end user uses it: every IoT page reached from the navigation, each action
 * checked against the server through the pack's API (the key's grant refused while suspended, the purposed token
 * inactive once deleted, the node unassociated, the tenant grant gone), a refused form answered at its field, and a
 * stock page still working. Screenshots of every page: {@code target/screenshots/account-*.png}.
 */
@ExtendWith(KeycloakExtension.class)
class AccountConsoleIT {

    private static String account(Api api, String page) {
        return api.server().realmUrl(Api.REALM) + "/account/" + page;
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

    private static int grant(Api api, String key, String secret) {
        return api.apiKeyGrant("iot-api", key, secret, null).status();
    }

    @Test
    void aUserManagesApiKeysInTheAccountConsoleAndTheGrantFollows(Api api) {
        User u = Fixtures.user(api, "console");
        try (Browser b = Browser.open()) {
            b.go(account(api, "iot/api-keys")).login(u.name(), u.password());
            b.waitFor(testId("api-keys"));
            b.screenshot("account-api-keys-empty");

            // a refused form is answered at its field, and nothing is created
            b.click(testId("create-key")).type(testId("memo"), "sensor writer");
            b.driver().findElement(By.cssSelector("[data-testid='duration'] option[value='custom']")).click();
            b.type(testId("duration-custom"), "ten days");
            b.click(testId("create-key-submit"));
            assertTrue(b.waitFor(testId("error-duration")).getText().contains("duration"), "the duration's error at its field");
            b.screenshot("account-api-key-field-error");
            assertEquals(0, api.get(api.apiKeysUrl(), u.token()).json().size(), "a refused create makes no key");

            b.type(testId("duration-custom"), "P10D");
            b.click(testId("create-key-submit"));
            String key = b.waitFor(By.cssSelector("[data-testid='new-key'] input")).getAttribute("value");
            String secret = b.waitFor(By.cssSelector("[data-testid='new-secret'] input")).getAttribute("value");
            assertTrue(key.startsWith("iotk_") && secret.startsWith("iots_"), key);
            b.screenshot("account-api-key-secret-once");
            b.click(testId("close-secret"));
            b.waitGone(testId("new-secret"));
            assertTrue(b.driver().getPageSource().indexOf(secret) < 0, "the secret is gone from the page once the dialog is closed");

            String rowId = "key-" + key;
            assertEquals("active", row(b, rowId).findElement(testId("key-status")).getText());
            assertEquals(200, grant(api, key, secret), "the new key signs in with the secret read once in the page");

            confirmIn(b, rowId, "suspend");
            b.waitForText(By.cssSelector("[data-testid='" + rowId + "'] [data-testid='key-status']"), "suspended");
            assertNotEquals(200, grant(api, key, secret), "a key suspended in the page is refused");
            b.screenshot("account-api-key-suspended");

            confirmIn(b, rowId, "resume");
            b.waitForText(By.cssSelector("[data-testid='" + rowId + "'] [data-testid='key-status']"), "active");
            assertEquals(200, grant(api, key, secret), "resumed in the page: the key signs in again");

            // rotate without grace: the new secret is shown once, the old one stops at once
            confirmIn(b, rowId, "rotate");
            String rotated = b.waitFor(By.cssSelector("[data-testid='new-secret'] input")).getAttribute("value");
            assertNotEquals(secret, rotated);
            b.click(testId("close-secret"));
            b.waitGone(testId("new-secret"));
            assertNotEquals(200, grant(api, key, secret), "the old secret is refused after a rotation without grace");
            assertEquals(200, grant(api, key, rotated), "the rotated secret read once in the page signs in");
            secret = rotated;

            confirmIn(b, rowId, "revoke");
            b.waitForText(By.cssSelector("[data-testid='" + rowId + "'] [data-testid='key-status']"), "revoked");
            assertNotEquals(200, grant(api, key, secret), "a key revoked in the page is refused");
            b.screenshot("account-api-keys");
        }
    }

    @Test
    void aUserCreatesAndDeletesAPurposedTokenAndSeesFieldErrors(Api api) {
        User u = Fixtures.user(api, "console");
        try (Browser b = Browser.open()) {
            b.go(account(api, "iot/purposed-tokens")).login(u.name(), u.password());
            b.waitFor(testId("purposed-tokens"));

            b.click(testId("create-purposed")).type(testId("purpose"), "abc");
            b.click(By.cssSelector("[data-testid='scope-upp:verify']"));
            b.click(testId("create-purposed-submit"));
            assertTrue(b.waitFor(testId("error-purpose")).getText().contains("purpose"), "the purpose's error at its field");
            b.screenshot("account-purposed-field-error");
            assertEquals(0, api.get(api.server().realmUrl(Api.REALM) + "/purposed-tokens", u.token()).json().size());

            b.type(testId("purpose"), "Console concert check");
            b.click(testId("create-purposed-submit"));
            String token = b.waitFor(By.cssSelector("[data-testid='new-purposed-token'] input")).getAttribute("value");
            assertTrue(Revocations.introspect(api, token, "purposed_token").get("active").asBoolean(), "the token from the page is active");
            b.screenshot("account-purposed-token-once");
            b.click(testId("close-secret"));

            JsonNode listed = api.get(api.server().realmUrl(Api.REALM) + "/purposed-tokens", u.token()).json();
            assertEquals(1, listed.size());
            String id = listed.get(0).get("id").asText();
            assertEquals("Console concert check", row(b, "purposed-" + id).findElement(By.tagName("td")).getText());
            b.screenshot("account-purposed-tokens");

            confirmIn(b, "purposed-" + id, "delete");
            b.waitGone(testId("purposed-" + id));
            assertFalse(Revocations.introspect(api, token, "purposed_token").get("active").asBoolean(), "deleted in the page: inactive");
        }
    }

    @Test
    void aUserSeesAndUnassociatesAnEdgeNode(Api api) {
        User u = Fixtures.user(api, "console");
        String node = Edge.ownedNode(api, u.name(), u.password());
        String deviceUrl = api.server().realmUrl(Api.REALM) + "/devices/" + node;
        assertTrue(api.get(deviceUrl, u.token()).json().hasNonNull("associatedAt"));
        try (Browser b = Browser.open()) {
            b.go(account(api, "iot/devices")).login(u.name(), u.password());
            assertTrue(b.waitForText(By.cssSelector("[data-testid='device-" + node + "'] [data-testid='association']"), "associated")
                    .startsWith("associated"));
            b.screenshot("account-devices");

            // an unassociated node has no owner any more: it leaves the user's list and the user's API
            confirmIn(b, "device-" + node, "unassociate");
            b.waitGone(testId("device-" + node));
            assertEquals(404, api.get(deviceUrl, u.token()).status(), "unassociated in the page");
            b.screenshot("account-device-unassociated");
        }
    }

    @Test
    void aTenantAdminGrantsAndRevokesAnApplication(Api api) {
        User admin = Fixtures.user(api, "tenantadmin", "tenant-admin");
        Fixtures.Org org = Fixtures.org(api);
        assertEquals(201, api.adminPost("/organizations/" + org.id() + "/members", "\"" + admin.id() + "\"").status());
        Fixtures.App app = Fixtures.app(api);
        String grantsUrl = api.server().realmUrl(Api.REALM) + "/tenant-delegation/tenants/" + org.alias() + "/grants";
        try (Browser b = Browser.open()) {
            b.go(account(api, "iot/tenant-grants")).login(admin.name(), admin.password());
            WebElement section = b.waitFor(testId("tenant-" + org.alias()));
            b.type(By.cssSelector("[data-testid='tenant-" + org.alias() + "'] [data-testid='grant-client']"), app.clientId());
            b.click(section, testId("grant-submit"));
            String rowId = "grant-" + org.alias() + "-" + app.clientId();
            b.waitFor(testId(rowId));
            JsonNode grant = api.get(grantsUrl + "/" + app.clientId(), admin.token()).json();
            assertEquals("limited", grant.get("accessLevel").asText(), "granted in the page at the default level");
            b.screenshot("account-tenant-grants");

            confirmIn(b, rowId, "revoke");
            b.waitGone(testId(rowId));
            assertEquals(404, api.get(grantsUrl + "/" + app.clientId(), admin.token()).status(), "revoked in the page");
        }
    }

    /**
     * What the realm gives the account console's client: a tenant admin's token carries {@code tenant-admin} (the
     * tenant API reads roles from the token), and nothing more: Keycloak's admin API and the pack's admin API refuse it.
     */
    @Test
    void theAccountConsoleTokenCarriesTenantAdminAndNoAdminRights(Api api) throws Exception {
        User admin = Fixtures.user(api, "tenantadmin", "tenant-admin");
        String redirect = api.server().realmUrl(Api.REALM) + "/account/";
        Api.Resp r = api.codeFlow("account-console", redirect, admin.name(), admin.password(), "openid");
        assertEquals(200, r.status(), r.toString());
        String token = r.json().get("access_token").asText();
        JsonNode claims = Api.JSON.readTree(java.util.Base64.getUrlDecoder().decode(token.split("\\.")[1]));
        assertTrue(claims.path("realm_access").path("roles").toString().contains("tenant-admin"), claims.toString());
        for (String path : new String[] {"/users", "/organizations", "/tenant-grants", "/api-keys", "/iot-tokens/settings"}) {
            assertEquals(403, api.get(api.server().adminUrl(Api.REALM) + path, token).status(), path);
        }
    }

    @Test
    void theStockPagesStillWork(Api api) {
        User u = Fixtures.user(api, "console");
        try (Browser b = Browser.open()) {
            b.go(account(api, "")).login(u.name(), u.password());
            assertEquals(u.name(), b.waitFor(By.id("username")).getAttribute("value"), "Personal info shows the user");
            b.screenshot("account-personal-info");
            b.go(account(api, "account-security/device-activity"));
            b.waitFor(By.xpath("//*[contains(text(), 'Device activity')]"));
            b.screenshot("account-device-activity");
            // the navigation holds the stock groups and the IoT group with its four pages
            for (String page : new String[] {"iot/api-keys", "iot/purposed-tokens", "iot/devices", "iot/tenant-grants"}) {
                assertFalse(b.driver().findElements(By.cssSelector("a[href$='/account/" + page + "']")).isEmpty(), page + " in the navigation");
            }
        }
    }
}
