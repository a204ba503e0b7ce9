package io.iottokens.keycloak.it.support;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
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

    /** Where {@link #saveText} writes, under {@code target/}. */
    public static final String TEXT_DIR = "database-text";

    /**
     * Every value of every table of the database, one {@code schema.table.column=value} a line (binary columns as
     * their bytes), to {@code target/database-text/<database>-<label>.txt}: what {@code NoSecretsLeftBehindIT}
     * scans after the suite, when the test databases are gone.
     */
    public static Path saveText(String database, String label) throws SQLException, IOException {
        Path file = TestEnv.workDir().resolve(TEXT_DIR).resolve(database + "-" + label + ".txt");
        Files.createDirectories(file.getParent());
        try (Connection c = connect(database);
             OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = c.getMetaData().getTables(null, null, "%", new String[] {"TABLE"})) {
                while (rs.next()) {
                    tables.add('"' + rs.getString("TABLE_SCHEM") + "\".\"" + rs.getString("TABLE_NAME") + '"');
                }
            }
            for (String table : tables) {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM " + table)) {
                    ResultSetMetaData md = rs.getMetaData();
                    while (rs.next()) {
                        for (int i = 1; i <= md.getColumnCount(); i++) {
                            int type = md.getColumnType(i);
                            byte[] value = type == Types.BINARY || type == Types.VARBINARY || type == Types.LONGVARBINARY
                                    || type == Types.BLOB ? rs.getBytes(i)
                                    : rs.getString(i) == null ? null : rs.getString(i).getBytes(StandardCharsets.UTF_8);
                            if (value != null) {
                                out.write((table + "." + md.getColumnName(i) + "=").getBytes(StandardCharsets.UTF_8));
                                out.write(value);
                                out.write('\n');
                            }
                        }
                    }
                }
            }
        }
        return file;
    }

    /** Server options for a Keycloak on this database. */
    public static String[] keycloakArgs(String database) {
        return new String[] {"--db=postgres", "--db-url=" + jdbcUrl(database), "--db-username=" + user(),
                "--db-password=" + System.getProperty("iottokens.pg.password", "")};
    }
}
