package io.iottokens.keycloak.it;

import static io.iottokens.keycloak.it.support.Errors.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import io.iottokens.keycloak.device.TestDeviceKeys;
import io.iottokens.keycloak.it.support.Api;
import io.iottokens.keycloak.it.support.Devices;
import io.iottokens.keycloak.it.support.Fixtures;
import io.iottokens.keycloak.it.support.KeycloakExtension;

/** ubirch's bootstrap (README "Bootstrap of devices"): a device trades a bootstrap token for its three tokens, signed with its key. */
@ExtendWith(KeycloakExtension.class)
class BootstrapIT {

    private record Setup(String ownerId, String ownerToken, String groupId, String bootstrapId, String bootstrapToken) {
    }

    private static Setup setup(Api api, List<String> scopes) {
        Fixtures.User owner = Fixtures.user(api, "tenant", "user");
        String groupId = Fixtures.group(api, "kitchen");
        Fixtures.joinGroup(api, owner.id(), groupId);
        Map<String, Object> body = Fixtures.purposedClaim("Kitchen_Carlos", List.of(), List.of(groupId), scopes, 86400);
        body.put("tenantId", owner.id());
        JsonNode created = Fixtures.createdPurposed(api, body, owner.token());
        return new Setup(owner.id(), owner.token(), groupId, created.get("id").asText(), created.get("token").asText());
    }

    private static String request(String token, String identity, long timestamp) {
        return Devices.bootstrapBody(token, identity, timestamp);
    }

