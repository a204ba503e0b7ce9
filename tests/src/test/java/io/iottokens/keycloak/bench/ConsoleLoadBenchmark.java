package io.iottokens.keycloak.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.HasCapabilities;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.chromium.ChromiumDriver;

import com.fasterxml.jackson.databind.JsonNode;

import io.iottokens.keycloak.it.support.Api;
import io.iottokens.keycloak.it.support.Browser;
import io.iottokens.keycloak.it.support.Fixtures;
import io.iottokens.keycloak.it.support.TestEnv;

/**
 * Prints figures, asserts no timing: the account console of the pack (theme {@code iot-tokens}: Keycloak's console
 * rebuilt from {@code @keycloak/keycloak-account-ui} with the IoT pages) against the stock console ({@code keycloak.v3})
 * on ONE server in ONE run.
 * <ul>
 * <li>Bundle, from each theme's {@code .vite/manifest.json} (the stock one in the distribution's keycloak-account-ui
 * JAR, the pack's in the themes JAR): what the first load fetches (the {@code isEntry} chunk, its static imports and
 * their CSS), raw and gzip bytes; the landing page's chunks, the other dynamic imports and the fonts apart; the whole
 * {@code resources/} directory.</li>
 * <li>First load in headless Chromium, {@link #ROUNDS} rounds of one load of each console, the order alternating:
 * each load a fresh browser profile (cold HTTP cache) whose user has signed in on Keycloak's login page just before
 * (through a client of the run, so nothing of either console is fetched before the measured load), then opens the
 * console. Measured from that navigation's start to the sidebar ({@code nav} with "Personal info") laid out and
 * visible: the console's page and bundle, keycloak-js's redirect through the authorization endpoint and back, the
 * code exchange, the account REST calls. With it the Resource Timing sums of both documents and the JS heap.</li>
 * </ul>
 * Both consoles are served by the same realm {@code iot}, its {@code accountTheme} set before every load (also when it
 * does not change, so every load follows the same realm update and sign-in): the same realm, user, login flow, realm
 * settings and server, the theme the only difference. A second realm would differ in its flows, organizations and the
 * pack's realm options. The server caches themes and templates and sends {@code max-age} as in production
 * ({@code start-dev} turns all three off).
 * Run: {@code mvn -B verify -Pbenchmark -pl tests -am -Dit.test=ConsoleLoadBenchmark -Dtest=none
 * -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false} ({@code -am}: the pack's JARs of this
 * checkout, not whichever ~/.m2 holds last; {@code -Dbench.console.rounds=10 -Dbench.console.warmup=1}); figures also in
 * {@code target/benchmark-console-load.txt}.
 */
@BenchServer.Named(value = "console-load", args = {"--spi-theme--cache-themes=true", "--spi-theme--cache-templates=true",
        "--spi-theme--static-max-age=2592000"})
class ConsoleLoadBenchmark extends BenchmarkBase {

    static final int ROUNDS = Integer.getInteger("bench.console.rounds", 10);
    static final int WARMUP = Integer.getInteger("bench.console.warmup", 1);
    static final String STOCK = "keycloak.v3";
    static final String PACK = "iot-tokens";

    /** The client the user signs in through before each load; it lands on the realm's JSON, no console page. */
    private static final String SIGN_IN_CLIENT = "bench-console-sign-in";

    /**
     * Runs in every top-level document of the console (added through CDP before the measured navigation): keeps the
     * Resource Timing figures of a document when it is left (sessionStorage, same tab and origin), and records the
     * time (epoch ms, high resolution) at which the sidebar with "Personal info" is first laid out and visible.
     */
    private static final String PROBE = """
            (() => {
              if (window.top !== window || !location.pathname.includes('/account')) return;
              try { performance.setResourceTimingBufferSize(100000); } catch (e) {}
              const KEY = 'iottokens.bench';
              const docs = JSON.parse(sessionStorage.getItem(KEY) || '[]');
              const figures = () => {
                let transferred = 0, encoded = 0, requests = 0;
                for (const e of performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))) {
                  transferred += e.transferSize; encoded += e.encodedBodySize; requests++;
                }
                return { origin: performance.timeOrigin, transferred, encoded, requests };
              };
              const bench = window.__iottokensBench = { visible: 0, report: () => ({ docs: docs.concat([figures()]), visible: bench.visible }) };
              addEventListener('pagehide', () => sessionStorage.setItem(KEY, JSON.stringify(docs.concat([figures()]))));
              const shown = () => {
                for (const n of document.querySelectorAll('nav')) {
                  if (n.textContent.includes('Personal info')) {
                    const r = n.getBoundingClientRect();
                    if (r.width > 0 && r.height > 0 && getComputedStyle(n).visibility !== 'hidden') return true;
                  }
                }
                return false;
              };
              const observer = new MutationObserver(() => {
                if (!bench.visible && shown()) {
                  bench.visible = performance.timeOrigin + performance.now();
                  observer.disconnect();
                }
              });
              observer.observe(document, { childList: true, subtree: true, attributes: true });
            })();
            """;

