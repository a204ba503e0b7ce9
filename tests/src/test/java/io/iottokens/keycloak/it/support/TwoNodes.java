package io.iottokens.keycloak.it.support;

import java.nio.file.Path;
import java.util.UUID;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Two Keycloak nodes in one cluster (Infinispan over TCP, discovery through PostgreSQL, one public hostname as
 * behind a load balancer), on a database of their own that is dropped after the test class: a JUnit extension,
 * {@code @RegisterExtension static final TwoNodes cluster = new TwoNodes("prefix");}. A test method's {@link Api}
 * parameters are clients of the nodes, the first of node 1, the second of node 2 (the nodes are checked to have
 * formed one cluster first).
 */
public final class TwoNodes implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

    private final String databasePrefix;
    private String database;
    private KeycloakServer node1;
    private KeycloakServer node2;
    private String admin;
    private int port1;

    public TwoNodes(String databasePrefix) {
        this.databasePrefix = databasePrefix;
    }

    public KeycloakServer node1() {
        return node1;
    }

    public KeycloakServer node2() {
        return node2;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        database = Postgres.createDatabase(databasePrefix);
        admin = UUID.randomUUID().toString();
        port1 = KeycloakServer.freePort();
        node1 = start(database, "keycloak-node1", port1, port1, admin);
        node2 = start(database, "keycloak-node2", KeycloakServer.freePort(), port1, admin);
    }

    private static KeycloakServer start(String database, String name, int port, int publicPort, String adminPassword) throws Exception {
        Path home = KeycloakServer.copyOfDistribution(TestEnv.keycloakHome(), TestEnv.workDir().resolve(name));
        KeycloakServer.Options o = KeycloakExtension.packOptions(home, TestEnv.workDir().resolve(name + ".log"))
                .port(port)
                .adminPassword(adminPassword)
                .startTimeout(java.time.Duration.ofSeconds(600)) // a cluster start also waits on discovery; slow on a busy machine
                .arg("--cache=ispn")
                .arg("--cache-embedded-network-bind-address=127.0.0.1")
                .arg("--cache-embedded-network-bind-port=" + KeycloakServer.freePort())
                .arg("--hostname=http://127.0.0.1:" + publicPort);
        for (String a : Postgres.keycloakArgs(database)) {
            o.arg(a);
        }
        return KeycloakServer.start(o);
    }

    /** kill -9 of node 2, then node 2 started again on its port (same home, database and cluster); returns how long the start took, in seconds. */
    public double killAndRestartNode2(Runnable whileDown) throws Exception {
        node2.kill();
        whileDown.run();
        long start = System.nanoTime();
        node2 = start(database, "keycloak-node2", node2.port(), port1, admin);
        return (System.nanoTime() - start) / 1e9;
    }

    @Override
    public boolean supportsParameter(ParameterContext pc, ExtensionContext ec) {
        return pc.getParameter().getType() == Api.class;
    }

    /** The first Api parameter is a client of node 1, the next one of node 2. */
    @Override
    public Object resolveParameter(ParameterContext pc, ExtensionContext ec) {
        try {
            org.junit.jupiter.api.Assertions.assertTrue(formedOneCluster(), "the two nodes formed one cluster");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        long before = java.util.Arrays.stream(pc.getDeclaringExecutable().getParameters()).limit(pc.getIndex())
                .filter(p -> p.getType() == Api.class).count();
        return new Api(before == 0 ? node1 : node2);
    }

    /** Whether node 2 saw a cluster view of two members. */
    public boolean formedOneCluster() throws java.io.IOException {
        return java.util.regex.Pattern.compile("ISPN000094: Received new cluster view.*\\(2\\) \\[")
                .matcher(java.nio.file.Files.readString(node2.logFile())).find();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (database == null) {
            return;
        }
        try {
            if (node2 != null) {
                node2.close();
            }
            if (node1 != null) {
                node1.close();
            }
        } finally {
            try {
                Postgres.saveText(database, "end"); // for NoSecretsLeftBehindIT
            } finally {
                Postgres.dropDatabase(database);
            }
        }
    }
}
