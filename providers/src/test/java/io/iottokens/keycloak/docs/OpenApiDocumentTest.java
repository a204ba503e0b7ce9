package io.iottokens.keycloak.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

class OpenApiDocumentTest {

    private static final String SMALL = """
            openapi: 3.1.0
            info:
              title: t
              version: '1'
            servers:
              # the served copy names its server
              - url: http://localhost:8080
                description: the server
            paths: {}
            """;

    @Test
    void theFirstServerUrlIsReplacedInYamlAndJson() throws Exception {
        OpenApiDocument d = new OpenApiDocument(SMALL);
        String yaml = d.yaml("https://id.example.com/auth");
        JsonNode y = new YAMLMapper().readTree(yaml);
        assertEquals("https://id.example.com/auth", y.at("/servers/0/url").asText());
        assertEquals("the server", y.at("/servers/0/description").asText());
        assertEquals(SMALL.replace("http://localhost:8080", "\"https://id.example.com/auth\""), yaml, "nothing else changes");

        JsonNode j = new ObjectMapper().readTree(d.json("https://id.example.com/auth"));
        assertEquals("https://id.example.com/auth", j.at("/servers/0/url").asText());
        assertEquals(new YAMLMapper().readTree(SMALL).at("/info"), j.at("/info"));
    }

    @Test
    void aUrlThatLooksLikeYamlStaysAString() throws Exception {
        String odd = "http://h:1/a#b: \"c\" \\ 'd'";
        JsonNode y = new YAMLMapper().readTree(new OpenApiDocument(SMALL).yaml(odd));
        assertEquals(odd, y.at("/servers/0/url").asText());
    }

    @Test
    void serverUrlDropsTheTrailingSlash() {
        assertEquals("http://127.0.0.1:8080", OpenApiDocument.serverUrl("http://127.0.0.1:8080/"));
        assertEquals("https://h/auth", OpenApiDocument.serverUrl("https://h/auth/"));
        assertEquals("https://h/auth", OpenApiDocument.serverUrl("https://h/auth"));
    }

    @Test
    void aDocumentWithoutServersIsRefused() {
        assertThrows(IllegalStateException.class, () -> new OpenApiDocument("openapi: 3.1.0\npaths: {}\n"));
        assertThrows(IllegalStateException.class, () -> new OpenApiDocument("openapi: [\n"));
    }

    /** The build copies docs/openapi.yaml into the JAR unchanged; it loads and its servers entry can be replaced. */
    @Test
    void theRepositoryDocumentIsInTheJar() throws Exception {
        String repository = Files.readString(Path.of("../docs/openapi.yaml"), StandardCharsets.UTF_8);
        try (var in = getClass().getClassLoader().getResourceAsStream(OpenApiDocument.RESOURCE)) {
            assertEquals(repository, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        OpenApiDocument d = OpenApiDocument.load();
        JsonNode y = new YAMLMapper().readTree(d.yaml("http://127.0.0.1:1"));
        assertEquals("3.1.0", y.get("openapi").asText());
        assertEquals("http://127.0.0.1:1", y.at("/servers/0/url").asText());
        assertTrue(y.at("/paths").size() > 0);
        assertEquals(y, new ObjectMapper().readTree(d.json("http://127.0.0.1:1")), "YAML and JSON are the same document");
    }
}
