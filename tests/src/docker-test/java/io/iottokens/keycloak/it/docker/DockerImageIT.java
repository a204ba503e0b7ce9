package io.iottokens.keycloak.it.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.utility.MountableFile;

import dasniko.testcontainers.keycloak.KeycloakContainer;
import io.iottokens.keycloak.it.support.Api;
import io.iottokens.keycloak.it.support.TestEnv;

/**
 * The image of {@code docker/Dockerfile}, built from the pack's JARs and started by testcontainers-keycloak.
 * Only in the {@code docker} profile, and skipped with a message where no Docker engine is reachable.
 */
class DockerImageIT {

    @Test
    void imageFromDockerDirectoryServesTheIotRealmWithThePack() {
        assumeTrue(DockerClientFactory.instance().isDockerAvailable(),
                "No Docker engine reachable: DockerImageIT skipped (the default suite runs the distribution directly)");
        Path root = TestEnv.realmDir().getParent();
        Path pack = TestEnv.packJars().get(0).getParent();
        String image = new ImageFromDockerfile("keycloak-iot-tokens-it", true)
                .withFileFromPath("docker/Dockerfile", root.resolve("docker/Dockerfile"))
                .withFileFromPath("providers/target/keycloak-iot-tokens-providers-it.jar", pack.resolve("keycloak-iot-tokens-providers.jar"))
                .withFileFromPath("themes/target/keycloak-iot-tokens-themes-it.jar", pack.resolve("keycloak-iot-tokens-themes.jar"))
                .withFileFromPath("realm-config/iot-realm.json", TestEnv.realmFile())
                .withDockerfilePath("docker/Dockerfile")
                .get();
        try (KeycloakContainer kc = new KeycloakContainer(image)) {
            for (Path demo : TestEnv.demoFiles()) {
                kc.withCopyFileToContainer(MountableFile.forHostPath(demo), "/opt/keycloak/data/import/" + demo.getFileName());
            }
            kc.start();
            Api api = Api.raw();
            String jwks = api.get(kc.getAuthServerUrl() + "/realms/iot/protocol/openid-connect/certs", null).body();
            assertTrue(jwks.contains("\"ES256\""), jwks);
            Api.Resp login = api.postForm(kc.getAuthServerUrl() + "/realms/iot/protocol/openid-connect/token",
                    java.util.Map.of("grant_type", "password", "client_id", "iot-api",
                            "username", "alice", "password", "alice-demo-password"), null);
            assertEquals(200, login.status(), login.toString());
        }
    }
}
