package io.iottokens.keycloak.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;

import io.iottokens.keycloak.it.support.Api;
import io.iottokens.keycloak.it.support.Jwts;
import io.iottokens.keycloak.it.support.KeycloakExtension;
import io.iottokens.sdk.IotClaims;
import io.iottokens.sdk.IotTokenVerifier;

/**
 * The first pieces of ubirch's purposed tokens (README "Purposed tokens"): the {@code purposed-claims} mapper with
 * static values on a client scope, the public scope catalogue and the JWKS of the purposed-token keys.
 */
@ExtendWith(KeycloakExtension.class)
class PurposedClaimsIT {

    @Test
    void scopeCatalogueIsPublicWithTheSeedsSevenScopes(Api api) {
        Api.Resp r = api.send(HttpRequest.newBuilder(URI.create(api.server().realmUrl(Api.REALM) + "/purposed-tokens/scopes"))
                .header("Origin", "https://verify.example.test").GET());
        assertEquals(200, r.status(), r.toString());
        List<String> scopes = Api.JSON.convertValue(r.json(), Api.JSON.getTypeFactory().constructCollectionType(List.class, String.class));
        assertEquals(List.of("upp:anchor", "upp:verify", "thing:create", "thing:getinfo", "thing:storedata", "thing:bootstrap",
                "user:getinfo"), scopes);
        assertEquals("https://verify.example.test", r.header("Access-Control-Allow-Origin").orElse(""), "callable from any origin");
    }

    @Test
    void jwkPublishesTheRealmsEs256KeysOnly(Api api) throws Exception {
        Api.Resp r = api.get(api.server().realmUrl(Api.REALM) + "/purposed-tokens/jwk", null);
        assertEquals(200, r.status(), r.toString());
        JWKSet set = JWKSet.parse(r.body());
        assertFalse(set.getKeys().isEmpty());
        Set<String> realmEcKids = new HashSet<>();
        for (JWK k : Jwts.realmJwks(api, Api.REALM).getKeys()) {
            if ("ES256".equals(String.valueOf(k.getAlgorithm()))) {
                realmEcKids.add(k.getKeyID());
            }
        }
        for (JWK k : set.getKeys()) {
            assertEquals("ES256", String.valueOf(k.getAlgorithm()));
            assertEquals("P-256", k.toECKey().getCurve().getName());
            assertFalse(k.isPrivate());
            assertTrue(realmEcKids.contains(k.getKeyID()), "the same key as in the realm's certs: " + k.getKeyID());
        }
    }

    @Test
    void theMapperWithStaticValuesOnAClientScopePutsTheClaimsIntoAnOrdinaryAccessToken(Api api) throws Exception {
        String scopeName = Api.unique("concert");
        ObjectNode scope = Api.JSON.createObjectNode()
                .put("name", scopeName)
                .put("protocol", "openid-connect");
        scope.putObject("attributes").put("include.in.token.scope", "true");
        ObjectNode mapper = scope.putArray("protocolMappers").addObject()
                .put("name", "purposed claims")
                .put("protocol", "openid-connect")
                .put("protocolMapper", "purposed-claims");
        mapper.putObject("config")
                .put("purpose", "King Dude - Concert")
                .put("target.identities", "e21552f8-0353-41e3-b86e-0d3e92935d46##d7a81058-ae97-4178-80ed-71aed46e88fa")
                .put("origin.domains", "http://verification.dev.example.com")
                .put("scopes", "upp:verify##upp:anchor")
                .put("access.token.claim", "true")
                .put("introspection.token.claim", "true");
        Api.Resp created = api.adminPost("/client-scopes", scope);
        assertEquals(201, created.status(), created.toString());
        String scopeId = created.header("Location").orElseThrow().replaceAll(".*/", "");
        String clientId = api.adminGet("/clients?clientId=iot-api").json().get(0).get("id").asText();
        assertEquals(204, api.adminPut("/clients/" + clientId + "/optional-client-scopes/" + scopeId, Api.JSON.createObjectNode()).status());

        try {
            String with = api.passwordGrant("iot-api", "bob", "bob-demo-password", scopeName).json().get("access_token").asText();
            JWTClaimsSet c = Jwts.verify(api, with);
            assertEquals("King Dude - Concert", c.getStringClaim("pur"));
            assertEquals(List.of("e21552f8-0353-41e3-b86e-0d3e92935d46", "d7a81058-ae97-4178-80ed-71aed46e88fa"), c.getStringListClaim("tid"));
            assertEquals(List.of(), c.getStringListClaim("tgp"), "an empty array, not a missing claim");
            assertEquals(List.of("http://verification.dev.example.com"), c.getStringListClaim("ord"));
            assertEquals(List.of("upp:verify", "upp:anchor"), c.getStringListClaim("scp"));

            IotClaims viaSdk = IotTokenVerifier.builder(api.server().realmUrl(Api.REALM)).audience("iot-platform").build().decodeAndVerify(with);
            assertTrue(viaSdk.targetsIdentity("d7a81058-ae97-4178-80ed-71aed46e88fa"));
            assertTrue(viaSdk.originAllowed("http://verification.dev.example.com"));
            assertEquals("King Dude - Concert", viaSdk.purposed().orElseThrow().purpose());

            JsonNode introspected = api.introspect(with).json();
            assertEquals("King Dude - Concert", introspected.get("pur").asText(), "also in introspection: " + introspected);

            String without = api.passwordGrant("iot-api", "bob", "bob-demo-password", null).json().get("access_token").asText();
            assertNull(Jwts.verify(api, without).getClaim("pur"), "only tokens of that scope carry the claims");
        } finally {
            api.adminDelete("/clients/" + clientId + "/optional-client-scopes/" + scopeId);
            api.adminDelete("/client-scopes/" + scopeId);
        }
    }
}
