package io.iottokens.keycloak.it.support;

import java.nio.file.Path;
import java.util.UUID;

/**
 * Two Keycloak nodes in one cluster (Infinispan over TCP, discovery through PostgreSQL, one public hostname as
 * behind a load balancer), on a database of their own that is dropped on close.
 */
public final class TwoNodes implements AutoCloseable {

    public final KeycloakServer node1;
    public final KeycloakServer node2;
    private final String database;

    private TwoNodes(String database, KeycloakServer node1, KeycloakServer node2) {
        this.database = database;
        this.node1 = node1;
        this.node2 = node2;
    }

    /** Starts both nodes on a new database named after {@code databasePrefix}. */
    public static TwoNodes start(String databasePrefix) throws Exception {
        String database = Postgres.createDatabase(databasePrefix);
        String admin = UUID.randomUUID().toString();
        int port1 = KeycloakServer.freePort();
        KeycloakServer node1 = null;
        try {
            node1 = start(database, "keycloak-node1", port1, port1, admin);
            return new TwoNodes(database, node1, start(database, "keycloak-node2", KeycloakServer.freePort(), port1, admin));
        } catch (Exception | Error e) {
            if (node1 != null) {
                node1.close();
            }
            Postgres.dropDatabase(database);
            throw e;
        }
    }

    private static KeycloakServer start(String database, String name, int port, int publicPort, String adminPassword) throws Exception {
        Path home = KeycloakServer.copyOfDistribution(TestEnv.keycloakHome(), TestEnv.workDir().resolve(name));
        KeycloakServer.Options o = KeycloakExtension.packOptions(home, TestEnv.workDir().resolve(name + ".log"))
                .port(port)
                .adminPassword(adminPassword)
                .arg("--cache=ispn")
                .arg("--cache-embedded-network-bind-address=127.0.0.1")
                .arg("--cache-embedded-network-bind-port=" + KeycloakServer.freePort())
                .arg("--hostname=http://127.0.0.1:" + publicPort);
        for (String a : Postgres.keycloakArgs(database)) {
            o.arg(a);
        }
        return KeycloakServer.start(o);
    }

    /** Whether node 2 saw a cluster view of two members. */
    public boolean formedOneCluster() throws java.io.IOException {
        return java.util.regex.Pattern.compile("ISPN000094: Received new cluster view.*\\(2\\) \\[")
                .matcher(java.nio.file.Files.readString(node2.logFile())).find();
    }

    @Override
    public void close() throws Exception {
        try {
            node2.close();
            node1.close();
        } finally {
            try {
                Postgres.saveText(database, "end"); // for NoSecretsLeftBehindIT
            } finally {
                Postgres.dropDatabase(database);
            }
        }
    }
}
