package io.iottokens.keycloak.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One real Keycloak server from the official distribution, started with {@code kc.sh start-dev} on free
 * 127.0.0.1 ports, with given provider JARs in {@code providers/} and given files in {@code data/import/}.
 *
 * <p>Its output goes to a log file under {@code target/}. If the process exits before the realm answers
 * (a broken provider JAR, a broken realm file), {@link #start} fails at once with the log's path; it also
 * fails after {@link Options#startTimeout} rather than hang.
 */
public final class KeycloakServer implements AutoCloseable {

    public static final String ADMIN_USER = "admin";

    /** What to start. */
    public static final class Options {
        Path home;
        final List<Path> providers = new ArrayList<>();
        final List<Path> imports = new ArrayList<>();
        final List<String> extraArgs = new ArrayList<>();
        String readinessRealm = "master";
        Path logFile;
        Duration startTimeout = Duration.ofMinutes(5);
        int port;
        String adminPassword;
        Path fileDatabase;

        public Options home(Path home) { this.home = home; return this; }
        public Options provider(Path jar) { providers.add(jar); return this; }
        public Options importFile(Path json) { imports.add(json); return this; }
        public Options arg(String arg) { extraArgs.add(arg); return this; }
        public Options args(String... args) { extraArgs.addAll(List.of(args)); return this; }
        public Options readinessRealm(String realm) { this.readinessRealm = realm; return this; }
        public Options logFile(Path file) { this.logFile = file; return this; }
        public Options startTimeout(Duration timeout) { this.startTimeout = timeout; return this; }
        /** A fixed HTTP port, e.g. to restart on the same issuer URL; default: a free one. */
        public Options port(int port) { this.port = port; return this; }
        /** The bootstrap admin's password; it is created on a database's first start only. Default: random. */
        public Options adminPassword(String password) { this.adminPassword = password; return this; }
        /**
         * H2 in files under {@code dir} ({@code --db=dev-file}) instead of memory, so the database can be read
         * after the tests; {@code dir} is emptied before the start: every start gets a fresh database.
         */
        public Options freshFileDatabase(Path dir) { this.fileDatabase = dir; return this; }
    }

    private final Process process;
    private final int port;
    private final int managementPort;
    private final String adminPassword;
    private final Path logFile;
    private final Path home;
    private final Path fileDatabase;

    private KeycloakServer(Process process, int port, int managementPort, String adminPassword, Path logFile, Path home,
            Path fileDatabase) {
        this.process = process;
        this.port = port;
        this.managementPort = managementPort;
        this.adminPassword = adminPassword;
        this.logFile = logFile;
        this.home = home;
        this.fileDatabase = fileDatabase;
    }

    public static KeycloakServer start(Options o) {
        try {
            return doStart(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static KeycloakServer doStart(Options o) throws IOException {
        Path home = o.home.toAbsolutePath();
        if (!Files.isRegularFile(home.resolve("bin/kc.sh"))) {
            throw new IllegalStateException("No Keycloak distribution at " + home
                    + " (run through Maven: mvn verify unpacks it in the pre-integration-test phase)");
        }
        // Providers and imports are exactly what this server is given: nothing left over from an earlier run.
        // A JAR whose bytes did not change is left untouched, so Keycloak skips the 20 s re-augmentation.
        syncDirectory(home.resolve("providers"), ".jar", o.providers);
        syncDirectory(home.resolve("data/import"), ".json", o.imports);

        int port = o.port > 0 ? o.port : freePort();
        int managementPort = freePort();
        String adminPassword = o.adminPassword != null ? o.adminPassword : UUID.randomUUID().toString();
        Path logFile = o.logFile.toAbsolutePath();
        Files.createDirectories(logFile.getParent());

        List<String> cmd = new ArrayList<>(List.of("sh", home.resolve("bin/kc.sh").toString(), "start-dev",
                "--http-host=127.0.0.1",
                "--http-port=" + port,
                "--http-management-port=" + managementPort,
                "--cache=local",
                "--import-realm"));
        Path fileDatabase = null;
        if (o.fileDatabase != null) {
            // dev-file's own URL, but in the given directory (its default is data/h2/ of the distribution)
            fileDatabase = o.fileDatabase.toAbsolutePath();
            deleteRecursively(fileDatabase);
            Files.createDirectories(fileDatabase);
            cmd.add("--db=dev-file");
            cmd.add("--db-url=jdbc:h2:file:" + fileDatabase.resolve("keycloakdb") + ";NON_KEYWORDS=VALUE;DB_CLOSE_ON_EXIT=FALSE");
        } else if (o.extraArgs.stream().noneMatch(a -> a.startsWith("--db="))) {
            cmd.add("--db=dev-mem");
        }
        cmd.addAll(o.extraArgs);
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(logFile.toFile());
        Map<String, String> env = pb.environment();
        env.put("KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN_USER);
        env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", adminPassword);
        env.put("JAVA_HOME", System.getProperty("java.home"));
        Process process = pb.start();
        KeycloakServer server = new KeycloakServer(process, port, managementPort, adminPassword, logFile, home, fileDatabase);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "keycloak-stop-" + port));

        String probe = server.realmUrl(o.readinessRealm) + "/.well-known/openid-configuration";
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Instant deadline = Instant.now().plus(o.startTimeout);
        Instant started = Instant.now();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Keycloak exited with code " + process.exitValue()
                        + " before it was ready; server log: " + logFile + "\n" + tail(logFile, 40));
            }
            if (Instant.now().isAfter(deadline)) {
                server.close();
                throw new IllegalStateException("Keycloak was not ready after " + o.startTimeout.toSeconds()
                        + " s; server log: " + logFile + "\n" + tail(logFile, 40));
            }
            try {
                HttpResponse<Void> r = client.send(HttpRequest.newBuilder(URI.create(probe))
                        .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    break;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                server.close();
                throw new IllegalStateException("interrupted while waiting for Keycloak", e);
            }
            sleep(250);
        }
        System.out.printf("Keycloak %s ready on %s in %d s (log: %s)%n", home.getFileName(), server.baseUrl(),
                Duration.between(started, Instant.now()).toSeconds(), logFile);
        return server;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public String realmUrl(String realm) {
        return baseUrl() + "/realms/" + realm;
    }

    public String adminUrl(String realm) {
        return baseUrl() + "/admin/realms/" + realm;
    }

    public int port() {
        return port;
    }

    public int managementPort() {
        return managementPort;
    }

    public String adminPassword() {
        return adminPassword;
    }

    public Path logFile() {
        return logFile;
    }

    public Path home() {
        return home;
    }

    /** The directory of its H2 files when started with {@link Options#freshFileDatabase}, else empty. */
    public java.util.Optional<Path> fileDatabase() {
        return java.util.Optional.ofNullable(fileDatabase);
    }

    /** The server JVM's process id ({@code kc.sh} execs java), e.g. for {@code jcmd}. */
    public long pid() {
        return process.pid();
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    /** SIGKILL, as {@code kill -9}: no shutdown hook runs, nothing is flushed. Waits until the process is gone. */
    public synchronized void kill() throws InterruptedException {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM ({@code kc.sh} execs java), then a hard kill after 30 s. Idempotent. */
    @Override
    public synchronized void close() {
        if (!process.isAlive()) {
            return;
        }
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        children.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                children.forEach(ProcessHandle::destroyForcibly);
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /**
     * A private copy of the distribution under {@code target/} for a server of its own (another database,
     * broken input): two servers must not share one home, each start may rewrite its build output.
     */
    public static Path copyOfDistribution(Path source, Path target) throws IOException, InterruptedException {
        if (!Files.isRegularFile(target.resolve("bin/kc.sh"))) {
            Process cp = new ProcessBuilder("cp", "-a", source.toString(), target.toString()).inheritIO().start();
            if (cp.waitFor() != 0) {
                throw new IOException("copy of " + source + " to " + target + " failed");
            }
        }
        return target;
    }

    private static final java.util.Set<Integer> HANDED_OUT = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * A free port on 127.0.0.1 below Linux's ephemeral range (32768-60999), so that no outgoing connection of
     * this or another process can take it between this check and the server's bind; never the same port twice.
     */
    public static int freePort() throws IOException {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 200; attempt++) {
            int candidate = random.nextInt(20000, 32000);
            if (!HANDED_OUT.add(candidate)) {
                continue;
            }
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(false);
                s.bind(new java.net.InetSocketAddress(InetAddress.getByName("127.0.0.1"), candidate), 1);
                return candidate;
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IOException("no free port found in 20000-32000");
    }

    private static void syncDirectory(Path dir, String suffix, List<Path> wanted) throws IOException {
        Files.createDirectories(dir);
        List<String> names = wanted.stream().map(p -> p.getFileName().toString()).toList();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (f.getFileName().toString().endsWith(suffix) && !names.contains(f.getFileName().toString())) {
                    Files.delete(f);
                }
            }
        }
        for (Path source : wanted) {
            Path target = dir.resolve(source.getFileName());
            if (!Files.exists(target) || Files.mismatch(source, target) != -1) {
                Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }

    static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(log not readable: " + e.getMessage() + ")";
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
