package io.iottokens.keycloak.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.jar.JarFile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.iottokens.keycloak.device.TestDeviceKeys;
import io.iottokens.keycloak.it.support.Api;
import io.iottokens.keycloak.it.support.Devices;
import io.iottokens.keycloak.it.support.Edge;
import io.iottokens.keycloak.it.support.JaxRsScan;
import io.iottokens.keycloak.it.support.KeycloakExtension;
import io.iottokens.keycloak.it.support.OpenApiDocs;
import io.iottokens.keycloak.it.support.OpenApiDocs.Operation;
import io.iottokens.keycloak.it.support.TestEnv;

/**
 * {@code docs/openapi.yaml} against the running server, in both directions:
 * <ul>
 * <li>the server serves the repository's document (YAML and JSON), and it is structurally OpenAPI 3.1;</li>
 * <li>every documented status of every operation is reached by a real request of the table below (which also proves
 * each documented path and method is routed: a 404 must be the pack's {@code not_found}, never the router's), the
 * answer conforms to the documented schema and headers, and no request gets a status its operation does not document;
 * statuses no test can provoke are listed in {@link #EXCLUDED} with the reason;</li>
 * <li>every JAX-RS resource method in the built providers JAR is documented (read from its class files, mapped to
 * the document's mounts generically, without naming the pack's classes).</li>
 * </ul>
 */
@ExtendWith(KeycloakExtension.class)
class OpenApiContractIT {

    /**
     * Documented statuses no request here can provoke: operation id (or "*" for every operation) / status -> why.
     * The test fails if an excluded status is not documented (a stale entry).
     */
    static final Map<String, String> EXCLUDED = Map.of(
            // The shared server's database stays up; DatabaseOutageIT cuts the database of a server of its own and checks
            // the 503 with Retry-After of the key grant, key list, creation and revoke, purposed creation and introspection.
            "*/503", "database unreachable (DatabaseOutageIT)",
            // A revoke that commits between this put's read of the grant and its write: a race of two requests, not
            // provoked reliably by one client.
            "putTenantGrant/409", "a revoke racing the put",
            "adminPutTenantGrant/409", "a revoke racing the put");

    private static final String PW = "contract-pw-123";
    private static final String EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
    private static final String ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";

    private final OpenApiDocs docs = OpenApiDocs.load(OpenApiDocs.repositoryFile());

    // ---- (a) the served document ------------------------------------------------------------------

    @Test
    void theServerServesTheRepositoryDocument(Api api) throws Exception {
        String repository = Files.readString(OpenApiDocs.repositoryFile(), StandardCharsets.UTF_8);
        String base = api.server().baseUrl();

        Api.Resp yaml = api.get(api.server().realmUrl(Api.REALM) + "/iot-tokens/openapi.yaml", null);
        assertEquals(200, yaml.status(), yaml.toString());
        assertTrue(yaml.header("Content-Type").orElse("").startsWith("application/yaml"), yaml.headers().toString());
        assertTrue(yaml.header("Cache-Control").orElse("").contains("max-age"), yaml.headers().toString());
        assertTrue(yaml.header("Vary").orElse("").contains("Host"), "the servers entry follows the Host: caches must key on it " + yaml.headers());
        String first = repository.lines().filter(l -> l.matches("\\s+- url: .*")).findFirst().orElseThrow();
        assertEquals(repository.replace(first, first.replaceAll("url: .*", "url: \"" + base + "\"")), yaml.body(),
                "the served YAML is docs/openapi.yaml with the server's own URL as first server");

        JsonNode served = OpenApiDocs.YAML.readTree(yaml.body());
        assertEquals(base, served.at("/servers/0/url").asText());
        ObjectNode expected = docs.root().deepCopy();
        ((ObjectNode) expected.get("servers").get(0)).put("url", base);
        assertEquals(expected, served);

        Api.Resp json = api.get(api.server().realmUrl(Api.REALM) + "/iot-tokens/openapi.json", null);
        assertEquals(200, json.status(), json.toString());
        assertTrue(json.header("Content-Type").orElse("").startsWith("application/json"), json.headers().toString());
        assertEquals(expected, json.json(), "the JSON is the same document");

        // public: any origin may read it (a documentation UI elsewhere), without credentials
        Api.Resp cors = api.send(HttpRequest.newBuilder(URI.create(api.server().realmUrl(Api.REALM) + "/iot-tokens/openapi.json"))
                .header("Origin", "https://docs.example.com").GET());
        assertEquals(200, cors.status(), cors.toString());
        assertEquals("https://docs.example.com", cors.header("Access-Control-Allow-Origin").orElse(null), cors.headers().toString());
        assertEquals("false", cors.header("Access-Control-Allow-Credentials").orElse("false"), cors.headers().toString());
    }

    @Test
    void theDocumentIsStructurallyOpenApi31OfThisVersion() throws Exception {
        List<String> problems = docs.structuralProblems();
        assertTrue(problems.isEmpty(), "structural problems:\n" + String.join("\n", problems));
        // not vacuous: a dangling $ref, a path variable without its parameter and a response without description are found
        ObjectNode broken = docs.root().deepCopy();
        ObjectNode paths = (ObjectNode) broken.get("paths");
        paths.set("/realms/{realm}/api-keys/{id}/{extra}", paths.get("/realms/{realm}/api-keys/{id}/suspend"));
        ((ObjectNode) broken.at("/components/responses/NotFound")).remove("description");
        ((ObjectNode) broken.at("/components/schemas/ApiKey/properties/status")).put("$ref", "#/components/schemas/Nothing");
        List<String> found = new OpenApiDocs(broken).structuralProblems();
        assertTrue(found.stream().anyMatch(x -> x.contains("{extra}") && x.contains("path parameters")), found.toString());
        assertTrue(found.stream().anyMatch(x -> x.contains("needs a description")), found.toString());
        assertTrue(found.stream().anyMatch(x -> x.contains("does not resolve")), found.toString());
        Path jar = TestEnv.packJars().stream().filter(p -> p.getFileName().toString().contains("providers")).findFirst().orElseThrow();
        try (JarFile f = new JarFile(jar.toFile())) {
            Properties pom = new Properties();
            pom.load(f.getInputStream(f.getEntry("META-INF/maven/io.iottokens/keycloak-iot-tokens-providers/pom.properties")));
            assertEquals(pom.getProperty("version"), docs.root().at("/info/version").asText(), "info.version is the project version");
        }
    }

    // ---- (d) every resource method of the JAR is documented ------------------------------------------

    /**
     * Each class with JAX-RS resource methods must sit under one mount of the document ({@code /realms/{realm}/<m>} or
     * {@code /admin/realms/{realm}/<m>}) where every one of its methods is a documented operation. Template variables
     * match any variable or literal segment (a method on {@code {id}/{action}} is covered by the documented
     * {@code {id}/suspend} and the like); {@code OPTIONS} preflights are not operations of the document.
     */
    @Test
    void everyResourceMethodOfTheJarIsDocumented() throws Exception {
        Path jar = TestEnv.packJars().stream().filter(p -> p.getFileName().toString().contains("providers")).findFirst().orElseThrow();
        Map<String, List<JaxRsScan.Endpoint>> classes = JaxRsScan.scan(jar);
        assertTrue(classes.size() >= 7, "the scan finds the pack's resource classes: " + classes.keySet());
        List<String> problems = undocumented(docs, classes);
        assertTrue(problems.isEmpty(), String.join("\n", problems));

        // not vacuous: without one documented operation (or with its path changed) the check fails
        ObjectNode without = docs.root().deepCopy();
        ((ObjectNode) without.at("/paths/~1realms~1{realm}~1devices~1associate")).remove("post");
        assertEquals(1, undocumented(new OpenApiDocs(without), classes).size(), "a missing operation is found");
        ObjectNode renamed = docs.root().deepCopy();
        ObjectNode paths = (ObjectNode) renamed.get("paths");
        paths.set("/realms/{realm}/api-keys/{id}/pause", paths.remove("/realms/{realm}/api-keys/{id}/suspend"));
        assertTrue(undocumented(new OpenApiDocs(renamed), classes).isEmpty(), "{id}/{action} of the code is covered by any documented action");
        paths.remove("/admin/realms/{realm}/devices/{id}/groups");
        assertEquals(1, undocumented(new OpenApiDocs(renamed), classes).size(), "a literal segment of the code must be documented");
    }

