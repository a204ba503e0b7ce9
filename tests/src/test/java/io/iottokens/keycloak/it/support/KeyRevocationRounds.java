package io.iottokens.keycloak.it.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Rounds of a key change racing the key's use: one suspend, revoke, delete or rotation of a key on node {@code a}
 * released together with grants and refreshes of the key's earlier refresh token on both nodes (at least 32
 * requests at once). Once the change has answered, nothing that any of them obtained works on either node: no
 * access token introspects active or opens userinfo, no refresh token refreshes, and the key's secret is refused;
 * after a suspend, resuming the key brings none of it back. The same rounds run on one node ({@code a == b}) and on a
 * two-node cluster.
 */
public final class KeyRevocationRounds {

    /** The change that races the use. */
    public enum Change { SUSPEND, REVOKE, DELETE, ROTATE }

    /** Grants and refreshes released with the change, on the two nodes alternately. */
    public static final int USES = 32;

    private static final AtomicInteger NEXT_ADDRESS = new AtomicInteger();

    private final Api a;
    private final Api b;
    private final String platformSecret;

    public KeyRevocationRounds(Api a, Api b) {
        this.a = a;
        this.b = b;
        this.platformSecret = a.platformSecret();
    }

    private record Tokens(String access, String refresh) {
    }

    /** Runs {@code rounds} rounds of {@code change}; every assertion names the round. */
    public void run(Change change, int rounds) throws Exception {
        String password = "rounds-password";
        String name = Api.unique("race");
        a.createUser(name, password);
        String owner = a.userToken(name, password);
        for (int round = 0; round < rounds; round++) {
            String where = change + " round " + round;
            Api.Resp created = a.createApiKey(owner, Map.of("memo", "race"));
            assertEquals(201, created.status(), created.toString());
            String id = created.json().get("id").asText();
            String key = created.json().get("key").asText();
            String secret = created.json().get("secret").asText();
            String url = a.apiKeysUrl() + "/" + id;
            Api.Resp first = grant(a, key, secret);
            assertEquals(200, first.status(), where + ": the key works before the race: " + first);
            Tokens before = tokens(first);
            assertTrue(active(a, before.access()) && active(b, before.access()), where + ": its token is active on both nodes before");

            List<Callable<Object>> tasks = new ArrayList<>();
            for (int i = 0; i < USES; i++) {
                Api node = i % 2 == 0 ? a : b;
                tasks.add(i % 4 < 2 ? () -> grant(node, key, secret) : () -> node.refresh("iot-api", before.refresh()));
            }
            tasks.add(() -> switch (change) {
                case SUSPEND -> a.postJson(url + "/suspend", Map.of(), owner);
                case REVOKE -> a.postJson(url + "/revoke", Map.of(), owner);
                case DELETE -> a.delete(url, owner);
                case ROTATE -> a.postJson(url + "/rotate", Map.of("graceSeconds", 0), owner);
            });
            Collections.shuffle(tasks);
            List<Tokens> obtained = new ArrayList<>(List.of(before));
            String rotated = null;
            for (Object o : Race.all(tasks)) {
                Api.Resp r = (Api.Resp) o;
                if (r.status() == 200 && r.json().hasNonNull("access_token")) {
                    obtained.add(tokens(r));
                } else if (r.status() == 200 && r.json().hasNonNull("secret")) {
                    rotated = r.json().get("secret").asText();
                } else if (r.status() >= 300) {
                    assertEquals(400, r.status(), where + ": a refused use is a 400, never a 5xx: " + r);
                    assertEquals("invalid_grant", r.json().path("error").asText(), where + ": " + r);
                } else {
                    assertTrue(r.status() == 200 || r.status() == 204, where + ": the change answers: " + r);
                }
            }
            assertTrue(change != Change.ROTATE || rotated != null, where + ": the rotation answered a secret");
            assertDead(obtained, where + " (" + obtained.size() + " token sets)");
            assertEquals(400, grant(a, key, secret).status(), where + ": the old secret is refused on node a");
            assertEquals(400, grant(b, key, secret).status(), where + ": the old secret is refused on node b");
            if (change == Change.SUSPEND) {
                assertEquals(200, a.postJson(url + "/resume", Map.of(), owner).status(), where + ": resume");
                assertDead(obtained, where + ", after the key was resumed");
                Api.Resp again = grant(b, key, secret);
                assertEquals(200, again.status(), where + ": the resumed key gives new tokens: " + again);
                assertTrue(active(a, again.json().get("access_token").asText()), where + ": and they are active");
            } else if (change == Change.ROTATE) {
                Api.Resp again = grant(b, key, rotated);
                assertEquals(200, again.status(), where + ": the new secret works: " + again);
                assertTrue(active(a, again.json().get("access_token").asText()), where + ": and its tokens are active");
            }
            if (change == Change.REVOKE) {
                assertEquals("revoked", a.get(url, owner).json().get("status").asText(), where + ": an answered revoke ends revoked");
            } else if (change == Change.DELETE) {
                assertEquals(404, b.get(url.replace(a.server().baseUrl(), b.server().baseUrl()), owner).status(), where + ": the key is gone");
            }
        }
    }

    private void assertDead(List<Tokens> obtained, String where) {
        for (Tokens t : obtained) {
            for (Api node : List.of(a, b)) {
                Api.Resp info = node.get(node.server().realmUrl(Api.REALM) + "/protocol/openid-connect/userinfo", t.access());
                assertNotEquals(200, info.status(), where + ": userinfo refuses an access token obtained before the change answered");
                assertFalse(active(node, t.access()), where + ": no access token obtained before the change answered is active");
                if (t.refresh() != null) {
                    Api.Resp r = node.refresh("iot-api", t.refresh());
                    assertEquals(400, r.status(), where + ": no refresh token obtained before the change answered refreshes: " + r);
                }
            }
        }
    }

    private static Tokens tokens(Api.Resp r) {
        JsonNode j = r.json();
        return new Tokens(j.get("access_token").asText(), j.hasNonNull("refresh_token") ? j.get("refresh_token").asText() : null);
    }

    /** The key grant from an address of its own, so the throttle's per-address counters never decide a round. */
    private static Api.Resp grant(Api node, String key, String secret) {
        int n = NEXT_ADDRESS.getAndIncrement();
        String address = "127.1." + (n / 250) % 250 + "." + (2 + n % 250);
        return RawHttp.postForm(address, node.tokenUrl(Api.REALM), Map.of("grant_type", Api.API_KEY_GRANT,
                "client_id", "iot-api", "api_key", key, "api_secret", secret));
    }

    private boolean active(Api node, String accessToken) {
        Api.Resp r = node.postForm(node.tokenUrl(Api.REALM) + "/introspect", Map.of("client_id", "iot-platform",
                "client_secret", platformSecret, "token", accessToken), null);
        assertEquals(200, r.status(), r.toString());
        return r.json().get("active").asBoolean();
    }
}
