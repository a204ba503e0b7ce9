package io.iottokens.keycloak.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

import io.iottokens.keycloak.it.support.Api;
import io.iottokens.keycloak.it.support.Fixtures;
import io.iottokens.keycloak.it.support.KeycloakExtension;
import io.iottokens.sdk.ApiKeyAuthenticator;
import io.iottokens.sdk.IotClaims;
import io.iottokens.sdk.IotTokenException.InsufficientScopeException;
import io.iottokens.sdk.IotTokenException.InvalidTokenException;
import io.iottokens.sdk.IotTokenVerifier;
import io.iottokens.sdk.TokenIntrospector;

/** The verification SDK against the tokens the real server issues today: login tokens and API-key tokens. */
@ExtendWith(KeycloakExtension.class)
class SdkIT {

    private static IotTokenVerifier verifier(Api api) {
        return IotTokenVerifier.builder(api.server().realmUrl(Api.REALM)).audience("iot-platform").build();
    }

    private static String platformSecret(Api api) {
        return api.platformSecret();
    }

    @Test
    void loginTokensVerifyWithTypedClaimsAndOneJwksFetch(Api api) {
        IotTokenVerifier v = verifier(api);
        Api.Resp r = api.passwordGrant("iot-api", "alice", "alice-demo-password", "openid");
        IotClaims c = v.decodeAndVerify(r.json().get("access_token").asText());
        assertEquals("iot-api", c.authorizedParty());
        assertTrue(c.realmRoles().contains("admin"));
        assertTrue(c.audience().contains("iot-platform"));
        assertTrue(c.apiKey().isEmpty() && c.purposed().isEmpty());
        assertTrue(c.hasScope("profile"));
        assertThrows(InsufficientScopeException.class, () -> c.requireScope("upp:anchor"));
        for (int i = 0; i < 5; i++) {
            v.decodeAndVerify(api.userToken("bob", "bob-demo-password"));
        }
        assertEquals(1, v.jwksFetches(), "the JWKS is fetched once and cached");

        assertThrows(InvalidTokenException.class, () -> v.decodeAndVerify(r.json().get("id_token").asText()), "an ID token is no access token");
        assertThrows(InvalidTokenException.class, () -> v.decodeAndVerify(r.json().get("refresh_token").asText()), "nor is a refresh token (HS512)");
        String at = r.json().get("access_token").asText();
        String[] parts = at.split("\\.");
        String forgedPayload = Base64.getUrlEncoder().withoutPadding().encodeToString(
                new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8).replace("alice", "mallory").getBytes(StandardCharsets.UTF_8));
        assertThrows(InvalidTokenException.class, () -> v.decodeAndVerify(parts[0] + "." + forgedPayload + "." + parts[2]));
        assertThrows(InvalidTokenException.class, () -> v.decodeAndVerify(api.adminToken()), "a token of another realm");
        // tokens of iot-console carry the platform audience too; a verifier for another audience refuses them
        IotTokenVerifier other = IotTokenVerifier.builder(api.server().realmUrl(Api.REALM)).audience("some-other-service").build();
        assertThrows(InvalidTokenException.class, () -> other.decodeAndVerify(at));
    }

    @Test
    void apiKeyCredentialsBecomeCachedVerifiedTokensAndStateFollowsTheKey(Api api) {
        String user = Api.unique("sdk");
        api.createUser(user, "sdk-user-password");
        JsonNode key = api.createApiKey(api.userToken(user, "sdk-user-password"), Map.of("memo", "sdk")).json();
        String k = key.get("key").asText();
        String s = key.get("secret").asText();
        String basic = "Basic " + Base64.getEncoder().encodeToString((k + ":" + s).getBytes(StandardCharsets.UTF_8));

        ApiKeyAuthenticator auth = ApiKeyAuthenticator.create(api.server().realmUrl(Api.REALM), "iot-api");
        String token = auth.accessToken(basic, null, null);
        assertEquals(token, auth.accessToken(null, k, s), "X-API-Key / X-API-Secret give the cached token");
        assertEquals(1, auth.exchanges());
        assertThrows(InvalidTokenException.class, () -> auth.accessToken(null, k, s + "x"));

        IotClaims c = verifier(api).decodeAndVerify(token);
        assertEquals(key.get("id").asText(), c.apiKey().orElseThrow().keyId());
        assertEquals(user, c.raw().getClaim("preferred_username"));

        TokenIntrospector introspector = TokenIntrospector.create(api.server().realmUrl(Api.REALM), "iot-platform", platformSecret(api),
                Duration.ZERO, Duration.ofSeconds(5));
        assertTrue(introspector.externalStateVerify(token).active());
        introspector.requireActive(token);
        assertEquals(200, api.adminPost("/api-keys/" + key.get("id").asText() + "/suspend", Map.of()).status());
        assertFalse(introspector.externalStateVerify(token).active(), "the realm reports the suspended key's token inactive");
        assertThrows(InvalidTokenException.class, () -> introspector.requireActive(token));
        verifier(api).decodeAndVerify(token); // the signature alone cannot know: that is what the state check is for
    }

    @Test
    void theFeaturesRealTokensShowInTheTypedViews(Api api) throws Exception {
        IotTokenVerifier v = verifier(api);
        String name = Api.unique("sdk");
        String userId = api.createUser(name, name + "-pw", "user");

        // edge token: node_id (no key registered, so no binding)
        String node = Api.unique("node");
        IotClaims edge = v.decodeAndVerify(io.iottokens.keycloak.it.support.Edge.edgeToken(api, name, name + "-pw", node));
        assertEquals(node, edge.edge().orElseThrow().nodeId());
        assertTrue(edge.hasScope("edge:account:associate"));
        assertTrue(edge.purposed().isEmpty() && edge.tenant().isEmpty());

        // purposed token: pur tid tgp ord scp, audience iot-platform for upp:verify
        String userToken = api.userToken(name, name + "-pw");
        Api.Resp p = api.postJson(api.server().realmUrl(Api.REALM) + "/purposed-tokens", java.util.Map.of("purpose", "SDK check", "expiration", 3600,
                "targetIdentities", java.util.List.of("*"), "originDomains", java.util.List.of("https://verify.example.com"),
                "scopes", java.util.List.of("upp:verify")), userToken);
        assertEquals(201, p.status(), p.toString());
        IotClaims purposed = v.decodeAndVerify(p.json().get("token").asText());
        // a purposed token asked for without expiration gets the realm's maximum lifetime, so the SDK (which requires
        // exp) accepts it; a token whose exp were missing would be refused (see the SDK's unit tests)
        Api.Resp forever = api.postJson(api.server().realmUrl(Api.REALM) + "/purposed-tokens", java.util.Map.of("purpose", "no expiry",
                "targetIdentities", java.util.List.of("*"), "scopes", java.util.List.of("upp:verify")), userToken);
        assertEquals(201, forever.status(), forever.toString());
        IotClaims capped = v.decodeAndVerify(forever.json().get("token").asText());
        assertTrue(capped.expiresAt() != null, "the maximum lifetime gives every purposed token an exp");
        assertEquals("SDK check", purposed.purposed().orElseThrow().purpose());
        assertTrue(purposed.targetsIdentity("any-device"), "the wildcard targets every device");
        assertTrue(purposed.originAllowed("https://verify.example.com"));
        assertFalse(purposed.originAllowed("https://evil.example.com"));
        assertEquals(userId, purposed.subject());

        // tenant token: ten, ten_id, the level's scopes
        String alias = Fixtures.org(api, Api.unique("sdk-tenant")).alias();
        Fixtures.App app = Fixtures.app(api, "sdk-app", java.util.Map.of());
        String appId = app.clientId();
        assertEquals(201, api.putJson(api.server().realmUrl(Api.REALM) + "/tenant-delegation/tenants/" + alias + "/grants/" + appId,
                java.util.Map.of("accessLevel", "data-contextualization"), api.realmManagerToken()).status());
        String appToken = Fixtures.clientToken(api, app);
        Api.Resp t = api.postJson(api.server().realmUrl(Api.REALM) + "/tenant-delegation/tokens", java.util.Map.of("tenants", java.util.List.of(alias)), appToken);
        assertEquals(200, t.status(), t.toString());
        IotClaims tenant = IotTokenVerifier.builder(api.server().realmUrl(Api.REALM)).build()
                .decodeAndVerify(t.json().at("/tokens/0/access_token").asText());
        assertTrue(tenant.tenantIs(alias));
        assertEquals(java.util.List.of("iot:dc:read", "iot:dc:write", "iot:dc:admin"), tenant.tenant().orElseThrow().scopes(),
                "the server option widens data-contextualization (see KeycloakExtension)");
        assertThrows(io.iottokens.sdk.IotTokenException.class, () -> tenant.requireTenant("someone-else"));
    }
}
