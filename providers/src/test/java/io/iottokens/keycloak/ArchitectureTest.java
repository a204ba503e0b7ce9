package io.iottokens.keycloak;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * The package rules of the README's "Architecture" section, checked on the compiled classes: features depend on
 * {@code common}, never the other way; no cycles between features; a feature's domain never reaches into its own
 * REST edge; services speak no HTTP (they throw {@link io.iottokens.keycloak.common.PackException}).
 */
class ArchitectureTest {

    private static final String ROOT = "io.iottokens.keycloak";
    private static final String[] FEATURES = {"apikey", "device", "edge", "purposed", "tenant"};

    private static JavaClasses classes;

    @BeforeAll
    static void read() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages(ROOT);
    }

    @Test
    void commonImportsNoFeature() {
        String[] features = new String[FEATURES.length];
        for (int i = 0; i < FEATURES.length; i++) {
            features[i] = ROOT + "." + FEATURES[i] + "..";
        }
        noClasses().that().resideInAPackage(ROOT + ".common..").should().dependOnClassesThat().resideInAnyPackage(features)
                .check(classes);
    }

    @Test
    void featuresFormNoCycle() {
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(classes);
    }

    /** The one-way dependencies between features that the README names: edge and purposed build on device. */
    @Test
    void featuresDependOnlyOnTheFeaturesTheReadmeNames() {
        Map<String, Set<String>> allowed = Map.of("apikey", Set.of(), "device", Set.of(), "edge", Set.of("device"),
                "purposed", Set.of("device"), "tenant", Set.of(), "docs", Set.of());
        allowed.forEach((feature, may) -> {
            String[] others = Stream.concat(Arrays.stream(FEATURES), Stream.of("docs"))
                    .filter(other -> !other.equals(feature) && !may.contains(other))
                    .map(other -> ROOT + "." + other + "..").toArray(String[]::new);
            noClasses().that().resideInAPackage(ROOT + "." + feature + "..").should().dependOnClassesThat().resideInAnyPackage(others)
                    .check(classes);
        });
    }

    @Test
    void aFeatureDoesNotReachIntoItsRestEdge() {
        for (String feature : FEATURES) {
            String base = ROOT + "." + feature;
            noClasses().that().resideInAPackage(base).or().resideInAPackage(base + ".jpa..")
                    .should().dependOnClassesThat().resideInAPackage(base + ".rest..")
                    .because("the REST edge depends on the feature, not the other way")
                    .check(classes);
        }
    }

    @Test
    void servicesSpeakNoHttp() {
        noClasses().that().haveSimpleNameEndingWith("Service")
                .should().dependOnClassesThat().resideInAPackage("jakarta.ws.rs..")
                .orShould().dependOnClassesThat().areAssignableTo(jakarta.ws.rs.WebApplicationException.class)
                .because("services throw PackException; RestEdge and TokenEdge turn it into the answer of their protocol")
                .check(classes);
    }
}
