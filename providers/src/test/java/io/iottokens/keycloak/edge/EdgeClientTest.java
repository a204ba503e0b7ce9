package io.iottokens.keycloak.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;

import org.junit.jupiter.api.Test;

class EdgeClientTest {

    @Test
    void enabledIsTrueOrFalseAndNothingElse() {
        assertTrue(EdgeClient.parse("edge-cli", "true", null).enabled());
        assertTrue(EdgeClient.parse("edge-cli", " TRUE ", null).enabled());
        assertFalse(EdgeClient.parse("edge-cli", "false", null).enabled());
        assertFalse(EdgeClient.parse("edge-cli", null, null).enabled(), "unset: not an edge client");
        assertFalse(EdgeClient.parse("edge-cli", "  ", null).enabled());
        for (String typo : new String[] {"yes", "1", "on", "tru", "true false"}) {
            String message = assertThrows(IllegalArgumentException.class, () -> EdgeClient.parse("edge-cli", typo, null)).getMessage();
            assertTrue(message.contains(EdgeClient.ENABLED_ATTRIBUTE) && message.contains("edge-cli"), message);
        }
    }

    @Test
    void idTokenClientsDefaultToTheDeveloperConsoleAndSplitOnBlanksAndCommas() {
        assertEquals(Set.of(EdgeClient.DEFAULT_ID_TOKEN_CLIENT), EdgeClient.parse("c", "true", null).idTokenClients());
        assertEquals(Set.of(EdgeClient.DEFAULT_ID_TOKEN_CLIENT), EdgeClient.parse("c", "true", " \t").idTokenClients());
        assertEquals(Set.of("a", "b", "c"), EdgeClient.parse("c", "true", " a, b\tc ,").idTokenClients());
        assertEquals(Set.of("a"), EdgeClient.parse("c", "true", ",a,,").idTokenClients());
        String message = assertThrows(IllegalArgumentException.class, () -> EdgeClient.parse("c", "true", " , ,")).getMessage();
        assertTrue(message.contains(EdgeClient.ID_TOKEN_CLIENTS_ATTRIBUTE), message);
    }
}
