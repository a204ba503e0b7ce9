package io.iottokens.keycloak.it;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.iottokens.keycloak.it.support.KeycloakServer;
import io.iottokens.keycloak.it.support.TestEnv;

/**
 * The harness must not hang on a server that cannot start: a broken provider JAR or a broken realm file
 * makes {@link KeycloakServer#start} fail at once, naming the server log. Runs on its own copy of the
 * distribution, beside the shared server.
 */
class ServerStartFailsFastIT {

    private static Path home;

    @BeforeAll
    static void copyDistribution() throws Exception {
        home = KeycloakServer.copyOfDistribution(TestEnv.keycloakHome(), TestEnv.workDir().resolve("keycloak-broken"));
    }

    @Test
    void brokenRealmFileFailsFastWithTheLogPath() throws IOException {
        Path realm = TestEnv.workDir().resolve("broken-input/broken-realm.json");
        Files.createDirectories(realm.getParent());
        Files.writeString(realm, "{\"realm\": \"broken\", \"enabled\": true, \"clients\": [ {\"clientId\": ");
        Path log = TestEnv.workDir().resolve("keycloak-broken-realm.log");
        assertFailsFast(new KeycloakServer.Options().home(home).logFile(log).importFile(realm).readinessRealm("broken"), log);
    }

    @Test
    void brokenProviderJarFailsFastWithTheLogPath() throws IOException {
        Path jar = TestEnv.workDir().resolve("broken-input/broken-provider.jar");
        Files.createDirectories(jar.getParent());
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry("META-INF/services/org.keycloak.services.resource.RealmResourceProviderFactory"));
            OutputStream o = out;
            o.write("io.iottokens.does.not.Exist\n".getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        Path log = TestEnv.workDir().resolve("keycloak-broken-provider.log");
        assertFailsFast(new KeycloakServer.Options().home(home).logFile(log).provider(jar), log);
    }

    private static void assertFailsFast(KeycloakServer.Options options, Path log) {
        Instant start = Instant.now();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> {
            try (KeycloakServer s = KeycloakServer.start(options.startTimeout(Duration.ofMinutes(4)))) {
                // reaching this line means the broken input was accepted
            }
        });
        Duration took = Duration.between(start, Instant.now());
        assertTrue(e.getMessage().contains(log.toAbsolutePath().toString()), "the message names the log: " + e.getMessage());
        assertTrue(e.getMessage().startsWith("Keycloak exited with code"),
                "the harness saw the process exit instead of waiting for a timeout: " + e.getMessage());
        System.out.printf("broken input refused after %d s%n", took.toSeconds());
    }
}
