package io.iottokens.keycloak.docs;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.services.resource.RealmResourceProvider;
import org.keycloak.services.resource.RealmResourceProviderFactory;

import io.iottokens.keycloak.common.RealmResources;

/**
 * Mounts {@code /realms/{realm}/iot-tokens}: {@code openapi.yaml} and {@code openapi.json}, the pack's HTTP contract.
 * The document is read from the JAR once, at start; a JAR without it does not start.
 */
public final class OpenApiResourceProviderFactory implements RealmResourceProviderFactory {

    public static final String PROVIDER_ID = "iot-tokens";

    private OpenApiDocument document;

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public RealmResourceProvider create(KeycloakSession session) {
        return RealmResources.of(() -> new OpenApiResource(session, document));
    }

    @Override
    public void init(Config.Scope config) {
        document = OpenApiDocument.load();
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    public void close() {
    }
}
