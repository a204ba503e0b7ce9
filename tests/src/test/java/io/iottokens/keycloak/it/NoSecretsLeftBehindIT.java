package io.iottokens.keycloak.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.iottokens.keycloak.it.support.HandledSecrets;
import io.iottokens.keycloak.it.support.HandledSecrets.Kind;
import io.iottokens.keycloak.it.support.HandledSecrets.Secret;
import io.iottokens.keycloak.it.support.KeycloakExtension;
import io.iottokens.keycloak.it.support.Postgres;
import io.iottokens.keycloak.it.support.RawHttp;
import io.iottokens.keycloak.it.support.SecretScanner;
import io.iottokens.keycloak.it.support.SecretScanner.Finding;
import io.iottokens.keycloak.it.support.TestEnv;

/**
 * After the whole suite, the server logs and the databases hold no API secret, no full token and no password
 * the suite handled. Runs after every other integration test of the JVM ({@code @Order(Integer.MAX_VALUE)},
 * classes without an order come first: see {@code junit-platform.properties}) and stops nothing.
 *
 * <p>The secrets are those {@link HandledSecrets} recorded as the tests went; they are searched for in every
 * file written during this run: the servers' logs ({@code target/*.log}), the shared server's H2 files
 * ({@code target/keycloak-it-db/}), the text of the PostgreSQL tests' databases ({@code target/database-text/},
 * saved before they are dropped) and the rest of each server's {@code data/} directory.
 *
 * <p>Client secrets are looked for in logs and other files, not in databases: Keycloak keeps a confidential
 * client's secret in plain text in its {@code CLIENT} table by design (it shows it back in the admin console);
 * in the PostgreSQL text only that column may hold one.
 */
@Order(Integer.MAX_VALUE)
class NoSecretsLeftBehindIT {

    /** What was scanned: a label for the counts and the files. */
    private record Target(String what, List<Path> files) {
    }

    @Test
    void noSecretTheSuiteHandledIsInAServerLogOrDatabase() throws Exception {
        List<Secret> secrets = HandledSecrets.all();
        assumeFalse(secrets.isEmpty(), "no other integration test ran in this JVM: nothing to look for");
        Path work = TestEnv.workDir();
        long since = ManagementFactory.getRuntimeMXBean().getStartTime() - 2_000;

        List<Path> logs = writtenSince(since, filesIn(work, 1, ".log"));
        Path sharedLog = work.resolve(KeycloakExtension.LOG);
        List<Path> h2 = logs.contains(sharedLog) ? filesIn(work.resolve(KeycloakExtension.DATABASE), Integer.MAX_VALUE, "") : List.of();
        if (logs.contains(sharedLog)) {
            assertTrue(h2.stream().anyMatch(p -> p.toString().endsWith(".mv.db")),
                    "the shared server ran, so its H2 database file is under " + work.resolve(KeycloakExtension.DATABASE) + ": " + h2);
            Thread.sleep(1_500); // H2 writes its changes to the file within a second
        }
        List<Path> pgText = writtenSince(since, filesIn(work.resolve(Postgres.TEXT_DIR), 1, ".txt"));
        List<Path> serverData = new ArrayList<>();
        for (Path home : keycloakHomes(work)) {
            filesIn(home.resolve("data"), Integer.MAX_VALUE, "").stream()
                    .filter(p -> !p.startsWith(home.resolve("data/import"))) // the realm files given to the server
                    .forEach(serverData::add);
        }
        serverData = writtenSince(since, serverData);

        SecretScanner scanner = new SecretScanner(secrets);
        List<Finding> found = new ArrayList<>();
        for (Path f : logs) {
            found.addAll(scanner.scan(f));
        }
        for (Path f : serverData) {
            found.addAll(scanner.scan(f));
        }
        int clientSecretsInDatabases = 0;
        for (Path f : Stream.concat(h2.stream(), pgText.stream()).toList()) {
            for (Finding x : scanner.scan(f)) {
                // H2's file format does not show the table; the PostgreSQL text does
                boolean keptByKeycloak = x.secret().kind() == Kind.CLIENT_SECRET && (h2.contains(f) || inClientSecretColumn(x));
                if (keptByKeycloak) {
                    clientSecretsInDatabases++;
                } else {
                    found.add(x);
                }
            }
        }

        Map<Kind, Long> byKind = new EnumMap<>(Kind.class);
        secrets.forEach(s -> byKind.merge(s.kind(), 1L, Long::sum));
        int databases = (h2.isEmpty() ? 0 : 1) + pgText.size();
        System.out.printf(Locale.ROOT, "NoSecretsLeftBehindIT: %,d secrets (%s) checked against %d logs (%s), %d databases (%s) and %d other server files (%s): %d found%n",
                secrets.size(),
                byKind.entrySet().stream().map(e -> String.format(Locale.ROOT, "%,d %s", e.getValue(), e.getKey().plural)).collect(Collectors.joining(", ")),
                logs.size(), size(logs), databases, size(Stream.concat(h2.stream(), pgText.stream()).toList()),
                serverData.size(), size(serverData), found.size());
        System.out.println("  logs: " + names(work, logs));
        System.out.println("  databases: " + names(work, h2) + " " + names(work, pgText) + "; client secrets in them (Keycloak's CLIENT table): "
                + clientSecretsInDatabases);

        assertTrue(found.isEmpty(), () -> found.size() + " secrets found where none may be (the first 40, each with its"
                + " surroundings, the secret itself masked):\n" + found.stream().limit(40).map(Finding::toString).collect(Collectors.joining("\n")));
    }

