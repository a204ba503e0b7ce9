package io.iottokens.keycloak.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.iottokens.keycloak.it.support.Api;
import io.iottokens.keycloak.it.support.HandledSecrets;
import io.iottokens.keycloak.it.support.KeycloakExtension;
import io.iottokens.keycloak.it.support.KeycloakServer;
import io.iottokens.keycloak.it.support.ReadmeBlocks;
import io.iottokens.keycloak.it.support.ReadmeBlocks.Block;
import io.iottokens.keycloak.it.support.TestEnv;

/**
 * The README's walkthrough, run as a newcomer runs it: every block fenced as {@code sh}, in document order, in ONE
 * {@code bash} with {@code set -euo pipefail}, from the repository's root, against the shared test server. The
 * walkthrough's one base URL, {@code KC} (which the README sets only when it is not set already), points at the
 * test server as the test reaches it ({@code http://127.0.0.1:<port>}), so every token's issuer is that address;
 * {@code KC_BOOTSTRAP_ADMIN_PASSWORD} carries the server's admin password. What each command prints is compared
 * with the block's {@code # =>} lines (see {@link ReadmeBlocks}); {@code http://localhost:8080} in those lines
 * (the address the README shows) stands for {@code KC}. Blocks fenced {@code sh no-run} (the "Two commands",
 * which would build and start another server, and the install section) are not run.
 *
 * <p>The walkthrough makes what it needs itself (a fresh device and node id per run, the demo tenants by the
 * idempotent demo script) and cleans up, so it runs before or after {@code DemoDataIT} and the other tests.
 * Nothing secret reaches the test's output: reports are masked, and the secrets the walkthrough handled are
 * recorded for {@code NoSecretsLeftBehindIT}.
 */
@ExtendWith(KeycloakExtension.class)
class ReadmeExamplesIT {

    private static final String BEGIN = "@@readme-block ";
    private static final String END = "@@readme-end";
    /** What the walkthrough printed (masked), under {@code target/}. */
    private static final String LOG = "readme-walkthrough.log";
    /** The base URL as the README shows it; the test server's address replaces it in expectations. */
    private static final String README_BASE_URL = "http://localhost:8080";
    /** A variable the README assigns: {@code NAME=...} at the start of a line. */
    private static final Pattern ASSIGNMENT = Pattern.compile("(?m)^\\s*([A-Z][A-Z0-9_]*)=");
    private static final Pattern LOCAL_URL = Pattern.compile("https?://(localhost|127\\.0\\.0\\.1)(:\\d+)?");
    /** Redirect URIs of the browser clients (nothing listens there); not the server. */
    private static final Set<String> REDIRECT_HOSTS = Set.of("http://localhost:3000", "http://localhost:3001");

    private static Path repo() {
        return TestEnv.realmDir().getParent();
    }

    private static List<Block> readme() throws Exception {
        return ReadmeBlocks.blocks(repo().resolve("README.md"));
    }

    private static List<Block> runBlocks() throws Exception {
        List<Block> run = new ArrayList<>();
        for (Block b : readme()) {
            if (b.info().startsWith("sh")) {
                assertTrue(b.info().equals(ReadmeBlocks.RUN) || b.info().equals(ReadmeBlocks.NO_RUN),
                        "README line " + b.line() + ": a shell block is fenced `sh` (run by this test) or `sh no-run`, not `" + b.info() + "`");
            }
            if (b.info().equals(ReadmeBlocks.RUN)) {
                run.add(b);
            }
        }
        return run;
    }

