package io.iottokens.keycloak.docs;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * The pack's HTTP contract, {@code docs/openapi.yaml} of the repository, as the build copies it into the JAR
 * ({@value #RESOURCE}): read once, served as YAML and as JSON with the first entry of {@code servers} naming the server
 * the request reached. Everything else of the document is served as it is in the repository.
 */
public final class OpenApiDocument {

    /** Where the build puts the document in the providers JAR (see providers/pom.xml). */
    public static final String RESOURCE = "META-INF/iottokens/openapi.yaml";

    /** The first {@code - url:} line of the top-level {@code servers} list (the document keeps it on one line). */
    private static final Pattern FIRST_SERVER_URL = Pattern.compile("(?m)^servers:[ \\t]*\\r?\\n(?:[ \\t]*#.*\\r?\\n)*([ \\t]+- url:)[ \\t]*(.*)$");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String yaml;
    private final JsonNode tree;

    OpenApiDocument(String yaml) {
        this.yaml = yaml;
        try {
            this.tree = new YAMLMapper().readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("The OpenAPI document is not valid YAML", e);
        }
        if (!(tree instanceof ObjectNode) || !FIRST_SERVER_URL.matcher(yaml).find()) {
            throw new IllegalStateException("The OpenAPI document needs a top-level 'servers' list whose first entry starts with '- url:'");
        }
    }

    /** The document of the JAR; fails when the build left it out. */
    public static OpenApiDocument load() {
        try (InputStream in = OpenApiDocument.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the providers JAR");
            }
            return new OpenApiDocument(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The YAML text, the first server's URL replaced by {@code serverUrl} (written as a quoted scalar). */
    public String yaml(String serverUrl) {
        Matcher m = FIRST_SERVER_URL.matcher(yaml);
        if (!m.find()) {
            return yaml; // checked in the constructor
        }
        return yaml.substring(0, m.start(2)) + quoted(serverUrl) + yaml.substring(m.end(2));
    }

    /** The same document as JSON, the first server's URL replaced by {@code serverUrl}. */
    public String json(String serverUrl) {
        ObjectNode copy = tree.deepCopy();
        JsonNode servers = copy.get("servers");
        if (servers instanceof ArrayNode list && !list.isEmpty() && list.get(0) instanceof ObjectNode first) {
            first.put("url", serverUrl);
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(copy);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A YAML double-quoted scalar: JSON string syntax is valid YAML 1.2 (and what YAML 1.1 parsers read alike). */
    static String quoted(String value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A request's base URI ({@code http://host:port/} or with a context path) as an OpenAPI server URL, without the trailing slash. */
    static String serverUrl(String baseUri) {
        return baseUri.endsWith("/") ? baseUri.substring(0, baseUri.length() - 1) : baseUri;
    }
}