    @Test
    void accountConsoleBundleAndFirstLoadAgainstTheStockConsole() throws Exception {
        Bundle stock = Bundle.read(stockJar(), STOCK);
        Bundle pack = Bundle.read(packJar(), PACK);

        prepareRealm(bench, false); // many sign-ins of one user
        Fixtures.User user = Fixtures.user(api, "bench-console");
        String realmUrl = api.server().realmUrl(Api.REALM);
        Api.Resp client = api.adminPost("/clients", Map.of("clientId", SIGN_IN_CLIENT, "publicClient", true,
                "standardFlowEnabled", true, "directAccessGrantsEnabled", false, "redirectUris", List.of(realmUrl)));
        assertEquals(201, client.status(), client.toString());

        List<Load> stockLoads = new ArrayList<>();
        List<Load> packLoads = new ArrayList<>();
        String chromium = null;
        for (int i = 0; i < WARMUP; i++) {
            chromium = load(STOCK, user).chromium();
            load(PACK, user);
        }
        for (int round = 0; round < ROUNDS; round++) {
            if (round % 2 == 0) {
                stockLoads.add(load(STOCK, user));
                packLoads.add(load(PACK, user));
            } else {
                packLoads.add(load(PACK, user));
                stockLoads.add(load(STOCK, user));
            }
        }
        Fixtures.updateRealm(api, realm -> realm.put("accountTheme", PACK));

        heading(bench, "Account console load benchmark", String.format("headless Chromium %s, %d rounds of one cold load of each console"
                + " (order alternating) after %d warm-up load(s) of each", chromium, ROUNDS, WARMUP));
        bench.print(String.format("  stock: theme %s (%s); pack: theme %s (%s); realm %s, accountTheme set before every load",
                STOCK, stock.jar.getFileName(), PACK, pack.jar.getFileName(), Api.REALM));
        bench.print(String.format("  entry script served: stock %s; pack %s", served(stockLoads.get(0).entry()), served(packLoads.get(0).entry())));

        bench.print(String.format("  %-52s %-30s %-30s %s", "bundle, from .vite/manifest.json: raw / gzip bytes (files)", "stock", "pack", "pack/stock"));
        sizeLine("first load: entry + static imports (JS)", stock.firstJs, pack.firstJs, stock, pack);
        sizeLine("first load: their CSS", stock.firstCss, pack.firstCss, stock, pack);
        sizeLine("first load: JS + CSS", union(stock.firstJs, stock.firstCss), union(pack.firstJs, pack.firstCss), stock, pack);
        sizeLine("  + landing page (Personal info) chunks", stock.landing, pack.landing, stock, pack);
        sizeLine("first load + landing page", union(stock.firstJs, stock.firstCss, stock.landing),
                union(pack.firstJs, pack.firstCss, pack.landing), stock, pack);
        sizeLine("other dynamic imports (JS + CSS, not at first load)", stock.otherDynamic, pack.otherDynamic, stock, pack);
        sizeLine("fonts, images named by the manifest (when used)", stock.assets, pack.assets, stock, pack);
        sizeLine("whole resources/ directory", stock.files.keySet(), pack.files.keySet(), stock, pack);
        sizeLine("assets/ JS and CSS the manifest does not name", stock.unnamed, pack.unnamed, stock, pack);

        bench.print(String.format("  %-52s %-30s %-30s %s", "first load in the browser, median (min-max) of " + ROUNDS,
                "stock", "pack", "pack/stock of medians"));
        loadLine("ms to the sidebar, from the console's navigation", stockLoads, packLoads, Load::toSidebarMs, 0);
        loadLine("  of which from keycloak-js's login redirect on", stockLoads, packLoads, Load::afterRedirectMs, 0);
        loadLine("documents (console page loads)", stockLoads, packLoads, Load::documents, 0);
        loadLine("requests (Resource Timing, all documents)", stockLoads, packLoads, Load::requests, 0);
        loadLine("KiB transferred (sum of transferSize)", stockLoads, packLoads, l -> l.transferred() / 1024.0, 0);
        loadLine("KiB of bodies (sum of encodedBodySize)", stockLoads, packLoads, l -> l.encoded() / 1024.0, 0);
        loadLine("MiB JS heap, performance.memory.usedJSHeapSize", stockLoads, packLoads, l -> l.heapUsed() / 1048576.0, 1);
        loadLine("MiB JS heap live after a GC (CDP getHeapUsage)", stockLoads, packLoads, l -> l.heapLive() / 1048576.0, 1);
        double[] perRound = new double[ROUNDS];
        for (int i = 0; i < ROUNDS; i++) {
            perRound[i] = packLoads.get(i).toSidebarMs() / stockLoads.get(i).toSidebarMs();
        }
        Arrays.sort(perRound);
        bench.print(String.format("  %-52s %.2f of the medians; per round median %.2f, range %.2f-%.2f over %d rounds",
                "ratio pack / stock, ms to the sidebar:", median(packLoads, Load::toSidebarMs) / median(stockLoads, Load::toSidebarMs),
                median(perRound), perRound[0], perRound[ROUNDS - 1], ROUNDS));
    }

