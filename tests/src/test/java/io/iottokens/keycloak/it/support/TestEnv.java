package io.iottokens.keycloak.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Paths handed to the integration tests by failsafe (see tests/pom.xml). */
public final class TestEnv {

    private TestEnv() {
    }

    private static Path path(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            throw new IllegalStateException("System property " + property + " is not set: run the integration tests through Maven (mvn verify)");
        }
        return Path.of(value).toAbsolutePath().normalize();
    }

    /** The unpacked official distribution. */
    public static Path keycloakHome() {
        return path("keycloak.home");
    }

    /** {@code target/} of the tests module. */
    public static Path workDir() {
        return path("iottokens.work.dir");
    }

    /** {@code realm-config/} at the top of the repository. */
    public static Path realmDir() {
        return path("iottokens.realm.dir");
    }

    /** The production realm file. */
    public static Path realmFile() {
        return realmDir().resolve("iot-realm.json");
    }

    /** The demo data that goes beside it in development and tests. */
    public static List<Path> demoFiles() {
        return jsonIn(realmDir().resolve("demo"));
    }

    /** The built JARs of the pack. */
    public static List<Path> packJars() {
        Path dir = path("iottokens.pack.dir");
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> jars = s.filter(p -> p.toString().endsWith(".jar")).sorted().collect(Collectors.toList());
            if (jars.isEmpty()) {
                throw new IllegalStateException("No pack JARs in " + dir);
            }
            return jars;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> jsonIn(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".json")).sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
