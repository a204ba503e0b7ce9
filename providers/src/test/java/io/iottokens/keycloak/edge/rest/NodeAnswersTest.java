package io.iottokens.keycloak.edge.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.keycloak.util.JsonSerialization;

/** mimik's answer shapes, as Keycloak's mapper writes them. */
class NodeAnswersTest {

    @Test
    void associateAnswersTheAccountAndTheStatus() throws Exception {
        assertEquals("{\"result\":{\"accountId\":\"u-1\"},\"status\":\"successfully associated\"}",
                JsonSerialization.writeValueAsString(NodeAnswers.associated("u-1")));
    }

    @Test
    void unassociateAnswersTheStatusOnly() throws Exception {
        assertEquals("{\"status\":\"successfully unassociated\"}", JsonSerialization.writeValueAsString(NodeAnswers.unassociated()));
    }
}