    @Test
    void theWalkthroughRunsInOrderInOneShellAndPrintsWhatTheReadmeSays(Api api, @TempDir Path dir) throws Exception {
        List<Block> run = runBlocks();
        assertTrue(run.size() >= 12, "the walkthrough's blocks: " + run.size());

        Path script = dir.resolve("walkthrough.sh");
        Path out = dir.resolve("stdout");
        Path err = dir.resolve("stderr");
        Path secretsFile = dir.resolve("secrets");
        Files.writeString(script, script(run, secretsFile), StandardCharsets.UTF_8);
        String kc = api.server().baseUrl();
        ProcessBuilder pb = new ProcessBuilder("bash", script.toString()).directory(repo().toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("KC", kc);
        pb.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", api.server().adminPassword());
        Process p = pb.start();
        boolean ended = p.waitFor(5, TimeUnit.MINUTES);
        if (!ended) {
            p.destroyForcibly().waitFor();
        }

        // what must never show in this test's report, and what NoSecretsLeftBehindIT looks for afterwards
        Set<String> secrets = new HashSet<>(recordedSecrets(secretsFile));
        secrets.add(api.server().adminPassword());
        secrets.add(clientSecret(api, "iot-platform"));
        secrets.add(clientSecret(api, "tenant-app-example"));
        Files.deleteIfExists(secretsFile);

        Map<Integer, List<String>> printed = printed(Files.readAllLines(out, StandardCharsets.UTF_8));
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        // what the walkthrough printed, masked, for whoever reads the build's output afterwards
        Files.writeString(TestEnv.workDir().resolve(LOG), ReadmeBlocks.mask("--- stdout\n"
                + Files.readString(out, StandardCharsets.UTF_8) + "\n--- stderr\n" + stderr, secrets), StandardCharsets.UTF_8);
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < run.size(); i++) {
            Block b = run.get(i);
            List<String> got = printed.get(i);
            if (got == null) {
                problems.add("README line " + b.line() + ": the block did not run (an earlier block failed)");
                break;
            }
            List<String> expected = b.expected().stream().map(e -> e.replace(README_BASE_URL, kc)).toList();
            for (int k = 0; k < Math.max(expected.size(), got.size()); k++) {
                String e = k < expected.size() ? expected.get(k) : null;
                String g = k < got.size() ? got.get(k) : null;
                if (e == null || g == null || !ReadmeBlocks.matches(e, g)) {
                    problems.add("README block of line " + b.line() + ", printed line " + (k + 1) + ":\n    expected "
                            + (e == null ? "(nothing more)" : e) + "\n    printed  " + (g == null ? "(nothing more)" : g));
                }
            }
        }
        if (!ended || p.exitValue() != 0 || !problems.isEmpty()) {
            int last = printed.keySet().stream().mapToInt(Integer::intValue).max().orElse(-1);
            String where = printed.containsKey(-1) ? "after its last block"
                    : last >= 0 ? "in the block of README line " + run.get(last).line() : "before its first block";
            String tail = String.join("\n", lastLines(stderr, 30));
            fail(ReadmeBlocks.mask((ended ? "the walkthrough exited with " + p.exitValue() + " " + where
                    : "the walkthrough did not end within 5 minutes, " + where) + " (printed: target/" + LOG + ")\n"
                    + String.join("\n", problems) + "\n--- stderr (last lines):\n" + tail, secrets));
        }
        assertTrue(printed.containsKey(-1), "the walkthrough ran to its end");
    }

    /** The blocks in one script, each announced on stdout; at exit the walkthrough's variables go to a private file. */
    private static String script(List<Block> run, Path secretsFile) {
        Set<String> names = new LinkedHashSet<>();
        run.forEach(b -> {
            Matcher m = ASSIGNMENT.matcher(b.code());
            while (m.find()) {
                names.add(m.group(1));
            }
        });
        StringBuilder s = new StringBuilder("set -euo pipefail\n");
        s.append("readme_test_dump() {\n  ( umask 077; for v in ").append(String.join(" ", names))
                .append("; do printf '%s\\t%s\\n' \"$v\" \"${!v-}\"; done > '").append(secretsFile).append("' )\n}\n");
        s.append("trap readme_test_dump EXIT\n");
        for (int i = 0; i < run.size(); i++) {
            s.append("printf '\\n").append(BEGIN).append(i).append("\\n'\n");
            s.append(run.get(i).code()).append('\n');
        }
        s.append("printf '\\n").append(END).append("\\n'\n");
        return s.toString();
    }

    /** The non-blank lines each block printed, by block; key -1 when the script reached its end. */
    private static Map<Integer, List<String>> printed(List<String> stdout) {
        Map<Integer, List<String>> out = new TreeMap<>();
        List<String> current = null;
        for (String line : stdout) {
            if (line.startsWith(BEGIN)) {
                current = new ArrayList<>();
                out.put(Integer.parseInt(line.substring(BEGIN.length()).strip()), current);
            } else if (line.equals(END)) {
                out.put(-1, List.of());
                current = null;
            } else if (current != null && !line.isBlank()) {
                current.add(line);
            }
        }
        return out;
    }

    /** The walkthrough's tokens and secrets, recorded as the suite's other tests record theirs; returns the values. */
    private static List<String> recordedSecrets(Path file) throws Exception {
        List<String> values = new ArrayList<>();
        if (!Files.exists(file)) {
            return values;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            int tab = line.indexOf('\t');
            if (tab <= 0 || tab == line.length() - 1) {
                continue;
            }
            String name = line.substring(0, tab);
            String value = line.substring(tab + 1);
            if (value.startsWith("eyJ")) {
                HandledSecrets.record("token", value, false, "README walkthrough");
            } else if (name.equals("API_SECRET")) {
                HandledSecrets.record("api_secret", value, false, "README walkthrough");
            } else if (name.endsWith("_SECRET")) {
                HandledSecrets.record("client_secret", value, false, "README walkthrough");
            } else {
                continue;
            }
            values.add(value);
        }
        return values;
    }

