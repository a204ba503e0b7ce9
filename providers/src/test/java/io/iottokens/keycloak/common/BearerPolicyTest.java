package io.iottokens.keycloak.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The pure part of {@link BearerPolicy}: what each endpoint accepts and where its path lies. (The origins of a bearer
 * call are Keycloak's {@code Cors} with the request's session, in {@link RestCors}: nothing there runs without a server;
 * BearerPolicyIT and the CORS checks of the integration tests cover them.)
 */
class BearerPolicyTest {

    private static final Pattern PACK_PATH = Pattern.compile("^/realms/\\{realm}/([a-z-]+)(/|\\s|$)");

    @ParameterizedTest
    @EnumSource(BearerPolicy.class)
    void everyPolicyLiesUnderAPackResource(BearerPolicy policy) {
        // atPackEndpoint lets the pack's grant types through only under PACK_RESOURCES: a policy elsewhere would never see them
        Matcher m = PACK_PATH.matcher(policy.path());
        assertTrue(m.find(), policy + ": " + policy.path());
        assertTrue(BearerPolicy.PACK_RESOURCES.contains(m.group(1)), policy + " lies under " + m.group(1));
    }

    @Test
    void everyPackResourceHasAPolicy() {
        Set<String> covered = Arrays.stream(BearerPolicy.values()).map(p -> {
            Matcher m = PACK_PATH.matcher(p.path());
            return m.find() ? m.group(1) : "";
        }).collect(Collectors.toSet());
        assertEquals(BearerPolicy.PACK_RESOURCES, covered);
    }

    @ParameterizedTest
    @EnumSource(BearerPolicy.class)
    void everyEndpointTakesExactlyOneKind(BearerPolicy policy) {
        Set<TokenKind> accepted = EnumSet.noneOf(TokenKind.class);
        for (TokenKind k : TokenKind.values()) {
            if (policy.accepts(k)) {
                accepted.add(k);
            }
        }
        assertEquals(1, accepted.size(), policy + " takes " + accepted);
    }

    @ParameterizedTest
    @EnumSource(value = TokenKind.class, names = {"API_KEY", "TENANT", "EXCHANGED"})
    void credentialsForResourceServersAreNoBearerAtThePack(TokenKind kind) {
        // README "Bearer policy": a key cannot mint keys, purposed tokens or tenants; a tenant token never mints another
        for (BearerPolicy p : BearerPolicy.values()) {
            assertFalse(p.accepts(kind), p + " must not take " + kind);
        }
    }

    @Test
    void anEdgeTokenIsTakenOnlyForItsOwnNode() {
        Set<BearerPolicy> edge = Arrays.stream(BearerPolicy.values()).filter(p -> p.accepts(TokenKind.EDGE)).collect(Collectors.toSet());
        assertEquals(Set.of(BearerPolicy.EDGE_ACCOUNT), edge);
    }
}
