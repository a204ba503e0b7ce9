package io.iottokens.keycloak.it.support;

import java.nio.file.Path;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A database of its own on the machine's PostgreSQL and a private copy of the distribution, for a test class that
 * starts servers of its own on PostgreSQL: created before the class's tests, the database dropped after them (its
 * text saved first for NoSecretsLeftBehindIT when asked). A JUnit extension:
 * {@code @RegisterExtension static final OwnPostgres PG = new OwnPostgres("prefix", "keycloak-name");}.
 */
public final class OwnPostgres implements BeforeAllCallback, AfterAllCallback {

    private final String databasePrefix;
    private final String homeName;
    private boolean saveText;
    private String database;
    private Path home;

    /** {@code databasePrefix} of the database's name; the distribution is copied to {@code target/<homeName>}. */
    public OwnPostgres(String databasePrefix, String homeName) {
        this.databasePrefix = databasePrefix;
        this.homeName = homeName;
    }

    /** Saves the database's text before it is dropped, for NoSecretsLeftBehindIT. */
    public OwnPostgres savingTextForTheSecretScan() {
        this.saveText = true;
        return this;
    }

    public String database() {
        return database;
    }

    public Path home() {
        return home;
    }

    /** The pack's options ({@link KeycloakExtension#packOptions}) on this copy and this database; the log in {@code target/<logName>}. */
    public KeycloakServer.Options options(String logName) {
        return KeycloakExtension.packOptions(home, TestEnv.workDir().resolve(logName)).args(Postgres.keycloakArgs(database));
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        database = Postgres.createDatabase(databasePrefix);
        home = KeycloakServer.copyOfDistribution(TestEnv.keycloakHome(), TestEnv.workDir().resolve(homeName));
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (database == null) {
            return;
        }
        try {
            if (saveText) {
                Postgres.saveText(database, "end");
            }
        } finally {
            Postgres.dropDatabase(database);
        }
    }
}
