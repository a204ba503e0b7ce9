package io.iottokens.keycloak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every class named in {@code META-INF/services/*} must exist, implement the service interface and be
 * instantiable by Keycloak: a dangling or mistyped entry fails the build here instead of the server start.
 */
class ServiceFilesTest {

    private static final Path SERVICES = Path.of("src/main/resources/META-INF/services");

    @TestFactory
    Stream<DynamicTest> everyServiceEntryLoads() throws IOException {
        if (!Files.isDirectory(SERVICES)) {
            return Stream.empty();
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(SERVICES)) {
            files = s.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
        }
        return files.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> check(file)));
    }

    private static void check(Path file) throws Exception {
        Class<?> spi = Class.forName(file.getFileName().toString(), false, ServiceFilesTest.class.getClassLoader());
        List<String> declared = Files.readAllLines(file).stream()
                .map(l -> l.replaceFirst("#.*", "").trim())
                .filter(l -> !l.isEmpty())
                .collect(Collectors.toList());
        assertFalse(declared.isEmpty(), file + " lists no provider");
        assertEquals(declared.size(), declared.stream().distinct().count(), file + " lists a provider twice");

        ClassLoader cl = ServiceFilesTest.class.getClassLoader();
        for (String name : declared) {
            Class<?> type = Class.forName(name, false, cl);
            assertTrue(spi.isAssignableFrom(type), name + " does not implement " + spi.getName());
            assertTrue(Modifier.isPublic(type.getModifiers()), name + " is not public");
            assertFalse(Modifier.isAbstract(type.getModifiers()) || type.isInterface(), name + " is abstract");
            assertTrue(Modifier.isPublic(type.getConstructor().getModifiers()), name + " has no public no-arg constructor");
        }
    }
}