    /** The classes of the JAR none of whose mounts in {@code d} documents all their methods, with what is missing. */
    private static List<String> undocumented(OpenApiDocs d, Map<String, List<JaxRsScan.Endpoint>> classes) {
        Set<String> mounts = new TreeSet<>();
        for (Operation op : d.operations()) {
            String[] s = op.path().split("/");
            if (op.path().startsWith("/realms/{realm}/") && s.length > 3) {
                mounts.add("/realms/{realm}/" + s[3]);
            } else if (op.path().startsWith("/admin/realms/{realm}/") && s.length > 4) {
                mounts.add("/admin/realms/{realm}/" + s[4]);
            }
        }
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, List<JaxRsScan.Endpoint>> c : classes.entrySet()) {
            List<String> fitting = mounts.stream().filter(m -> c.getValue().stream().allMatch(e -> documented(d, m, e))).toList();
            if (fitting.isEmpty()) {
                List<String> missing = c.getValue().stream()
                        .filter(e -> mounts.stream().noneMatch(m -> documented(d, m, e)))
                        .map(e -> e.httpMethod() + " <mount>/" + e.path() + " (" + e.javaMethod() + ")").toList();
                problems.add(c.getKey() + ": no mount of the document holds all its methods; not documented anywhere: " + missing);
            }
        }
        return problems;
    }

    private static boolean documented(OpenApiDocs docs, String mount, JaxRsScan.Endpoint e) {
        String[] rel = e.path().isEmpty() ? new String[0] : e.path().split("/");
        for (Operation op : docs.operations()) {
            if (!op.method().equalsIgnoreCase(e.httpMethod()) || !(op.path().equals(mount) || op.path().startsWith(mount + "/"))) {
                continue;
            }
            String rest = op.path().substring(mount.length());
            String[] doc = rest.isEmpty() ? new String[0] : rest.substring(1).split("/");
            if (doc.length != rel.length) {
                continue;
            }
            boolean ok = true;
            for (int i = 0; i < doc.length && ok; i++) {
                // a variable of the code covers whatever the document has there; a literal of the code must be that literal
                ok = rel[i].startsWith("{") || rel[i].equals(doc[i]);
            }
            if (ok) {
                return true;
            }
        }
        return false;
    }

    // ---- (b) + (c) every documented status, reached ------------------------------------------------------

    /** What the requests reached, per operation id, and what went wrong (collected so one run shows everything). */
    private final Map<String, Set<Integer>> reached = new TreeMap<>();
    private final List<String> problems = new ArrayList<>();
    private Api api;

    @Test
    void everyDocumentedStatusIsReachedAndNothingElse(Api api) throws Exception {
        this.api = api;
        Fixture f = new Fixture(api);
        group("document", () -> documentRecipes());
        group("API keys", () -> apiKeyRecipes(f));
        group("API keys (admin)", () -> adminApiKeyRecipes(f));
        group("devices", () -> deviceRecipes(f));
        group("devices (admin)", () -> adminDeviceRecipes(f));
        group("purposed tokens", () -> purposedRecipes(f));
        group("purposed tokens (admin)", () -> adminPurposedRecipes(f));
        group("bootstrap", () -> bootstrapRecipes(f));
        group("tenant delegation", () -> tenantRecipes(f));
        group("tenant delegation (admin)", () -> adminTenantRecipes(f));
        group("tenant levels broken", () -> brokenTenantLevelRecipes(f));
        group("settings (admin)", () -> adminSettingsRecipes(f));
        group("token endpoint", () -> tokenRecipes(f));
        group("introspection", () -> introspectionRecipes(f));

        for (Operation op : docs.operations()) {
            Set<Integer> got = reached.getOrDefault(op.id(), Set.of());
            if (got.isEmpty()) {
                problems.add(op + ": no request reached it (path or method not exercised)");
            }
            for (int status : op.statuses()) {
                if (!got.contains(status) && !EXCLUDED.containsKey(op.id() + "/" + status) && !EXCLUDED.containsKey("*/" + status)) {
                    problems.add(op + ": documents " + status + ", which no request reached and which is not excluded");
                }
            }
        }
        for (String excluded : EXCLUDED.keySet()) {
            String[] k = excluded.split("/");
            int status = Integer.parseInt(k[1]);
            boolean documented = docs.operations().stream().anyMatch(o -> (k[0].equals("*") || k[0].equals(o.id())) && o.statuses().contains(status));
            if (!documented) {
                problems.add("exclusion " + excluded + " names a status no such operation documents");
            }
        }
        System.out.println("OpenApiContractIT reached: " + reached);
        assertTrue(problems.isEmpty(), problems.size() + " contract problems:\n" + String.join("\n", problems));
    }

    private interface Recipes {
        void run() throws Exception;
    }

    private void group(String name, Recipes r) {
        try {
            r.run();
        } catch (Exception | AssertionError e) {
            problems.add(name + ": the recipes stopped: " + e);
        }
    }

    /** A request to a documented operation: its method and path come from the document. */
    private final class Call {
        private final Operation op;
        private final List<String> args = new ArrayList<>();
        private String query = "";
        private String authorization;
        private String contentType;
        private String body;
        private final Map<String, String> headers = new LinkedHashMap<>();

        Call(String operationId) {
            this.op = docs.operation(operationId);
        }

        Call args(String... values) {
            args.addAll(List.of(values));
            return this;
        }

        Call query(String q) {
            query = "?" + q;
            return this;
        }

        Call bearer(String token) {
            authorization = token == null ? null : "Bearer " + token;
            return this;
        }

        Call json(Object value) throws Exception {
            return body("application/json", value instanceof String s ? s : Api.JSON.writeValueAsString(value));
        }

        Call body(String type, String text) {
            contentType = type;
            body = text;
            return this;
        }

        Call form(Map<String, String> form) {
            return body("application/x-www-form-urlencoded", Api.form(form));
        }

        Call header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        String url() {
            String path = op.path().replace("{realm}", Api.REALM);
            Iterator<String> values = args.iterator();
            StringBuilder out = new StringBuilder();
            for (String segment : path.split("/", -1)) {
                if (out.length() > 0 || !segment.isEmpty()) {
                    out.append('/');
                }
                out.append(segment.startsWith("{") ? URLEncoder.encode(values.next(), StandardCharsets.UTF_8).replace("+", "%20") : segment);
            }
            return api.server().baseUrl() + out + query;
        }

        /** Sends the request; records what it reached; checks the status, the documented schema and headers. */
        Api.Resp expect(int status) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url()));
            b.method(op.method().toUpperCase(), body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            if (contentType != null) {
                b.header("Content-Type", contentType);
            }
            if (authorization != null) {
                b.header("Authorization", authorization);
            }
            headers.forEach(b::header);
            Api.Resp r = api.send(b);
            reached.computeIfAbsent(op.id(), k -> new TreeSet<>()).add(r.status());
            String where = op + " expecting " + status;
            if (r.status() != status) {
                problems.add(where + ": got " + r);
            }
            if (!op.statuses().contains(r.status())) {
                problems.add(where + ": answered " + r.status() + ", which the document does not list");
                return r;
            }
            if (r.status() == 404 || r.status() == 405) {
                JsonNode j = parse(r);
                if (r.status() == 405 || j == null || !"not_found".equals(j.path("error").asText())) {
                    problems.add(where + ": " + r.status() + " is not the pack's not_found (not routed?): " + r);
                }
            }
            conforms(r, where);
            return r;
        }

        private void conforms(Api.Resp r, String where) {
            JsonNode response = docs.response(op, r.status());
            response.path("headers").fields().forEachRemaining(h -> {
                JsonNode header = docs.resolve(h.getValue());
                var value = r.header(h.getKey());
                if (value.isEmpty()) {
                    problems.add(where + ": documented header " + h.getKey() + " missing: " + r.headers());
                } else if (header.at("/schema/const").isTextual() && !header.at("/schema/const").asText().equals(value.get())) {
                    problems.add(where + ": header " + h.getKey() + " is " + value.get() + ", documented " + header.at("/schema/const"));
                }
            });
            JsonNode content = response.path("content");
            if (content.isMissingNode() || content.isEmpty()) {
                return;
            }
            String type = r.header("Content-Type").orElse("").split(";")[0].trim();
            if (!content.has(type)) {
                problems.add(where + ": Content-Type '" + type + "' is not among the documented " + content.properties().stream().map(Map.Entry::getKey).toList());
                return;
            }
            if ("application/json".equals(type)) {
                JsonNode j = parse(r);
                if (j == null) {
                    problems.add(where + ": not JSON: " + r);
                    return;
                }
                List<String> v = docs.violations(j, content.get(type).get("schema"), "body");
                if (!v.isEmpty()) {
                    problems.add(where + ": the answer breaks its schema: " + v + " in " + r);
                }
            }
        }
    }

    private static JsonNode parse(Api.Resp r) {
        try {
            return Api.JSON.readTree(r.body());
        } catch (Exception e) {
            return null;
        }
    }

    private Call call(String operationId) {
        return new Call(operationId);
    }

    private static String tooLarge(int bytes) {
        return "{\"memo\": \"" + "x".repeat(bytes) + "\"}";
    }

    // ---- fixture ------------------------------------------------------------------------------------

    /** People, tokens and applications the recipes use; each test run makes its own. */
    private static final class Fixture {
        final String userA;
        final String userAId;
        final String loginA;
        final String userB;
        final String loginB;
        final String keyTokenA;
        final String keyA;
        final String secretA;
        private final Api api;

        Fixture(Api api) {
            userA = Api.unique("contract-a");
            userAId = api.createUser(userA, PW, "user");
            loginA = api.userToken(userA, PW);
            userB = Api.unique("contract-b");
            api.createUser(userB, PW, "user");
            loginB = api.userToken(userB, PW);
            Api.Resp key = api.createApiKey(loginA, Map.of("memo", "contract fixture", "duration", "1d"));
            assertEquals(201, key.status(), key.toString());
            keyA = key.json().get("key").asText();
            secretA = key.json().get("secret").asText();
            Api.Resp grant = api.apiKeyGrant("iot-api", keyA, secretA, null);
            assertEquals(200, grant.status(), grant.toString());
            keyTokenA = grant.json().get("access_token").asText();
            this.api = api;
        }

        /**
         * A master admin token, asked for at each use: it lives 60 s, and the recipes take longer than that on a busy
         * machine ({@link Api#adminToken} renews it shortly before it expires).
         */
        String admin() {
            return api.adminToken();
        }
    }

    /** A key of user A (by A's login token), its id. */
    private String newKey(Fixture f) {
        Api.Resp r = api.createApiKey(f.loginA, Map.of("memo", "contract", "duration", "1d"));
        assertEquals(201, r.status(), r.toString());
        return r.json().get("id").asText();
    }

    private String revokedKey(Fixture f) {
        String id = newKey(f);
        assertEquals(200, api.postJson(api.apiKeysUrl() + "/" + id + "/revoke", Map.of(), f.loginA).status());
        return id;
    }

    // ---- recipes ------------------------------------------------------------------------------------

    private void documentRecipes() {
        call("openApiYaml").expect(200);
        call("openApiJson").expect(200);
    }

    private void apiKeyRecipes(Fixture f) throws Exception {
        call("listApiKeys").bearer(f.loginA).expect(200);
        call("listApiKeys").bearer(f.loginA).query("status=active&first=0&max=5").expect(200);
        call("listApiKeys").bearer(f.loginA).query("max=0").expect(400);
        call("listApiKeys").expect(401);
        call("listApiKeys").bearer(f.keyTokenA).expect(403);

        Api.Resp created = call("createApiKey").bearer(f.loginA).json(Map.of("memo", "contract", "duration", "1d", "roles", List.of("user"))).expect(201);
        assertTrue(created.header("Location").orElse("").endsWith("/api-keys/" + created.json().get("id").asText()), created.headers().toString());
        call("createApiKey").bearer(f.loginA).json(Map.of("bogus", 1)).expect(400);
        call("createApiKey").bearer(f.loginA).json("{\"memo\": \"a\", \"memo\": \"b\"}").expect(400);
        call("createApiKey").bearer(f.loginA).json(Map.of("duration", "1d")).header("X-Ignored", "1").expect(201);
        call("createApiKey").json(Map.of()).expect(401);
        call("createApiKey").bearer(f.keyTokenA).json(Map.of()).expect(403);
        call("createApiKey").bearer(f.loginA).json(Map.of("roles", List.of("admin"))).expect(403);
        call("createApiKey").bearer(f.loginA).json(tooLarge(17 * 1024)).expect(413);
        call("createApiKey").bearer(f.loginA).body("text/plain", "{}").expect(415);
        call("createApiKey").bearer(f.loginA).form(Map.of("memo", "a form")).expect(415);
        // the most keys one user may hold (100 by default): a user of its own fills them up
        String full = Api.unique("contract-full");
        String fullId = api.createUser(full, PW, "user");
        String fullLogin = api.userToken(full, PW);
        int made = 0;
        while (made < 100 && api.createApiKey(fullLogin, Map.of("duration", "1d")).status() == 201) {
            made++;
        }
        assertEquals(100, made, "the default maximum of keys per user");
        call("createApiKey").bearer(fullLogin).json(Map.of()).expect(409);
        call("adminCreateApiKey").bearer(f.admin()).json(Map.of("userId", fullId)).expect(409);

        String id = newKey(f);
        call("getApiKey").args("no-such-key").bearer(f.loginA).expect(404);
        String revoked = revokedKey(f);
        keyStateRecipes("", id, revoked, f.loginA, f.keyTokenA, f.loginB, id);
        call("rotateApiKey").args(id).bearer(f.loginA).json(Map.of("graceSeconds", 60)).expect(200);
        call("rotateApiKey").args(id).bearer(f.loginA).expect(200);
        call("rotateApiKey").args(id).bearer(f.loginA).json(Map.of("graceSeconds", -1)).expect(400);
        call("rotateApiKey").args(id).bearer(f.loginA).json(Map.of("graceSeconds", 604801)).expect(400);
        call("rotateApiKey").args(id).expect(401);
        call("rotateApiKey").args(id).bearer(f.keyTokenA).expect(403);
        call("rotateApiKey").args(id).bearer(f.loginB).expect(404);
        call("rotateApiKey").args(revoked).bearer(f.loginA).expect(409);
        call("rotateApiKey").args(id).bearer(f.loginA).json(tooLarge(17 * 1024)).expect(413);
        call("rotateApiKey").args(id).bearer(f.loginA).body("text/plain", "{}").expect(415);

        call("revokeApiKey").args(id).bearer(f.loginA).expect(200);
        call("revokeApiKey").args(id).bearer(f.loginA).expect(200);
        call("revokeApiKey").args(id).expect(401);
        call("revokeApiKey").args(id).bearer(f.keyTokenA).expect(403);
        call("revokeApiKey").args(id).bearer(f.loginB).expect(404);

        call("deleteApiKey").args(id).expect(401);
        call("deleteApiKey").args(id).bearer(f.keyTokenA).expect(403);
        call("deleteApiKey").args(id).bearer(f.loginB).expect(404);
        call("deleteApiKey").args(id).bearer(f.loginA).expect(204);
        call("deleteApiKey").args(id).bearer(f.loginA).expect(404);
    }

    /**
     * Get, suspend and resume of a key ({@code prefix} "" for the self-service operations, "admin" for the admin ones):
     * 200 with {@code allowed}, 401 without a bearer, 403 with {@code refused}, 404 for {@code unseenId} as
     * {@code unseenBy}, 409 for a revoked key.
     */
    private void keyStateRecipes(String prefix, String id, String revoked, String allowed, String refused, String unseenBy, String unseenId) {
        for (String name : List.of("GetApiKey", "SuspendApiKey", "ResumeApiKey")) {
            String op = prefix.isEmpty() ? Character.toLowerCase(name.charAt(0)) + name.substring(1) : prefix + name;
            call(op).args(id).bearer(allowed).expect(200);
            call(op).args(id).expect(401);
            call(op).args(id).bearer(refused).expect(403);
            call(op).args(unseenId).bearer(unseenBy).expect(404);
            if (!name.startsWith("Get")) {
                call(op).args(revoked).bearer(allowed).expect(409);
            }
        }
    }

    private void adminApiKeyRecipes(Fixture f) throws Exception {
        call("adminListApiKeys").bearer(f.admin()).expect(200);
        call("adminListApiKeys").bearer(f.admin()).query("user=" + f.userA + "&status=active&max=3").expect(200);
        call("adminListApiKeys").bearer(f.admin()).query("status=dormant").expect(400);
        call("adminListApiKeys").expect(401);
        call("adminListApiKeys").bearer(f.keyTokenA).expect(401);
        call("adminListApiKeys").bearer(f.loginA).expect(403);
        call("adminListApiKeys").bearer(f.admin()).query("user=" + Api.unique("nobody")).expect(404);

        Api.Resp created = call("adminCreateApiKey").bearer(f.admin()).json(Map.of("userId", f.userAId, "memo", "by admin")).expect(201);
        String id = created.json().get("id").asText();
        call("adminCreateApiKey").bearer(f.admin()).json(Map.of("userId", f.userA, "duration", "1w")).expect(201);
        call("adminCreateApiKey").bearer(f.admin()).json(Map.of("memo", "no owner")).expect(400);
        call("adminCreateApiKey").bearer(f.admin()).expect(400);
        call("adminCreateApiKey").json(Map.of("userId", f.userAId)).expect(401);
        call("adminCreateApiKey").bearer(f.loginA).json(Map.of("userId", f.userAId)).expect(403);
        call("adminCreateApiKey").bearer(f.admin()).json(Map.of("userId", f.userAId, "roles", List.of("admin"))).expect(403);
        call("adminCreateApiKey").bearer(f.admin()).json(Map.of("userId", Api.unique("nobody"))).expect(404);
        call("adminCreateApiKey").bearer(f.admin()).json(tooLarge(17 * 1024)).expect(413);
        call("adminCreateApiKey").bearer(f.admin()).body("text/plain", "{}").expect(415);

        String revoked = revokedKey(f);
        keyStateRecipes("admin", id, revoked, f.admin(), f.loginA, f.admin(), "no-such-key");
        call("adminRotateApiKey").args(id).bearer(f.admin()).json(Map.of("graceSeconds", 0)).expect(200);
        call("adminRotateApiKey").args(id).bearer(f.admin()).json(Map.of("graceSeconds", "soon")).expect(400);
        call("adminRotateApiKey").args(id).expect(401);
        call("adminRotateApiKey").args(id).bearer(f.loginA).expect(403);
        call("adminRotateApiKey").args("no-such-key").bearer(f.admin()).expect(404);
        call("adminRotateApiKey").args(revoked).bearer(f.admin()).expect(409);
        call("adminRotateApiKey").args(id).bearer(f.admin()).json(tooLarge(17 * 1024)).expect(413);
        call("adminRotateApiKey").args(id).bearer(f.admin()).body("application/xml", "<x/>").expect(415);

        call("adminRevokeApiKey").args(id).bearer(f.admin()).expect(200);
        call("adminRevokeApiKey").args(id).expect(401);
        call("adminRevokeApiKey").args(id).bearer(f.loginA).expect(403);
        call("adminRevokeApiKey").args("no-such-key").bearer(f.admin()).expect(404);

        call("adminDeleteApiKey").args(id).expect(401);
        call("adminDeleteApiKey").args(id).bearer(f.loginA).expect(403);
        call("adminDeleteApiKey").args(id).bearer(f.admin()).expect(204);
        call("adminDeleteApiKey").args(id).bearer(f.admin()).expect(404);
    }

    private String signedKeyBody(TestDeviceKeys key) throws Exception {
        return Api.JSON.writeValueAsString(Map.of("publicKey", key.jwk));
    }

    private void deviceRecipes(Fixture f) throws Exception {
        // a node A owns (associated by A's edge token), without a key
        String nodeA = Edge.ownedNode(api, f.userA, PW);
        call("listDevices").bearer(f.loginA).expect(200);
        call("listDevices").bearer(f.loginA).query("first=x").expect(400);
        call("listDevices").expect(401);
        call("listDevices").bearer(f.keyTokenA).expect(403);
        call("getDevice").args(nodeA).bearer(f.loginA).expect(200);
        call("getDevice").args(nodeA).expect(401);
        call("getDevice").args(nodeA).bearer(f.keyTokenA).expect(403);
        call("getDevice").args(nodeA).bearer(f.loginB).expect(404);

        // the device registers its own key: 201, the same key again 200, another key 409
        TestDeviceKeys k1 = TestDeviceKeys.ec();
        TestDeviceKeys k2 = TestDeviceKeys.ed25519();
        String thing = Api.unique("thing");
        String b1 = signedKeyBody(k1);
        String b2 = signedKeyBody(k2);
        call("registerDeviceKey").args(thing).json(b1).header("X-Signature", k1.sign(b1, false)).expect(201);
        call("registerDeviceKey").args(thing).json(b1).header("X-Ubirch-Signature", k1.sign(b1, true)).expect(200);
        call("registerDeviceKey").args(thing).json(b2).header("X-Signature", k2.sign(b2, false)).expect(409);
        call("registerDeviceKey").args(Api.unique("thing")).json(b1).expect(400);
        call("registerDeviceKey").args(Api.unique("thing")).json(b1).header("X-Signature", k2.sign(b1, false)).expect(400);
        call("registerDeviceKey").args("bad id!").json(b1).header("X-Signature", k1.sign(b1, false)).expect(400);
        String big = "{\"publicKey\": " + Api.JSON.writeValueAsString(k1.jwk) + ", \"pad\": \"" + "x".repeat(17 * 1024) + "\"}";
        call("registerDeviceKey").args(Api.unique("thing")).json(big).header("X-Signature", k1.sign(big, false)).expect(413);
        call("registerDeviceKey").args(Api.unique("thing")).body("text/plain", b1).header("X-Signature", k1.sign(b1, false)).expect(415);
        // a device with an owner takes a key only with the owner's login token
        call("registerDeviceKey").args(nodeA).json(b1).header("X-Signature", k1.sign(b1, false)).expect(401);
        call("registerDeviceKey").args(nodeA).json(b1).header("X-Signature", k1.sign(b1, false)).bearer(f.keyTokenA).expect(403);
        call("registerDeviceKey").args(nodeA).json(b1).header("X-Signature", k1.sign(b1, false)).bearer(f.loginB).expect(404);
        call("registerDeviceKey").args(nodeA).json(b1).header("X-Signature", k1.sign(b1, false)).bearer(f.loginA).expect(201);

        // associate / unassociate with edge tokens
        String freeNode = Api.unique("node");
        String edgeA = Edge.edgeToken(api, f.userA, PW, freeNode);
        call("associateNode").bearer(edgeA).expect(200);
        call("associateNode").bearer(edgeA).expect(200);
        call("associateNode").expect(401);
        call("associateNode").bearer(f.loginA).expect(403);
        String edgeBOnA = Edge.edgeToken(api, f.userB, PW, freeNode);
        call("associateNode").bearer(edgeBOnA).expect(409);
        call("unassociateNode").bearer(edgeBOnA).expect(409);
        String unassociateOnly = edgeToken(f.userA, Api.unique("node"), "openid edge:account:unassociate");
        call("associateNode").bearer(unassociateOnly).expect(403);
        call("unassociateNode").bearer(unassociateOnly).expect(200);
        call("unassociateNode").expect(401);
        call("unassociateNode").bearer(f.loginA).expect(403);
        call("unassociateNode").bearer(edgeA).expect(200);

        String other = Edge.ownedNode(api, f.userA, PW);
        call("forgetDevice").args(other).expect(401);
        call("forgetDevice").args(other).bearer(f.keyTokenA).expect(403);
        call("forgetDevice").args(other).bearer(f.loginB).expect(404);
        call("forgetDevice").args(other).bearer(f.loginA).expect(204);
        call("forgetDevice").args(other).bearer(f.loginA).expect(404);

        // the owner ends a node's association with their login token; not associated (a repeat) is nobody's: 404
        String owned = Edge.ownedNode(api, f.userA, PW);
        call("unassociateOwnDevice").args(owned).expect(401);
        call("unassociateOwnDevice").args(owned).bearer(f.keyTokenA).expect(403);
        call("unassociateOwnDevice").args(owned).bearer(f.loginB).expect(404);
        call("unassociateOwnDevice").args(owned).bearer(f.loginA).expect(200);
        call("unassociateOwnDevice").args(owned).bearer(f.loginA).expect(404);
    }

    /** An edge token with a chosen scope (the edge exchange narrowed by {@code scope}). */
    private String edgeToken(String user, String node, String scope) {
        Api.Resp login = api.codeFlow("developer-console", Edge.CALLBACK, user, PW, "openid");
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", EXCHANGE);
        form.put("client_id", "edge-cli");
        form.put("subject_token", login.json().get("id_token").asText());
        form.put("subject_token_type", Edge.ID_TOKEN_TYPE);
        form.put("node_id", node);
        form.put("scope", scope);
        Api.Resp r = call("token").form(form).expect(200);
        return r.json().get("access_token").asText();
    }

    private void adminDeviceRecipes(Fixture f) throws Exception {
        String device = Devices.registeredDevice(api, TestDeviceKeys.ec());
        call("adminListDevices").bearer(f.admin()).expect(200);
        call("adminListDevices").bearer(f.admin()).query("owner=" + f.userA + "&max=100").expect(200);
        call("adminListDevices").bearer(f.admin()).query("max=101").expect(400);
        call("adminListDevices").expect(401);
        call("adminListDevices").bearer(f.loginA).expect(403);
        call("adminListDevices").bearer(f.admin()).query("owner=" + Api.unique("nobody")).expect(404);
        call("adminListDevices").bearer(f.admin()).query("group=" + Api.unique("nogroup")).expect(404);

        call("adminGetDevice").args(device).bearer(f.admin()).expect(200);
        call("adminGetDevice").args(device).expect(401);
        call("adminGetDevice").args(device).bearer(f.loginA).expect(403);
        call("adminGetDevice").args(Api.unique("nothing")).bearer(f.admin()).expect(404);

        Api.Resp g = api.adminPost("/groups", Map.of("name", Api.unique("contract-group")));
        String group = g.header("Location").orElseThrow().replaceAll(".*/", "");
        call("adminSetDeviceGroups").args(device).bearer(f.admin()).json(Map.of("groups", List.of(group))).expect(200);
        call("adminSetDeviceGroups").args(device).bearer(f.admin()).json(Map.of("groups", List.of())).expect(200);
        call("adminSetDeviceGroups").args(device).bearer(f.admin()).json(Map.of("groups", List.of(Api.unique("nogroup")))).expect(400);
        call("adminSetDeviceGroups").args(device).bearer(f.admin()).json(Map.of()).expect(400);
        call("adminSetDeviceGroups").args(device).json(Map.of("groups", List.of())).expect(401);
        call("adminSetDeviceGroups").args(device).bearer(f.loginA).json(Map.of("groups", List.of())).expect(403);
        call("adminSetDeviceGroups").args(Api.unique("nothing")).bearer(f.admin()).json(Map.of("groups", List.of())).expect(404);
        call("adminSetDeviceGroups").args(device).bearer(f.admin()).json("{\"groups\": [], \"pad\": \"" + "x".repeat(17 * 1024) + "\"}").expect(413);
        call("adminSetDeviceGroups").args(device).bearer(f.admin()).body("text/plain", "{\"groups\": []}").expect(415);

        // an administrator with only query-users: a filtered list, 404 for no device, 403 for a device without owner
        String querier = managementUserToken("contract-querier", "query-users");
        call("adminListDevices").bearer(querier).expect(200);
        call("adminGetDevice").args(Api.unique("nothing")).bearer(querier).expect(404);
        call("adminGetDevice").args(device).bearer(querier).expect(403);
        call("adminDeleteDevice").args(device).bearer(querier).expect(403);

        call("adminDeleteDevice").args(device).expect(401);
        call("adminDeleteDevice").args(device).bearer(f.loginA).expect(403);
        call("adminDeleteDevice").args(device).bearer(f.admin()).expect(204);
        call("adminDeleteDevice").args(device).bearer(f.admin()).expect(404);

        // an administrator ends a node's association; a device that is not associated is a 409
        String node = Edge.ownedNode(api, f.userA, PW);
        call("adminUnassociateDevice").args(node).expect(401);
        call("adminUnassociateDevice").args(node).bearer(f.loginA).expect(403);
        call("adminUnassociateDevice").args(node).bearer(querier).expect(403);
        call("adminUnassociateDevice").args(Api.unique("nothing")).bearer(f.admin()).expect(404);
        call("adminUnassociateDevice").args(node).bearer(f.admin()).expect(200);
        call("adminUnassociateDevice").args(node).bearer(f.admin()).expect(409);
    }

    private static Map<String, Object> claimObject(String purpose) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("purpose", purpose);
        b.put("targetIdentities", List.of("*"));
        b.put("targetGroups", List.of());
        b.put("expiration", 3600);
        b.put("notBefore", null);
        b.put("originDomains", List.of("https://verify.example.com"));
        b.put("scopes", List.of("upp:verify"));
        return b;
    }

    private void purposedRecipes(Fixture f) throws Exception {
        call("purposedScopes").expect(200);
        call("purposedJwks").expect(200);

        Api.Resp created = call("createPurposedToken").bearer(f.loginA).json(claimObject("contract test")).expect(201);
        String id = created.json().get("id").asText();
        call("createPurposedToken").bearer(f.loginA).json(Map.of("purpose", "short", "scopes", List.of("upp:verify"))).expect(400);
        call("createPurposedToken").bearer(f.loginA).json(Map.of("purpose", "contract test", "scopes", List.of("no:such"))).expect(400);
        call("createPurposedToken").json(claimObject("contract test")).expect(401);
        call("createPurposedToken").bearer(created.json().get("token").asText()).json(claimObject("contract test")).expect(401);
        call("createPurposedToken").bearer(f.keyTokenA).json(claimObject("contract test")).expect(403);
        Map<String, Object> foreignTenant = claimObject("contract test");
        foreignTenant.put("tenantId", UUID.randomUUID().toString());
        call("createPurposedToken").bearer(f.loginA).json(foreignTenant).expect(403);
        Map<String, Object> huge = claimObject("contract test");
        huge.put("purpose", "x".repeat(65 * 1024));
        call("createPurposedToken").bearer(f.loginA).json(huge).expect(413);
        call("createPurposedToken").bearer(f.loginA).body("text/plain", Api.JSON.writeValueAsString(claimObject("contract test"))).expect(415);

        call("listPurposedTokens").bearer(f.loginA).expect(200);
        call("listPurposedTokens").bearer(f.loginA).query("first=-1").expect(400);
        call("listPurposedTokens").expect(401);
        call("listPurposedTokens").bearer(f.keyTokenA).expect(403);

        call("deletePurposedToken").args(id).expect(401);
        call("deletePurposedToken").args(id).bearer(f.keyTokenA).expect(403);
        call("deletePurposedToken").args(id).bearer(f.loginB).expect(404);
        call("deletePurposedToken").args(id).bearer(f.loginA).expect(204);
        call("deletePurposedToken").args(id).bearer(f.loginA).expect(404);
    }

    /** A new user holding the given realm-management roles: their login token. */
    private String managementUserToken(String prefix, String... roles) {
        String name = Api.unique(prefix);
        String id = api.createUser(name, PW);
        String rm = api.adminGet("/clients?clientId=realm-management").json().get(0).get("id").asText();
        List<JsonNode> mapped = new ArrayList<>();
        for (String role : roles) {
            mapped.add(api.adminGet("/clients/" + rm + "/roles/" + role).json());
        }
        assertEquals(204, api.adminPost("/users/" + id + "/role-mappings/clients/" + rm, mapped).status());
        return api.userToken(name, PW);
    }

    private void adminPurposedRecipes(Fixture f) throws Exception {
        Api.Resp created = api.postJson(api.server().realmUrl(Api.REALM) + "/purposed-tokens", claimObject("contract admin"), f.loginA);
        assertEquals(201, created.status(), created.toString());
        String id = created.json().get("id").asText();

        call("adminListPurposedTokens").bearer(f.admin()).expect(200);
        call("adminListPurposedTokens").bearer(f.admin()).query("user=" + f.userA + "&first=0&max=5").expect(200);
        call("adminListPurposedTokens").bearer(f.admin()).query("user=" + f.userAId).expect(200);
        call("adminListPurposedTokens").bearer(f.admin()).query("max=0").expect(400);
        call("adminListPurposedTokens").expect(401);
        call("adminListPurposedTokens").bearer(f.keyTokenA).expect(401);
        call("adminListPurposedTokens").bearer(f.loginA).expect(403);
        call("adminListPurposedTokens").bearer(f.admin()).query("user=" + Api.unique("nobody")).expect(404);

        adminGetAndRevokeRecipes(f, "PurposedToken", id, "view-users");
        call("adminGetPurposedToken").args(id).bearer(f.admin()).expect(404);
    }

    /**
     * Get and revoke of one object at an admin resource ({@code adminGet<kind>}, {@code adminRevoke<kind>}): 200 and
     * 204 for the admin, 401 without a bearer, 403 for a plain user, 404 for an unknown id and once revoked; a holder
     * of {@code viewRole} alone reads (200) but does not revoke (403).
     */
    private void adminGetAndRevokeRecipes(Fixture f, String kind, String id, String viewRole) {
        call("adminGet" + kind).args(id).bearer(f.admin()).expect(200);
        call("adminGet" + kind).args(id).expect(401);
        call("adminGet" + kind).args(id).bearer(f.loginA).expect(403);
        call("adminGet" + kind).args(UUID.randomUUID().toString()).bearer(f.admin()).expect(404);
        String viewer = managementUserToken("contract-viewer", viewRole);
        call("adminGet" + kind).args(id).bearer(viewer).expect(200);
        call("adminRevoke" + kind).args(id).bearer(viewer).expect(403);
        call("adminRevoke" + kind).args(id).expect(401);
        call("adminRevoke" + kind).args(id).bearer(f.loginA).expect(403);
        call("adminRevoke" + kind).args(id).bearer(f.admin()).expect(204);
        call("adminRevoke" + kind).args(id).bearer(f.admin()).expect(404);
    }

    private void bootstrapRecipes(Fixture f) throws Exception {
        // the owner: a member of a group, holding a bootstrap token for it
        String owner = Api.unique("contract-owner");
        String ownerId = api.createUser(owner, PW, "user");
        String ownerToken = api.userToken(owner, PW);
        Api.Resp g = api.adminPost("/groups", Map.of("name", Api.unique("contract-kitchen")));
        String groupId = g.header("Location").orElseThrow().replaceAll(".*/", "");
        assertEquals(204, api.adminPut("/users/" + ownerId + "/groups/" + groupId, Map.of()).status());
        Map<String, Object> claim = claimObject("Kitchen_Contract");
        claim.put("targetIdentities", List.of());
        claim.put("targetGroups", List.of(groupId));
        claim.put("originDomains", List.of());
        claim.put("scopes", List.of("thing:bootstrap"));
        Api.Resp boot = api.postJson(api.server().realmUrl(Api.REALM) + "/purposed-tokens", claim, ownerToken);
        assertEquals(201, boot.status(), boot.toString());
        String bootToken = boot.json().get("token").asText();

        TestDeviceKeys key = TestDeviceKeys.ec();
        String device = Devices.registeredDevice(api, key);
        String body = Api.JSON.writeValueAsString(Map.of("token", bootToken, "identity", device, "timestamp", System.currentTimeMillis() / 1000));
        call("bootstrapDevice").json(body).header("X-Signature", key.sign(body, false)).expect(200);
        call("bootstrapDevice").json(body).header("X-Signature", key.sign(body, false)).expect(409);
        call("bootstrapDevice").json(body).expect(400);
        String stale = Api.JSON.writeValueAsString(Map.of("token", bootToken, "identity", device, "timestamp", 1_000_000_000L));
        call("bootstrapDevice").json(stale).header("X-Signature", key.sign(stale, false)).expect(400);
        String fresh = Api.JSON.writeValueAsString(Map.of("token", bootToken, "identity", device, "timestamp", System.currentTimeMillis() / 1000 + 1));
        call("bootstrapDevice").json(fresh).header("X-Signature", TestDeviceKeys.ec().sign(fresh, false)).expect(403);
        String big = "{\"token\": \"" + "x".repeat(21 * 1024) + "\"}";
        call("bootstrapDevice").json(big).header("X-Signature", key.sign(big, false)).expect(413);
        call("bootstrapDevice").body("text/plain", fresh).header("X-Signature", key.sign(fresh, false)).expect(415);
    }

    private record App(String clientId, String secret, String serviceAccountToken) {
    }

    private App application() {
        String clientId = Api.unique("contract-app");
        String secret = UUID.randomUUID().toString();
        Api.Resp app = api.adminPost("/clients", Map.of("clientId", clientId, "publicClient", false, "secret", secret,
                "serviceAccountsEnabled", true, "standardFlowEnabled", false, "directAccessGrantsEnabled", false));
        assertEquals(201, app.status(), app.toString());
        Api.Resp cc = api.token(Map.of("grant_type", "client_credentials", "client_id", clientId, "client_secret", secret));
        assertEquals(200, cc.status(), cc.toString());
        return new App(clientId, secret, cc.json().get("access_token").asText());
    }

    private record Org(String id, String alias) {
    }

    private Org organization() {
        String alias = Api.unique("contract-org");
        Api.Resp org = api.adminPost("/organizations", Map.of("name", alias, "alias", alias, "domains", List.of(Map.of("name", alias + ".example.com"))));
        assertEquals(201, org.status(), org.toString());
        return new Org(org.header("Location").orElseThrow().replaceAll(".*/", ""), alias);
    }

    private void tenantRecipes(Fixture f) throws Exception {
        String manager = api.realmManagerToken();
        Org tenant = organization();
        String org = tenant.alias();
        App app = application();
        App other = application();

        call("putTenantGrant").args(org, app.clientId()).bearer(manager).json(Map.of("accessLevel", "read-write")).expect(201);
        call("putTenantGrant").args(org, app.clientId()).bearer(manager).json(Map.of("accessLevel", "custom", "scopes", List.of("iot:assets:read"))).expect(200);
        call("putTenantGrant").args(org, app.clientId()).bearer(manager).json(Map.of("accessLevel", "everything")).expect(400);
        call("putTenantGrant").args(org, "iot-api").bearer(manager).json(Map.of("accessLevel", "limited")).expect(400);
        call("putTenantGrant").args(org, app.clientId()).json(Map.of("accessLevel", "limited")).expect(401);
        call("putTenantGrant").args(org, app.clientId()).bearer(f.keyTokenA).json(Map.of("accessLevel", "limited")).expect(403);
        call("putTenantGrant").args(org, Api.unique("no-app")).bearer(manager).json(Map.of("accessLevel", "limited")).expect(404);
        call("putTenantGrant").args(Api.unique("no-org"), app.clientId()).bearer(manager).json(Map.of("accessLevel", "limited")).expect(404);
        call("putTenantGrant").args(org, app.clientId()).bearer(manager).json("{\"accessLevel\": \"" + "x".repeat(17 * 1024) + "\"}").expect(413);
        call("putTenantGrant").args(org, app.clientId()).bearer(manager).body("text/plain", "{\"accessLevel\": \"limited\"}").expect(415);
        call("putTenantGrant").args(org, other.clientId()).bearer(manager).json(Map.of("accessLevel", "limited")).expect(201);

        call("listTenantGrants").args(org).bearer(manager).expect(200);
        call("listTenantGrants").args(org).bearer(manager).query("max=abc").expect(400);
        call("listTenantGrants").args(org).expect(401);
        call("listTenantGrants").args(org).bearer(f.keyTokenA).expect(403);
        call("listTenantGrants").args(org).bearer(f.loginA).expect(404);
        // a member without tenant-admin: 403
        assertEquals(201, api.adminPost("/organizations/" + tenant.id() + "/members", "\"" + f.userAId + "\"").status());
        call("listTenantGrants").args(org).bearer(f.loginA).expect(403);

        call("getTenantGrant").args(org, app.clientId()).bearer(manager).expect(200);
        call("getTenantGrant").args(org, app.clientId()).expect(401);
        call("getTenantGrant").args(org, app.clientId()).bearer(f.keyTokenA).expect(403);
        call("getTenantGrant").args(org, Api.unique("no-app")).bearer(manager).expect(404);

        call("authorizedTenants").bearer(app.serviceAccountToken()).expect(200);
        call("authorizedTenants").bearer(app.serviceAccountToken()).query("first=0&max=1").expect(200);
        call("authorizedTenants").bearer(app.serviceAccountToken()).query("max=1000").expect(400);
        call("authorizedTenants").expect(401);
        call("authorizedTenants").bearer(f.loginA).expect(403);

        call("tenantTokens").bearer(app.serviceAccountToken()).json(Map.of("tenants", List.of(org))).expect(200);
        call("tenantTokens").bearer(app.serviceAccountToken()).json(Map.of("tenants", List.of())).expect(400);
        call("tenantTokens").bearer(app.serviceAccountToken()).json(Map.of("tenants", List.of(org, org))).expect(400);
        call("tenantTokens").json(Map.of("tenants", List.of(org))).expect(401);
        call("tenantTokens").bearer(f.loginA).json(Map.of("tenants", List.of(org))).expect(403);
        call("tenantTokens").bearer(app.serviceAccountToken()).json(Map.of("tenants", List.of(Api.unique("no-org")))).expect(403);
        call("tenantTokens").bearer(app.serviceAccountToken()).json("{\"tenants\": [\"" + "x".repeat(17 * 1024) + "\"]}").expect(413);
        call("tenantTokens").bearer(app.serviceAccountToken()).body("text/plain", "{\"tenants\": []}").expect(415);

        call("revokeTenantGrant").args(org, other.clientId()).expect(401);
        call("revokeTenantGrant").args(org, other.clientId()).bearer(f.keyTokenA).expect(403);
        call("revokeTenantGrant").args(org, other.clientId()).bearer(manager).expect(204);
        call("revokeTenantGrant").args(org, other.clientId()).bearer(manager).expect(404);
    }

    /** The admin id of the grant of {@code org} (alias) to {@code clientId}. */
    private String grantId(String org, String clientId) {
        JsonNode listed = api.adminGet("/tenant-grants?org=" + org + "&client=" + clientId).json();
        assertEquals(1, listed.size(), listed.toString());
        return listed.get(0).get("id").asText();
    }

    private void adminTenantRecipes(Fixture f) throws Exception {
        String manager = api.realmManagerToken();
        Org tenant = organization();
        App app = application();
        assertEquals(201, api.putJson(api.server().realmUrl(Api.REALM) + "/tenant-delegation/tenants/" + tenant.alias() + "/grants/"
                + app.clientId(), Map.of("accessLevel", "limited"), manager).status());
        String id = grantId(tenant.alias(), app.clientId());

        call("adminListTenantGrants").bearer(f.admin()).expect(200);
        call("adminListTenantGrants").bearer(f.admin()).query("org=" + tenant.id() + "&client=" + app.clientId() + "&first=0&max=5").expect(200);
        call("adminListTenantGrants").bearer(f.admin()).query("max=abc").expect(400);
        call("adminListTenantGrants").expect(401);
        call("adminListTenantGrants").bearer(f.loginA).expect(403);
        call("adminListTenantGrants").bearer(f.admin()).query("org=" + Api.unique("no-org")).expect(404);
        call("adminListTenantGrants").bearer(f.admin()).query("client=" + Api.unique("no-app")).expect(404);

        App second = application();
        String viewer = managementUserToken("contract-viewer", "view-realm");
        call("adminPutTenantGrant").args(tenant.alias(), second.clientId()).bearer(f.admin()).json(Map.of("accessLevel", "read-write")).expect(201);
        call("adminPutTenantGrant").args(tenant.id(), second.clientId()).bearer(f.admin())
                .json(Map.of("accessLevel", "custom", "scopes", List.of("iot:assets:read"))).expect(200);
        call("adminPutTenantGrant").args(tenant.alias(), second.clientId()).bearer(f.admin()).json(Map.of("accessLevel", "everything")).expect(400);
        call("adminPutTenantGrant").args(tenant.alias(), "iot-api").bearer(f.admin()).json(Map.of("accessLevel", "limited")).expect(400);
        call("adminPutTenantGrant").args(tenant.alias(), second.clientId()).json(Map.of("accessLevel", "limited")).expect(401);
        call("adminPutTenantGrant").args(tenant.alias(), second.clientId()).bearer(f.loginA).json(Map.of("accessLevel", "limited")).expect(403);
        call("adminPutTenantGrant").args(tenant.alias(), second.clientId()).bearer(viewer).json(Map.of("accessLevel", "limited")).expect(403);
        call("adminPutTenantGrant").args(Api.unique("no-org"), second.clientId()).bearer(f.admin()).json(Map.of("accessLevel", "limited")).expect(404);
        call("adminPutTenantGrant").args(tenant.alias(), Api.unique("no-app")).bearer(f.admin()).json(Map.of("accessLevel", "limited")).expect(404);
        call("adminPutTenantGrant").args(tenant.alias(), second.clientId()).bearer(f.admin())
                .json("{\"accessLevel\": \"" + "x".repeat(17 * 1024) + "\"}").expect(413);
        call("adminPutTenantGrant").args(tenant.alias(), second.clientId()).bearer(f.admin()).body("text/plain", "{\"accessLevel\": \"limited\"}").expect(415);

        adminGetAndRevokeRecipes(f, "TenantGrant", id, "view-realm");
    }

    /** The typed settings: read by view-realm, changed by manage-realm; every refused PUT leaves them as they were. */
    private void adminSettingsRecipes(Fixture f) throws Exception {
        String viewer = managementUserToken("contract-viewer", "view-realm");
        JsonNode before = call("adminGetSettings").bearer(f.admin()).expect(200).json();
        call("adminGetSettings").bearer(viewer).expect(200);
        call("adminGetSettings").expect(401);
        call("adminGetSettings").bearer(f.loginA).expect(403);

        App app = application();
        call("adminPutSettings").bearer(f.admin()).json(Map.of("clients", Map.of(app.clientId(), Map.of("apiKeyGrantEnabled", false)))).expect(200);
        call("adminPutSettings").bearer(f.admin()).json(Map.of()).expect(200);
        call("adminPutSettings").bearer(f.admin()).json(before).expect(200);
        call("adminPutSettings").bearer(f.admin()).json(Map.of("tenantLevels", Map.of("read_write", "a"))).expect(400);
        call("adminPutSettings").bearer(f.admin()).json(Map.of("bogus", 1)).expect(400);
        call("adminPutSettings").json(Map.of()).expect(401);
        call("adminPutSettings").bearer(f.loginA).json(Map.of()).expect(403);
        call("adminPutSettings").bearer(viewer).json(Map.of()).expect(403);
        call("adminPutSettings").bearer(f.admin()).json(Map.of("clients", Map.of(Api.unique("no-app"), Map.of()))).expect(404);
        call("adminPutSettings").bearer(f.admin()).json("{\"apiKeyMaxLifetime\": \"" + "x".repeat(65 * 1024) + "\"}").expect(413);
        call("adminPutSettings").bearer(f.admin()).body("text/plain", "{}").expect(415);
        call("adminPutSettings").bearer(f.admin()).json(Map.of("clients", Map.of(app.clientId(), Api.JSON.nullNode()))).expect(200);
        JsonNode after = api.adminGet("/iot-tokens/settings").json();
        ObjectNode expected = before.deepCopy();
        ObjectNode actual = after.deepCopy();
        assertEquals(expected.without("clients"), actual.without("clients"), "the realm settings are as they were");
    }

    /**
     * A broken realm attribute {@code iottokens.tenant.levels}: every tenant request that needs the access levels is
     * 503 naming it (never the defaults), until it is restored (in {@code finally}, as it was); revoking does not need
     * them and works (the administrators' way out while the setting is repaired).
     */
    private void brokenTenantLevelRecipes(Fixture f) throws Exception {
        String manager = api.realmManagerToken();
        String org = organization().alias();
        App app = application();
        App second = application();
        App third = application();
        String grants = api.server().realmUrl(Api.REALM) + "/tenant-delegation/tenants/" + org + "/grants/";
        assertEquals(201, api.putJson(grants + app.clientId(), Map.of("accessLevel", "read-write"), manager).status());
        assertEquals(201, api.putJson(grants + second.clientId(), Map.of("accessLevel", "limited"), manager).status());
        String id = grantId(org, app.clientId());
        String secondId = grantId(org, second.clientId());
        assertEquals(201, api.putJson(grants + third.clientId(), Map.of("accessLevel", "limited"), manager).status());
        String thirdId = grantId(org, third.clientId());

        JsonNode realm = api.adminGet("").json();
        ObjectNode broken = realm.deepCopy();
        broken.with("attributes").put("iottokens.tenant.levels", "{\"read_write\": \"a\"}");
        assertEquals(204, api.adminPut("", broken).status());
        try {
            brokenLevels(call("listTenantGrants").args(org).bearer(manager).expect(503));
            brokenLevels(call("getTenantGrant").args(org, app.clientId()).bearer(manager).expect(503));
            brokenLevels(call("putTenantGrant").args(org, app.clientId()).bearer(manager)
                    .json(Map.of("accessLevel", "custom", "scopes", List.of("iot:assets:read"))).expect(503));
            call("revokeTenantGrant").args(org, second.clientId()).bearer(manager).expect(204);
            brokenLevels(call("authorizedTenants").bearer(app.serviceAccountToken()).expect(503));
            brokenLevels(call("tenantTokens").bearer(app.serviceAccountToken()).json(Map.of("tenants", List.of(org))).expect(503));
            brokenLevels(call("token").form(Map.of("grant_type", EXCHANGE, "client_id", app.clientId(), "client_secret", app.secret(),
                    "subject_token", app.serviceAccountToken(), "subject_token_type", ACCESS_TOKEN_TYPE, "tenant", org)).expect(503));
            brokenLevels(call("adminListTenantGrants").bearer(f.admin()).query("org=" + org).expect(503));
            brokenLevels(call("adminGetTenantGrant").args(id).bearer(f.admin()).expect(503));
            call("adminRevokeTenantGrant").args(thirdId).bearer(f.admin()).expect(204);
            brokenLevels(call("adminPutTenantGrant").args(org, app.clientId()).bearer(f.admin())
                    .json(Map.of("accessLevel", "custom", "scopes", List.of("iot:assets:read"))).expect(503));
            // the settings show the broken value by name (and never 503), so an administrator can see and correct it
            JsonNode settings = call("adminGetSettings").bearer(f.admin()).expect(200).json();
            assertTrue(settings.path("problems").path("tenantLevels").asText().contains("iottokens.tenant.levels"), settings.toString());
            assertTrue(!settings.has("tenantLevels"), settings.toString());
        } finally {
            // the setting as it was (blank: none), whether or not the realm update drops attributes it is not sent
            ObjectNode restored = realm.deepCopy();
            restored.with("attributes").put("iottokens.tenant.levels", realm.path("attributes").path("iottokens.tenant.levels").asText(""));
            assertEquals(204, api.adminPut("", restored).status());
        }
        // nothing was changed by the refused requests; the two revocations held
        assertEquals(404, api.adminGet("/tenant-grants/" + secondId).status());
        assertEquals(404, api.adminGet("/tenant-grants/" + thirdId).status());
        assertEquals("read-write", api.adminGet("/tenant-grants/" + id).json().get("accessLevel").asText());
    }

    private void brokenLevels(Api.Resp r) {
        JsonNode j = parse(r);
        if (r.status() == 503 && (j == null || !"temporarily_unavailable".equals(j.path("error").asText())
                || !j.path("error_description").asText().contains("iottokens.tenant.levels"))) {
            problems.add("a broken iottokens.tenant.levels: the 503 does not name it: " + r);
        }
    }

    private void tokenRecipes(Fixture f) throws Exception {
        Map<String, String> keyGrant = new LinkedHashMap<>(Map.of("grant_type", Api.API_KEY_GRANT, "client_id", "iot-api",
                "api_key", f.keyA, "api_secret", f.secretA));
        call("token").form(keyGrant).expect(200);
        keyGrant.put("api_secret", f.secretA + "x");
        call("token").form(keyGrant).expect(400);
        call("token").form(Map.of("grant_type", "urn:iottokens:params:oauth:grant-type:tenant-token", "client_id", "iot-api")).expect(400);

        // the tenant exchange: 200, a tenant without a grant 403, a wrong client secret 401
        String manager = api.realmManagerToken();
        String org = organization().alias();
        App app = application();
        api.putJson(api.server().realmUrl(Api.REALM) + "/tenant-delegation/tenants/" + org + "/grants/" + app.clientId(),
                Map.of("accessLevel", "read-write"), manager);
        Map<String, String> tenant = new LinkedHashMap<>(Map.of("grant_type", EXCHANGE, "client_id", app.clientId(), "client_secret", app.secret(),
                "subject_token", app.serviceAccountToken(), "subject_token_type", ACCESS_TOKEN_TYPE, "tenant", org));
        call("token").form(tenant).expect(200);
        tenant.put("tenant", Api.unique("no-org"));
        call("token").form(tenant).expect(403);
        tenant.put("client_secret", "wrong-" + UUID.randomUUID());
        call("token").form(tenant).expect(401);

        // an edge-shaped exchange on a client whose edge attribute is malformed: 400 unauthorized_client naming it
        String badEdge = Api.unique("contract-bad-edge");
        String badEdgeSecret = UUID.randomUUID().toString();
        assertEquals(201, api.adminPost("/clients", Map.of("clientId", badEdge, "publicClient", false, "secret", badEdgeSecret,
                "standardFlowEnabled", false, "attributes", Map.of("iottokens.edge.enabled", "maybe"))).status());
        Api.Resp edge = call("token").form(Map.of("grant_type", EXCHANGE, "client_id", badEdge, "client_secret", badEdgeSecret,
                "subject_token", "x", "subject_token_type", Edge.ID_TOKEN_TYPE, "node_id", Api.unique("node"))).expect(400);
        if (!"unauthorized_client".equals(edge.json().path("error").asText())
                || !edge.json().path("error_description").asText().contains("iottokens.edge.enabled")) {
            problems.add("a malformed iottokens.edge.enabled: not unauthorized_client naming it: " + edge);
        }

        // the purposed exchange: a confidential client's own login token
        String clientId = Api.unique("contract-bound");
        String secret = UUID.randomUUID().toString();
        assertEquals(201, api.adminPost("/clients", Map.of("clientId", clientId, "publicClient", false, "secret", secret,
                "standardFlowEnabled", false, "directAccessGrantsEnabled", true)).status());
        Api.Resp login = api.token(Map.of("grant_type", "password", "client_id", clientId, "client_secret", secret,
                "username", f.userA, "password", PW));
        assertEquals(200, login.status(), login.toString());
        Map<String, Object> details = new LinkedHashMap<>(claimObject("contract exchange"));
        details.put("type", "purposed_token");
        Map<String, String> purposed = new LinkedHashMap<>(Map.of("grant_type", EXCHANGE, "client_id", clientId, "client_secret", secret,
                "subject_token", login.json().get("access_token").asText(), "subject_token_type", ACCESS_TOKEN_TYPE,
                "requested_token_type", "urn:iottokens:params:oauth:token-type:purposed",
                "authorization_details", Api.JSON.writeValueAsString(List.of(details))));
        call("token").form(purposed).expect(200);
        purposed.put("authorization_details", "[]");
        call("token").form(purposed).expect(400);
    }

    private void introspectionRecipes(Fixture f) throws Exception {
        JsonNode platform = api.adminGet("/clients?clientId=iot-platform").json().get(0);
        String secret = api.adminGet("/clients/" + platform.get("id").asText() + "/client-secret").json().get("value").asText();
        Api.Resp purposed = api.postJson(api.server().realmUrl(Api.REALM) + "/purposed-tokens", claimObject("contract introspection"), f.loginA);
        assertEquals(201, purposed.status(), purposed.toString());

        call("introspect").form(Map.of("client_id", "iot-platform", "client_secret", secret, "token", f.keyTokenA)).expect(200);
        Api.Resp p = call("introspect").form(Map.of("client_id", "iot-platform", "client_secret", secret,
                "token", purposed.json().get("token").asText(), "token_type_hint", "purposed_token")).expect(200);
        assertTrue(p.json().path("active").asBoolean(), p.toString());
        call("introspect").form(Map.of("client_id", "iot-platform", "client_secret", secret, "token", "not-a-token",
                "token_type_hint", "purposed_token")).expect(200);
        call("introspect").form(Map.of("client_id", "iot-platform", "client_secret", secret)).expect(400);
        call("introspect").form(Map.of("client_id", "iot-platform", "client_secret", secret, "token", "x", "token_type_hint", "nonsense")).expect(400);
        call("introspect").form(Map.of("client_id", "iot-platform", "client_secret", "wrong", "token", "x")).expect(401);
        call("introspect").form(Map.of("client_id", "iot-api", "token", "x")).expect(403);
    }

}
