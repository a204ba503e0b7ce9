package io.iottokens.keycloak.common;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.keycloak.util.JsonSerialization;

import com.fasterxml.jackson.databind.JsonNode;

/** For tests of representations: an object as Keycloak's {@link JsonSerialization} writes it, read back as a tree. */
public final class JsonOf {

    private JsonOf() {
    }

    public static JsonNode tree(Object o) throws IOException {
        return JsonSerialization.mapper.readTree(JsonSerialization.writeValueAsString(o));
    }

    /** The member names of an object, in the order written. */
    public static List<String> fields(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