    private static Api.Resp post(Api api, String body, String header, String signature) {
        return Devices.bootstrap(api, body, header, signature);
    }

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }

    private static void assertUntouched(Api api, String device) {
        JsonNode d = api.adminGet("/devices/" + device).json();
        assertFalse(d.hasNonNull("ownerId"), "no owner after a refusal: " + d);
        assertEquals(0, d.path("groups").size(), "no groups after a refusal: " + d);
    }

    /** Token, key and signature problems all get the same answer: an unauthenticated caller learns nothing from it. */
    private static void assertRefused(Api.Resp r) {
        assertTrue(assertError(r, 403, "access_denied").get("error_description").asText().startsWith("Bootstrap refused"), r.toString());
    }

    @Test
    void aDeviceBootstrapsWithBothKeyTypes(Api api) throws Exception {
        for (TestDeviceKeys key : List.of(TestDeviceKeys.ec(), TestDeviceKeys.ed25519())) {
            Setup s = setup(api, List.of("thing:bootstrap"));
            String device = Devices.registeredDevice(api, key);
            String body = request(s.bootstrapToken(), device, now());
            Api.Resp r = post(api, body, "X-Ubirch-Signature", key.sign(body, false));
            assertEquals(200, r.status(), r.toString());

            Map<String, String> expectedScope = Map.of("registration", "thing:create", "anchoring", "upp:anchor", "verification", "upp:verify");
            for (Map.Entry<String, String> e : expectedScope.entrySet()) {
                JsonNode entry = r.json().get(e.getKey());
                JWTClaimsSet c = SignedJWT.parse(entry.get("token").asText()).getJWTClaimsSet();
                assertEquals(List.of(e.getValue()), c.getStringListClaim("scp"), e.getKey());
                assertEquals(List.of(device), c.getStringListClaim("tid"), e.getKey());
                assertEquals(List.of(s.groupId()), c.getStringListClaim("tgp"), e.getKey());
                assertEquals("Kitchen_Carlos", c.getStringClaim("pur"));
                assertEquals(s.ownerId(), c.getSubject());
                assertEquals(entry.get("id").asText(), c.getJWTID());
                assertEquals(c.getJWTID(), entry.at("/jwtClaim/jwtId").asText());
            }
            JWTClaimsSet reg = SignedJWT.parse(r.json().at("/registration/token").asText()).getJWTClaimsSet();
            assertEquals(900, (reg.getExpirationTime().getTime() - reg.getIssueTime().getTime()) / 1000, "registration: 15 minutes");

            JsonNode d = api.adminGet("/devices/" + device).json();
            assertEquals(s.ownerId(), d.get("ownerId").asText(), "the bootstrap token's owner owns the device");
            assertTrue(d.get("groups").toString().contains(s.groupId()), "the device joined the token's group: " + d);
            JsonNode owned = api.get(api.server().realmUrl(Api.REALM) + "/devices/" + device, s.ownerToken()).json();
            assertEquals(device, owned.get("id").asText());

            // the issued tokens are live purposed tokens of the owner
            JsonNode listed = api.get(api.server().realmUrl(Api.REALM) + "/purposed-tokens", s.ownerToken()).json();
            assertEquals(4, listed.size(), "bootstrap token + three issued");
        }
    }

    @Test
    void everyBadBootstrapIsRefusedAndChangesNothing(Api api) throws Exception {
        Setup s = setup(api, List.of("thing:bootstrap"));
        TestDeviceKeys key = TestDeviceKeys.ec();
        String device = Devices.registeredDevice(api, key);
        TestDeviceKeys otherKey = TestDeviceKeys.ed25519();
        Devices.registeredDevice(api, otherKey);

        String body = request(s.bootstrapToken(), device, now());
        assertError(post(api, body, "X-Signature", null), 400, "invalid_request");
        assertRefused(post(api, body, "X-Signature", key.sign(body + " ", false)));
        assertRefused(post(api, body, "X-Signature", "not base64!"));
        assertRefused(post(api, body, "X-Signature", otherKey.sign(body, false)));
        String stale = request(s.bootstrapToken(), device, now() - 3600);
        assertError(post(api, stale, "X-Signature", key.sign(stale, false)), 400, "invalid_request");
        String future = request(s.bootstrapToken(), device, now() + 3600);
        assertError(post(api, future, "X-Signature", key.sign(future, false)), 400, "invalid_request");
        String garbage = request("eyJhbGciOiJFUzI1NiJ9.e30.AAAA", device, now());
        assertRefused(post(api, garbage, "X-Signature", key.sign(garbage, false)));
        String unknownDevice = request(s.bootstrapToken(), "no-such-thing", now());
        assertRefused(post(api, unknownDevice, "X-Signature", key.sign(unknownDevice, false)));
        assertError(post(api, "[1,2]", "X-Signature", key.sign("[1,2]", false)), 400, "invalid_request");
        String extra = "{\"token\":\"x\",\"identity\":\"" + device + "\",\"timestamp\":1,\"admin\":true}";
        assertError(post(api, extra, "X-Signature", key.sign(extra, false)), 400, "invalid_request");

        Setup noBootstrapScope = setup(api, List.of("upp:verify"));
        String wrongScope = request(noBootstrapScope.bootstrapToken(), device, now());
        assertRefused(post(api, wrongScope, "X-Signature", key.sign(wrongScope, false)));

        Setup deleted = setup(api, List.of("thing:bootstrap"));
        assertEquals(204, api.delete(api.server().realmUrl(Api.REALM) + "/purposed-tokens/" + deleted.bootstrapId(), deleted.ownerToken()).status());
        String revoked = request(deleted.bootstrapToken(), device, now());
        assertRefused(post(api, revoked, "X-Signature", key.sign(revoked, false)));
        assertUntouched(api, device);

        // the good request works once, and its replay is refused
        String sig = key.sign(body, false);
        assertEquals(200, post(api, body, "X-Signature", sig).status());
        assertError(post(api, body, "X-Signature", sig), 409, "conflict");

        // a device that belongs to someone else is not taken over by another tenant's bootstrap token
        Setup otherTenant = setup(api, List.of("thing:bootstrap"));
        String takeover = request(otherTenant.bootstrapToken(), device, now());
        assertError(post(api, takeover, "X-Signature", key.sign(takeover, false)), 409, "conflict");
        assertEquals(s.ownerId(), api.adminGet("/devices/" + device).json().get("ownerId").asText());
    }
}
