package io.iottokens.keycloak.it.support;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Hands every integration test the ONE Keycloak server of this test JVM: the official distribution with
 * the pack's JARs in {@code providers/} and {@code realm-config/} (realm and demo data) imported. Started
 * on first use, stopped when the test run ends (root store), its log at {@code target/keycloak-it.log}, its
 * database (H2, {@code dev-file}) under {@code target/keycloak-it-db/}, fresh on every run.
 */
public final class KeycloakExtension implements ParameterResolver {

    /** The shared server's log and database directory, under {@code target/}. */
    public static final String LOG = "keycloak-it.log";
    public static final String DATABASE = "keycloak-it-db";

    /** Per key and address: the default. Per address: raised, because the whole suite calls from 127.0.0.1. */
    public static final int KEY_ADDRESS_FAILURES = 5;
    public static final int ADDRESS_FAILURES = 200;
    private static final String PEPPER = java.util.UUID.randomUUID() + "-" + java.util.UUID.randomUUID();

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(KeycloakExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext pc, ExtensionContext ec) {
        Class<?> type = pc.getParameter().getType();
        return type == KeycloakServer.class || type == Api.class;
    }

    @Override
    public Object resolveParameter(ParameterContext pc, ExtensionContext ec) {
        Shared shared = ec.getRoot().getStore(NS).getOrComputeIfAbsent(Shared.class, k -> new Shared(), Shared.class);
        return pc.getParameter().getType() == Api.class ? shared.api : shared.server;
    }

    /**
     * A server as this pack runs in tests: the pack's JARs, realm-config/ (realm and demo data) imported,
     * the pack's server options set as an operator would set them.
     */
    /** The server-wide level map, as an operator would set it: one level widened, the others keep their defaults. */
    public static final String TENANT_LEVELS = "{\"data-contextualization\": \"iot:dc:read iot:dc:write iot:dc:admin\"}";

    public static KeycloakServer.Options packOptions(java.nio.file.Path home, java.nio.file.Path log) {
        KeycloakServer.Options o = new KeycloakServer.Options()
                .home(home)
                .logFile(log)
                .readinessRealm("iot")
                .importFile(TestEnv.realmFile())
                .arg("--spi-realm-restapi-extension--api-keys--pepper=" + PEPPER)
                .arg("--spi-realm-restapi-extension--api-keys--throttle-address-failures=" + ADDRESS_FAILURES)
                .arg("--spi-realm-restapi-extension--api-keys--throttle-key-address-failures=" + KEY_ADDRESS_FAILURES)
                .arg("--spi-realm-restapi-extension--tenant-delegation--levels=" + TENANT_LEVELS);
        TestEnv.packJars().forEach(o::provider);
        TestEnv.demoFiles().forEach(o::importFile);
        return o;
    }

    /**
     * {@link #packOptions} for a server of its own on the machine's PostgreSQL database {@code database}: a private copy
     * of the distribution in {@code target/<name>}, its log in {@code target/<name>.log}.
     */
    public static KeycloakServer.Options packOnPostgres(String name, String database) throws java.io.IOException, InterruptedException {
        java.nio.file.Path home = KeycloakServer.copyOfDistribution(TestEnv.keycloakHome(), TestEnv.workDir().resolve(name));
        return packOptions(home, TestEnv.workDir().resolve(name + ".log")).args(Postgres.keycloakArgs(database));
    }

    /** The server and a client bound to it, closed with the root context. */
    static final class Shared implements AutoCloseable {
        final KeycloakServer server;
        final Api api;

        Shared() {
            // H2 in files, not in memory, so NoSecretsLeftBehindIT can read what the server stored
            KeycloakServer.Options o = packOptions(TestEnv.keycloakHome(), TestEnv.workDir().resolve(LOG))
                    .freshFileDatabase(TestEnv.workDir().resolve(DATABASE));
            server = KeycloakServer.start(o);
            api = new Api(server);
        }

        @Override
        public void close() {
            server.close();
        }
    }
}
