package io.iottokens.keycloak.it.support;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Hands every integration test the ONE Keycloak server of this test JVM: the official distribution with
 * the pack's JARs in {@code providers/} and {@code realm-config/} (realm and demo data) imported. Started
 * on first use, stopped when the test run ends (root store), its log at {@code target/keycloak-it.log}.
 */
public final class KeycloakExtension implements ParameterResolver {

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

    /** The server and a client bound to it, closed with the root context. */
    static final class Shared implements AutoCloseable {
        final KeycloakServer server;
        final Api api;

        Shared() {
            KeycloakServer.Options o = new KeycloakServer.Options()
                    .home(TestEnv.keycloakHome())
                    .logFile(TestEnv.workDir().resolve("keycloak-it.log"))
                    .readinessRealm("iot")
                    .importFile(TestEnv.realmFile());
            TestEnv.packJars().forEach(o::provider);
            TestEnv.demoFiles().forEach(o::importFile);
            server = KeycloakServer.start(o);
            api = new Api(server);
        }

        @Override
        public void close() {
            server.close();
        }
    }
}