    /** A client's secret, to mask it in reports (the walkthrough's own copy is masked anyway once it has one). */
    private static String clientSecret(Api api, String clientId) {
        try {
            JsonNode client = api.adminGet("/clients?clientId=" + clientId).json().get(0);
            return api.adminGet("/clients/" + client.get("id").asText() + "/client-secret").json().get("value").asText();
        } catch (RuntimeException unreachable) {
            return null;
        }
    }

    private static List<String> lastLines(String text, int n) {
        List<String> lines = text.lines().toList();
        return lines.subList(Math.max(0, lines.size() - n), lines.size());
    }

    @Test
    void theWalkthroughReachesTheServerOnlyThroughItsOneBaseUrl() throws Exception {
        List<Block> run = runBlocks();
        List<String> definitions = new ArrayList<>();
        for (Block b : run) {
            for (String line : b.lines()) {
                String code = line.strip();
                if (code.startsWith(ReadmeBlocks.EXPECT)) {
                    continue;
                }
                if (code.startsWith("KC=")) {
                    definitions.add(code);
                    continue;
                }
                Matcher m = LOCAL_URL.matcher(code);
                while (m.find()) {
                    assertTrue(REDIRECT_HOSTS.contains(m.group()), "README block of line " + b.line()
                            + " names the server itself instead of using $KC: " + code);
                }
            }
        }
        assertEquals(1, definitions.size(), "KC is defined once: " + definitions);
        assertTrue(definitions.get(0).startsWith("KC=${KC:-" + README_BASE_URL + "}"), definitions.get(0));
        assertTrue(run.get(0).code().contains(definitions.get(0)), "KC is defined in the first block");
        Pattern buildsOrStarts = Pattern.compile("(?m)^\\s*(\\./run-keycloak\\.sh|mvn)\\b");
        for (Block b : run) {
            assertFalse(buildsOrStarts.matcher(b.code()).find(), "README line " + b.line() + ": building or starting a server is `sh no-run`");
        }
    }

    @Test
    void theReadmeNamesNoDocumentOutsideTheRepository() throws Exception {
        String text = Files.readString(repo().resolve("README.md"), StandardCharsets.UTF_8);
        assertFalse(text.contains("DESIGN.md"), "the README names DESIGN.md");
        assertFalse(text.contains("../shared"), "the README links outside the repository");
        Matcher seed = Pattern.compile("(?i)\\bseeds?\\b").matcher(text);
        assertFalse(seed.find(), () -> "the README names a seed document: ..." + text.substring(Math.max(0, seed.start() - 60), seed.end() + 20));
    }

    @Test
    void noInstructionCopiesTheTestJarIntoKeycloak() throws Exception {
        // what `mvn package` leaves in providers/target: the pack, and test helpers that must stay out of Keycloak
        String version = "1.2.3-SNAPSHOT";
        String pack = "keycloak-iot-tokens-providers-" + version;
        List<String> notForKeycloak = List.of(pack + "-tests.jar", pack + "-sources.jar", pack + "-javadoc.jar");
        Pattern jarGlob = Pattern.compile("(?:providers|themes)/target/(keycloak-iot-tokens-[^\\s\"']*\\.jar)");
        List<String> sources = new ArrayList<>();
        for (Block b : readme()) {
            if (b.info().startsWith("sh")) {
                sources.add(b.code());
            }
        }
        sources.add(Files.readString(repo().resolve("docker/Dockerfile"), StandardCharsets.UTF_8));
        int globs = 0;
        for (String source : sources) {
            Matcher m = jarGlob.matcher(source);
            while (m.find()) {
                globs++;
                PathMatcher glob = FileSystems.getDefault().getPathMatcher("glob:" + m.group(1).replace("$VERSION", version));
                for (String jar : notForKeycloak) {
                    assertFalse(glob.matches(Path.of(jar)), m.group() + " also copies " + jar);
                }
                assertTrue(glob.matches(Path.of(pack + ".jar")) || m.group(1).contains("themes"), m.group() + " copies the pack");
            }
        }
        assertTrue(globs >= 3, "the README's install section and the Dockerfile copy the JARs: " + globs);
        Matcher runScript = Pattern.compile("\\*-tests\\.jar[^)]*\\) continue").matcher(
                Files.readString(repo().resolve("run-keycloak.sh"), StandardCharsets.UTF_8));
        assertTrue(runScript.find(), "run-keycloak.sh skips the -tests.jar");
    }
}