    /** The self-test: the scanner does find what it looks for, in every encoding it claims, and nothing else. */
    @Test
    void theScannerFindsAPlantedSecret(@TempDir Path dir) throws IOException {
        String jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJwbGFudGVkIn0.c2lnbmF0dXJlLW9mLWEtcGxhbnRlZC10b2tlbi0xMjM0NTY3ODkw";
        Secret apiSecret = new Secret(Kind.API_SECRET, "iots_planted-0123456789abcdef", "api_secret in a request");
        Secret token = new Secret(Kind.TOKEN, jwt.substring(jwt.lastIndexOf('.') + 1), "access_token in a response");
        Secret password = new Secret(Kind.PASSWORD, "pl@nted pass/word", "password in a request");
        SecretScanner scanner = new SecretScanner(List.of(apiSecret, token, password));

        Path log = dir.resolve("server.log");
        Files.writeString(log, "INFO nothing here\nWARN [org.keycloak.events] type=\"LOGIN_ERROR\" token=\"" + jwt
                + "\" secret=" + apiSecret.value() + "\nDEBUG body: grant_type=password&password=pl%40nted+pass%2Fword\n",
                StandardCharsets.UTF_8);
        Path db = dir.resolve("keycloakdb.mv.db");
        byte[] utf16 = ("\u0000\u0001row " + apiSecret.value() + " end").getBytes(StandardCharsets.UTF_16LE);
        byte[] utf16be = password.value().getBytes(StandardCharsets.UTF_16BE);
        Files.write(db, RawHttp.concat(new byte[] {0, 1, 2, (byte) 0xff}, utf16, new byte[] {7}, utf16be, new byte[] {0}));
        Path clean = dir.resolve("clean.log");
        Files.writeString(clean, "iots_planted-0123456789abcdeX c2lnbmF0dXJlLW9mLWEtcGxhbnRl pl@nted pass", StandardCharsets.UTF_8);

        List<Finding> inLog = scanner.scan(log);
        assertEquals(List.of("TOKEN UTF-8", "API_SECRET UTF-8", "PASSWORD URL-encoded"),
                inLog.stream().map(f -> f.secret().kind() + " " + f.encoding()).toList());
        List<Finding> inDb = scanner.scan(db);
        assertEquals(List.of("API_SECRET UTF-16", "PASSWORD UTF-16"),
                inDb.stream().map(f -> f.secret().kind() + " " + f.encoding()).toList());
        assertEquals(List.of(), scanner.scan(clean), "near misses are not findings");

        // what a report shows: where and around what, never the secret
        for (Finding f : Stream.concat(inLog.stream(), inDb.stream()).toList()) {
            assertFalse(f.toString().contains(apiSecret.value()) || f.toString().contains(token.value())
                    || f.toString().contains("pl%40nted") || f.toString().contains(password.value()), f.toString());
        }
        assertTrue(inLog.get(1).context().contains("secret=<API_SECRET>"), inLog.get(1).context());
        assertTrue(inLog.get(0).context().contains("token=\"eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJwbGFudGVkIn0.<TOKEN>\""), inLog.get(0).context());
        assertTrue(inDb.get(0).context().contains("row <API_SECRET> end"), inDb.get(0).context());
    }

    private static boolean inClientSecretColumn(Finding f) {
        if (f.secret().kind() != Kind.CLIENT_SECRET) {
            return false;
        }
        try {
            byte[] data = Files.readAllBytes(f.file());
            int start = (int) f.offset();
            while (start > 0 && data[start - 1] != '\n') {
                start--;
            }
            String prefix = new String(data, start, (int) f.offset() - start, StandardCharsets.UTF_8);
            return prefix.equals("\"public\".\"client\".secret=");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> keycloakHomes(Path work) throws IOException {
        List<Path> homes = new ArrayList<>();
        for (Path dir : filesOrDirs(work)) {
            if (Files.isRegularFile(dir.resolve("bin/kc.sh"))) {
                homes.add(dir);
            }
            for (Path sub : Files.isDirectory(dir) ? filesOrDirs(dir) : List.<Path>of()) {
                if (Files.isRegularFile(sub.resolve("bin/kc.sh"))) {
                    homes.add(sub);
                }
            }
        }
        return homes;
    }

    private static List<Path> filesOrDirs(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).sorted().toList();
        }
    }

    private static List<Path> filesIn(Path dir, int depth, String suffix) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir, depth)) {
            return s.filter(Files::isRegularFile).filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        }
    }

    private static List<Path> writtenSince(long millis, List<Path> files) throws IOException {
        List<Path> recent = new ArrayList<>();
        for (Path f : files) {
            if (Files.getLastModifiedTime(f).toMillis() >= millis) {
                recent.add(f);
            }
        }
        return recent;
    }

    private static String size(List<Path> files) throws IOException {
        long bytes = 0;
        for (Path f : files) {
            bytes += Files.size(f);
        }
        return bytes >= 1 << 20 ? String.format(Locale.ROOT, "%.1f MB", bytes / 1048576.0)
                : String.format(Locale.ROOT, "%d kB", (bytes + 1023) / 1024);
    }

    private static String names(Path work, List<Path> files) {
        return files.stream().map(f -> work.relativize(f).toString()).collect(Collectors.joining(", ", "[", "]"));
    }

}
