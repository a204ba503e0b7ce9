package io.iottokens.keycloak.it.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * The machine's PostgreSQL (127.0.0.1:5432, user postgres, trust auth; override with -Diottokens.pg.*):
 * each test makes its own database and drops it afterwards.
 */
public final class Postgres {

    private Postgres() {
    }

    public static String host() {
        return System.getProperty("iottokens.pg.host", "127.0.0.1");
    }

    public static String port() {
        return System.getProperty("iottokens.pg.port", "5432");
    }

    public static String user() {
        return System.getProperty("iottokens.pg.user", "postgres");
    }

    public static String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host() + ":" + port() + "/" + database;
    }

    public static Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), user(), System.getProperty("iottokens.pg.password", ""));
    }

    /** A new empty database named {@code prefix_<random>}. */
    public static String createDatabase(String prefix) throws SQLException {
        String name = (prefix + "_" + UUID.randomUUID().toString().substring(0, 8)).toLowerCase(Locale.ROOT).replace('-', '_');
        try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return name;
    }

    public static void dropDatabase(String name) {
        try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException e) {
            System.err.println("could not drop test database " + name + ": " + e.getMessage());
        }
    }

    /** Server options for a Keycloak on this database. */
    public static String[] keycloakArgs(String database) {
        return new String[] {"--db=postgres", "--db-url=" + jdbcUrl(database), "--db-username=" + user(),
                "--db-password=" + System.getProperty("iottokens.pg.password", "")};
    }
}
