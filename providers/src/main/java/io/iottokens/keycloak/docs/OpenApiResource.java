package io.iottokens.keycloak.docs;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.keycloak.models.KeycloakSession;
import org.keycloak.services.cors.Cors;

/**
 * {@code /realms/{realm}/iot-tokens}: the pack's OpenAPI document, public (it holds no secrets), from any origin,
 * cacheable for a few minutes. {@code servers} names the server as the request reached it.
 */
public final class OpenApiResource {

    public static final String YAML = "application/yaml";

    private final KeycloakSession session;
    private final OpenApiDocument document;

    OpenApiResource(KeycloakSession session, OpenApiDocument document) {
        this.session = session;
        this.document = document;
    }

    @GET
    @Path("openapi.yaml")
    @Produces(YAML)
    public Response yaml() {
        return answer(document.yaml(serverUrl()), YAML);
    }

    @GET
    @Path("openapi.json")
    @Produces(MediaType.APPLICATION_JSON)
    public Response json() {
        return answer(document.json(serverUrl()), MediaType.APPLICATION_JSON);
    }

    private String serverUrl() {
        return OpenApiDocument.serverUrl(session.getContext().getUri().getBaseUri().toString());
    }

    private static Response answer(String body, String type) {
        CacheControl cc = new CacheControl();
        cc.setMaxAge(300);
        // the servers entry comes from the request's Host (unless the hostname is fixed): a shared cache must key on it
        return Cors.builder().allowAllOrigins().add(Response.ok(body, type + ";charset=utf-8").cacheControl(cc)
                .header(HttpHeaders.VARY, HttpHeaders.HOST));
    }
}