    // ---- the browser ------------------------------------------------------------------------------------------------

    /** One measured load of the console in {@code theme}. */
    record Load(String theme, double toSidebarMs, double afterRedirectMs, int documents, int requests, long transferred, long encoded,
            long heapUsed, long heapLive, String chromium, String entry) {
    }

    /**
     * Sets the realm's account theme, then in a fresh browser: signs in on the login page (client {@link #SIGN_IN_CLIENT}),
     * opens the console and waits for the sidebar. Asserts that the console loaded, in the theme asked for.
     */
    private Load load(String theme, Fixtures.User user) {
        Fixtures.updateRealm(api, realm -> realm.put("accountTheme", theme));
        String realmUrl = api.server().realmUrl(Api.REALM);
        try (Browser b = Browser.open()) {
            ChromiumDriver cdp = (ChromiumDriver) b.driver();
            b.go(realmUrl + "/protocol/openid-connect/auth?response_type=code&scope=openid&state=bench&client_id=" + SIGN_IN_CLIENT
                    + "&redirect_uri=" + URLEncoder.encode(realmUrl, StandardCharsets.UTF_8)
                    + "&code_challenge_method=S256&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
            b.login(user.name(), user.password());
            b.until(d -> d.getCurrentUrl().startsWith(realmUrl + "?") && d.getCurrentUrl().contains("code=") ? Boolean.TRUE : null);

            cdp.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", PROBE));
            b.go(realmUrl + "/account/");
            Map<?, ?> report = b.until(d -> {
                try {
                    Object r = b.script("const b = window.__iottokensBench; return b && b.visible ? b.report() : null;");
                    return r instanceof Map<?, ?> m ? m : null;
                } catch (WebDriverException e) {
                    return null; // between two documents
                }
            });
            assertTrue(b.waitFor(By.xpath("//nav[.//*[normalize-space()='Personal info']]")).isDisplayed(), theme + ": the sidebar");
            Object entry = b.script("const s = document.querySelector('script[type=module][src*=\"/assets/\"]'); return s ? s.src : '';");
            assertTrue(String.valueOf(entry).contains("/account/" + theme + "/"), theme + " asked for, the console's entry script is " + entry);

            Object used = b.script("return performance.memory ? performance.memory.usedJSHeapSize : 0;");
            cdp.executeCdpCommand("HeapProfiler.collectGarbage", Map.of());
            Map<String, Object> heap = cdp.executeCdpCommand("Runtime.getHeapUsage", Map.of());

            List<?> docs = (List<?>) report.get("docs");
            double visible = number(report.get("visible"));
            double first = number(((Map<?, ?>) docs.get(0)).get("origin"));
            double last = number(((Map<?, ?>) docs.get(docs.size() - 1)).get("origin"));
            int requests = 0;
            long transferred = 0;
            long encoded = 0;
            for (Object o : docs) {
                Map<?, ?> d = (Map<?, ?>) o;
                requests += (int) number(d.get("requests"));
                transferred += (long) number(d.get("transferred"));
                encoded += (long) number(d.get("encoded"));
            }
            return new Load(theme, visible - first, visible - last, docs.size(), requests, transferred, encoded, (long) number(used),
                    (long) number(heap.get("usedSize")), ((HasCapabilities) b.driver()).getCapabilities().getBrowserVersion(), String.valueOf(entry));
        }
    }

    /** How the server sends an entry script to a browser: Cache-Control and Content-Encoding. */
    private static String served(String url) {
        try {
            HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).header("Accept-Encoding", "gzip")
                    .build(), HttpResponse.BodyHandlers.ofByteArray());
            return String.format("HTTP %d, Cache-Control %s, Content-Encoding %s, %,d bytes", r.statusCode(),
                    r.headers().firstValue("Cache-Control").orElse("-"), r.headers().firstValue("Content-Encoding").orElse("-"), r.body().length);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static double number(Object o) {
        return ((Number) o).doubleValue();
    }

    // ---- the bundles ------------------------------------------------------------------------------------------------

    /** The stock console: keycloak-account-ui's JAR in the server's distribution. */
    private Path stockJar() throws IOException {
        try (Stream<Path> s = Files.list(bench.server.home().resolve("lib/lib/main"))) {
            return s.filter(p -> p.getFileName().toString().matches("org\\.keycloak\\.keycloak-account-ui-.*\\.jar")).findFirst()
                    .orElseThrow(() -> new AssertionError("no keycloak-account-ui JAR in " + bench.server.home()));
        }
    }

    /** The pack's console: the pack JAR holding the iot-tokens account theme's manifest. */
    private static Path packJar() {
        return TestEnv.packJars().stream().filter(jar -> {
            try (ZipFile z = new ZipFile(jar.toFile())) {
                return z.getEntry("theme/" + PACK + "/account/resources/.vite/manifest.json") != null;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).findFirst().orElseThrow(() -> new AssertionError("no pack JAR holds the " + PACK + " account theme: " + TestEnv.packJars()));
    }

    /** An account theme's resources/ and what its Vite manifest says the first load fetches. Paths relative to resources/. */
    static final class Bundle {
        final Path jar;
        final Map<String, byte[]> files = new TreeMap<>();
        final Set<String> firstJs = new LinkedHashSet<>();
        final Set<String> firstCss = new LinkedHashSet<>();
        final Set<String> landing = new LinkedHashSet<>();
        final Set<String> otherDynamic = new LinkedHashSet<>();
        final Set<String> assets = new LinkedHashSet<>();
        final Set<String> unnamed = new LinkedHashSet<>();
        private final Map<String, long[]> sizes = new TreeMap<>();

        private Bundle(Path jar) {
            this.jar = jar;
        }

        static Bundle read(Path jar, String theme) throws IOException {
            Bundle b = new Bundle(jar);
            String prefix = "theme/" + theme + "/account/resources/";
            try (ZipFile z = new ZipFile(jar.toFile())) {
                for (Enumeration<? extends ZipEntry> e = z.entries(); e.hasMoreElements();) {
                    ZipEntry entry = e.nextElement();
                    if (!entry.isDirectory() && entry.getName().startsWith(prefix)) {
                        b.files.put(entry.getName().substring(prefix.length()), z.getInputStream(entry).readAllBytes());
                    }
                }
            }
            byte[] manifestBytes = b.files.get(".vite/manifest.json");
            if (manifestBytes == null) {
                throw new AssertionError("no " + prefix + ".vite/manifest.json in " + jar);
            }
            JsonNode manifest = Api.JSON.readTree(manifestBytes);
            List<String> entries = new ArrayList<>();
            manifest.fields().forEachRemaining(f -> {
                if (f.getValue().path("isEntry").asBoolean()) {
                    entries.add(f.getKey());
                }
            });
            assertEquals(1, entries.size(), theme + ": one isEntry chunk in the manifest, found " + entries);

            // the first load: the entry and its static imports, with their CSS
            Set<String> first = closure(manifest, List.of(entries.get(0)), Set.of(), false);
            for (String key : first) {
                JsonNode chunk = manifest.get(key);
                b.firstJs.add(chunk.get("file").asText());
                chunk.path("css").forEach(c -> b.firstCss.add(c.asText()));
            }
            // the dynamic imports (pages), with their own static imports; the landing page's apart
            List<String> dynamicRoots = new ArrayList<>();
            for (String key : first) {
                manifest.get(key).path("dynamicImports").forEach(d -> dynamicRoots.add(d.asText()));
            }
            Set<String> landingKeys = closure(manifest, dynamicRoots.stream().filter(k -> k.contains("PersonalInfo")).toList(), first, false);
            Set<String> dynamicKeys = closure(manifest, dynamicRoots, first, true);
            for (String key : dynamicKeys) {
                JsonNode chunk = manifest.get(key);
                Set<String> into = landingKeys.contains(key) ? b.landing : b.otherDynamic;
                into.add(chunk.get("file").asText());
                chunk.path("css").forEach(c -> into.add(c.asText()));
            }
            b.otherDynamic.removeAll(b.landing);
            // fonts and images: manifest entries of their own and the chunks' "assets"; fetched when the page uses them
            Set<String> code = new LinkedHashSet<>();
            manifest.forEach(chunk -> {
                String file = chunk.get("file").asText();
                (isCode(file) ? code : b.assets).add(file);
                chunk.path("css").forEach(c -> code.add(c.asText()));
                chunk.path("assets").forEach(a -> b.assets.add(a.asText()));
            });
            // JS and CSS the manifest does not name: leftovers of earlier builds, never loaded
            for (String f : b.files.keySet()) {
                if (f.startsWith("assets/") && isCode(f) && !code.contains(f)) {
                    b.unnamed.add(f);
                }
            }
            for (String f : union(code, b.assets)) {
                if (!b.files.containsKey(f)) {
                    throw new AssertionError(theme + ": the manifest names " + f + ", not in " + jar);
                }
            }
            return b;
        }

        private static boolean isCode(String file) {
            return file.endsWith(".js") || file.endsWith(".css");
        }

        /** The manifest keys reachable from {@code roots} through static imports (and dynamic ones if asked), minus {@code except}. */
        private static Set<String> closure(JsonNode manifest, List<String> roots, Set<String> except, boolean dynamic) {
            Set<String> seen = new LinkedHashSet<>();
            Deque<String> todo = new ArrayDeque<>(roots);
            while (!todo.isEmpty()) {
                String key = todo.pop();
                if (except.contains(key) || !seen.add(key)) {
                    continue;
                }
                JsonNode chunk = manifest.get(key);
                if (chunk == null) {
                    throw new AssertionError("the manifest imports " + key + " but has no such chunk");
                }
                chunk.path("imports").forEach(i -> todo.add(i.asText()));
                if (dynamic) {
                    chunk.path("dynamicImports").forEach(i -> todo.add(i.asText()));
                }
            }
            return seen;
        }

        /** {files, raw bytes, gzip bytes} of these files. */
        long[] size(Set<String> names) {
            long[] total = new long[3];
            for (String name : names) {
                long[] s = sizes.computeIfAbsent(name, n -> new long[] {files.get(n).length, gzipped(files.get(n))});
                total[0]++;
                total[1] += s[0];
                total[2] += s[1];
            }
            return total;
        }

        /** gzip at java.util.zip's default level (6, as gzip -6 and Keycloak's own gzip of theme resources). */
        private static long gzipped(byte[] data) {
            long[] count = new long[1];
            OutputStream counter = new OutputStream() {
                @Override
                public void write(int b) {
                    count[0]++;
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    count[0] += len;
                }
            };
            try (GZIPOutputStream gz = new GZIPOutputStream(counter)) {
                gz.write(data);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return count[0];
        }
    }

    @SafeVarargs
    private static Set<String> union(Set<String>... sets) {
        Set<String> all = new LinkedHashSet<>();
        for (Set<String> s : sets) {
            all.addAll(s);
        }
        return all;
    }

    // ---- printing ---------------------------------------------------------------------------------------------------

    private void sizeLine(String label, Set<String> stockFiles, Set<String> packFiles, Bundle stock, Bundle pack) {
        long[] s = stock.size(stockFiles);
        long[] p = pack.size(packFiles);
        bench.print(String.format("  %-52s %-30s %-30s %s", label, bytes(s), bytes(p),
                s[1] == 0 ? "-" : String.format("%.2f / %.2f", (double) p[1] / s[1], (double) p[2] / s[2])));
    }

    private static String bytes(long[] s) {
        return String.format("%,d / %,d (%d)", s[1], s[2], s[0]);
    }

    private void loadLine(String label, List<Load> stock, List<Load> pack, ToDoubleFunction<Load> f, int decimals) {
        Function<List<Load>, String> cell = loads -> {
            double[] v = loads.stream().mapToDouble(f).sorted().toArray();
            return String.format("%." + decimals + "f (%." + decimals + "f-%." + decimals + "f)", median(v), v[0], v[v.length - 1]);
        };
        double s = median(stock, f);
        double p = median(pack, f);
        bench.print(String.format("  %-52s %-30s %-30s %s", label, cell.apply(stock), cell.apply(pack), s == 0 ? "-" : String.format("%.2f", p / s)));
    }

    private static double median(List<Load> loads, ToDoubleFunction<Load> f) {
        return median(loads.stream().mapToDouble(f).sorted().toArray());
    }

    /** The median of sorted values. */
    private static double median(double[] v) {
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
