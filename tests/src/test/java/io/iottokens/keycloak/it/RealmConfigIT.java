package io.iottokens.keycloak.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;

import io.iottokens.keycloak.it.support.Api;
import io.iottokens.keycloak.it.support.Jwts;
import io.iottokens.keycloak.it.support.KeycloakExtension;
import io.iottokens.keycloak.it.support.TestEnv;

/** The {@code iot} realm of {@code realm-config/} as the running server imported it. */
@ExtendWith(KeycloakExtension.class)
class RealmConfigIT {

    @Test
    void jwksPublishesAnEs256AndAnRs256SigningKey(Api api) {
        JWKSet jwks = Jwts.realmJwks(api, Api.REALM);
        Set<String> sigAlgs = new HashSet<>();
        for (JWK k : jwks.getKeys()) {
            if (k.getKeyUse() == null || "sig".equals(k.getKeyUse().identifier())) {
                sigAlgs.add(String.valueOf(k.getAlgorithm()));
            }
            assertFalse(k.isPrivate(), "the JWKS must hold public keys only: " + k.getKeyID());
        }
        assertTrue(sigAlgs.contains("ES256"), "ES256 signing key in " + sigAlgs);
        assertTrue(sigAlgs.contains("RS256"), "RS256 signing key in " + sigAlgs);
        JWK ec = jwks.getKeys().stream().filter(k -> "ES256".equals(String.valueOf(k.getAlgorithm()))).findFirst().orElseThrow();
        assertEquals("P-256", ec.toECKey().getCurve().getName());
    }

    @Test
    void realmHasRolesOrganizationsBruteForceAndEvents(Api api) {
        JsonNode realm = api.adminGet("").json();
        assertTrue(realm.get("organizationsEnabled").asBoolean(), "Organizations on");
        assertTrue(realm.get("bruteForceProtected").asBoolean(), "brute-force detection on");
        assertEquals(5, realm.get("failureFactor").asInt());
        assertFalse(realm.get("permanentLockout").asBoolean(), "temporary lockout, so an attacker cannot lock a user out for good");
        assertTrue(realm.get("eventsEnabled").asBoolean());
        assertTrue(realm.get("adminEventsEnabled").asBoolean());
        assertEquals(300, realm.get("accessTokenLifespan").asInt());
        assertEquals("iot-tokens", realm.get("loginTheme").asText());

        for (String role : new String[] {"user", "admin", "owner", "tenant-admin"}) {
            assertEquals(200, api.adminGet("/roles/" + role).status(), "realm role " + role);
        }
        JsonNode defaults = api.adminGet("/roles/default-roles-iot/composites/realm").json();
        assertTrue(names(defaults).contains("user"), "new users get the role user: " + defaults);
    }

    @Test
    void clientsAndScopesOfTheDesignExist(Api api) {
        for (String clientId : new String[] {"iot-console", "iot-api", "iot-platform", "developer-console", "edge-cli", "tenant-app-example"}) {
            JsonNode found = api.adminGet("/clients?clientId=" + clientId).json();
            assertEquals(1, found.size(), "client " + clientId);
        }
        JsonNode scopes = api.adminGet("/client-scopes").json();
        Set<String> names = names(scopes);
        for (String s : new String[] {"upp:anchor", "upp:verify", "thing:create", "thing:getinfo", "thing:storedata",
                "thing:bootstrap", "user:getinfo", "edge:mcm", "edge:clusters", "edge:account:associate",
                "edge:account:unassociate", "edge:read:accountkey",
                // Keycloak's own scopes are still there beside the pack's:
                "profile", "email", "roles", "basic", "web-origins", "acr", "offline_access", "organization"}) {
            assertTrue(names.contains(s), "client scope " + s + " in " + names);
        }
        JsonNode app = api.adminGet("/clients?clientId=tenant-app-example").json().get(0);
        assertFalse(app.get("publicClient").asBoolean());
        assertTrue(app.get("serviceAccountsEnabled").asBoolean());
        JsonNode secret = api.adminGet("/clients/" + app.get("id").asText() + "/client-secret").json();
        assertTrue(secret.get("value").asText().length() >= 32, "a secret is generated on import");
    }

    @Test
    void productionRealmFileHoldsNoUsersAndNoSecrets() throws Exception {
        JsonNode realm = Api.JSON.readTree(Files.readString(TestEnv.realmFile()));
        assertEquals("iot", realm.get("realm").asText());
        assertTrue(realm.path("users").isMissingNode() || realm.get("users").isEmpty(), "users live in realm-config/demo/");
        for (JsonNode client : realm.get("clients")) {
            assertTrue(client.path("secret").isMissingNode(), "no client secret in the file: " + client.get("clientId"));
        }
        for (JsonNode key : realm.at("/components/org.keycloak.keys.KeyProvider")) {
            assertTrue(key.at("/config/privateKey").isMissingNode() && key.at("/config/secret").isMissingNode()
                    && key.at("/config/ecdsaPrivateKey").isMissingNode(), "keys are generated on import: " + key.get("name"));
        }
        JsonNode demo = Api.JSON.readTree(Files.readString(TestEnv.demoFiles().get(0)));
        assertEquals("iot", demo.get("realm").asText());
        assertTrue(demo.get("users").size() >= 2);
    }

    @Test
    void loginPageUsesThePackTheme(Api api) {
        Api.Resp page = api.loginPage("iot-console", "http://localhost:3000/cb");
        assertEquals(200, page.status());
        assertTrue(page.body().contains("css/iot-tokens.css"), "theme stylesheet linked");
        assertTrue(page.body().contains("Sign in to your IoT account"), "theme message used");
        String css = page.body().replaceAll("(?s).*href=\"([^\"]*css/iot-tokens\\.css)\".*", "$1");
        Api.Resp sheet = api.get(api.server().baseUrl() + css, null);
        assertEquals(200, sheet.status(), "stylesheet served from the theme JAR: " + css);
        assertTrue(sheet.body().contains("--iot-tokens-accent"));
    }

    private static Set<String> names(JsonNode array) {
        Set<String> names = new HashSet<>();
        StreamSupport.stream(array.spliterator(), false).forEach(n -> names.add(n.get("name").asText()));
        assertNotNull(names);
        return names;
    }
}
