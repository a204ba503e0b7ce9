package io.iottokens.keycloak.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * The repository's OpenAPI document ({@code docs/openapi.yaml}) for the contract test: its operations, a structural
 * check against OpenAPI 3.1 (the rules a reader of the document relies on, not the whole meta-schema), and a small
 * JSON Schema check of answers against the documented response schemas.
 */
public final class OpenApiDocs {

    public static final YAMLMapper YAML = new YAMLMapper();
    public static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
    private static final Set<String> PATH_ITEM_KEYS = union(METHODS, Set.of("$ref", "summary", "description", "servers", "parameters"));
    private static final Pattern STATUS = Pattern.compile("default|[1-5]XX|[1-5][0-9][0-9]");
    private static final Pattern TEMPLATE = Pattern.compile("\\{([^}/]+)}");

    /** One documented operation. */
    public record Operation(String method, String path, String id, JsonNode node, List<JsonNode> parameters) {
        /** The documented status codes (numeric ones). */
        public Set<Integer> statuses() {
            Set<Integer> out = new TreeSet<>();
            node.path("responses").fieldNames().forEachRemaining(s -> {
                if (s.matches("[0-9]{3}")) {
                    out.add(Integer.parseInt(s));
                }
            });
            return out;
        }

        @Override
        public String toString() {
            return method.toUpperCase() + " " + path + " (" + id + ")";
        }
    }

    private final JsonNode root;

    public OpenApiDocs(JsonNode root) {
        this.root = root;
    }

    /** {@code docs/openapi.yaml} of this repository (beside {@code realm-config/}). */
    public static Path repositoryFile() {
        return TestEnv.realmDir().getParent().resolve("docs").resolve("openapi.yaml");
    }

    public static OpenApiDocs load(Path file) {
        try {
            return new OpenApiDocs(YAML.readTree(Files.readString(file, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public JsonNode root() {
        return root;
    }

    public List<Operation> operations() {
        List<Operation> out = new ArrayList<>();
        root.path("paths").fields().forEachRemaining(p -> {
            JsonNode item = p.getValue();
            item.fieldNames().forEachRemaining(m -> {
                if (METHODS.contains(m)) {
                    List<JsonNode> params = new ArrayList<>();
                    item.path("parameters").forEach(x -> params.add(resolve(x)));
                    item.get(m).path("parameters").forEach(x -> params.add(resolve(x)));
                    out.add(new Operation(m, p.getKey(), item.get(m).path("operationId").asText(null), item.get(m), params));
                }
            });
        });
        return out;
    }

    public Operation operation(String id) {
        return operations().stream().filter(o -> id.equals(o.id())).findFirst()
                .orElseThrow(() -> new AssertionError("no operation " + id + " in the document"));
    }

    /** A node, or the node its {@code $ref} (a local JSON pointer) names, followed until it is no reference. */
    public JsonNode resolve(JsonNode node) {
        for (int i = 0; i < 20 && node != null && node.has("$ref"); i++) {
            String ref = node.get("$ref").asText();
            if (!ref.startsWith("#/")) {
                return null;
            }
            node = root.at(ref.substring(1));
            if (node.isMissingNode()) {
                return null;
            }
        }
        return node;
    }

    /** The documented response of a status, resolved. */
    public JsonNode response(Operation op, int status) {
        return resolve(op.node().path("responses").get(String.valueOf(status)));
    }

    // ---- structure ------------------------------------------------------------------------------

    /** Every way the document breaks OpenAPI 3.1's structure as checked here; empty when it holds. */
    public List<String> structuralProblems() {
        List<String> p = new ArrayList<>();
        if (!"3.1.0".equals(root.path("openapi").asText())) {
            p.add("openapi must be 3.1.0");
        }
        for (String f : List.of("title", "version")) {
            if (!root.path("info").path(f).isTextual() || root.path("info").path(f).asText().isBlank()) {
                p.add("info." + f + " must be a non-empty string");
            }
        }
        if (!root.path("servers").isArray() || root.path("servers").isEmpty() || !root.at("/servers/0/url").isTextual()) {
            p.add("servers must list at least one url");
        }
        refs(root, "#", p);
        Set<String> tags = new HashSet<>();
        root.path("tags").forEach(t -> tags.add(t.path("name").asText()));
        Set<String> schemes = new HashSet<>();
        root.at("/components/securitySchemes").fields().forEachRemaining(e -> {
            schemes.add(e.getKey());
            String type = e.getValue().path("type").asText();
            if (!Set.of("apiKey", "http", "mutualTLS", "oauth2", "openIdConnect").contains(type)) {
                p.add("securityScheme " + e.getKey() + ": bad type " + type);
            }
            if ("http".equals(type) && !e.getValue().path("scheme").isTextual()) {
                p.add("securityScheme " + e.getKey() + ": http needs a scheme");
            }
        });
        if (!root.path("paths").isObject() || root.path("paths").isEmpty()) {
            p.add("paths must be a non-empty object");
        }
        root.path("paths").fields().forEachRemaining(e -> {
            if (!e.getKey().startsWith("/") || (e.getKey().length() > 1 && e.getKey().endsWith("/"))) {
                p.add("path " + e.getKey() + ": must start with / and not end with /");
            }
            e.getValue().fieldNames().forEachRemaining(k -> {
                if (!PATH_ITEM_KEYS.contains(k) && !k.startsWith("x-")) {
                    p.add("path " + e.getKey() + ": unknown key " + k);
                }
            });
        });
        Set<String> ids = new HashSet<>();
        for (Operation op : operations()) {
            String where = op.toString();
            if (op.id() == null || !ids.add(op.id())) {
                p.add(where + ": operationId missing or not unique");
            }
            op.node().path("tags").forEach(t -> {
                if (!tags.contains(t.asText())) {
                    p.add(where + ": tag " + t.asText() + " not declared");
                }
            });
            checkParameters(op, p);
            JsonNode body = op.node().get("requestBody");
            if (body != null && (resolve(body) == null || !resolve(body).path("content").isObject() || resolve(body).path("content").isEmpty())) {
                p.add(where + ": requestBody needs content");
            }
            JsonNode responses = op.node().path("responses");
            if (!responses.isObject() || responses.isEmpty()) {
                p.add(where + ": responses missing");
            }
            responses.fields().forEachRemaining(r -> {
                if (!STATUS.matcher(r.getKey()).matches()) {
                    p.add(where + ": bad response key " + r.getKey());
                }
                JsonNode resp = resolve(r.getValue());
                if (resp == null || !resp.path("description").isTextual()) {
                    p.add(where + " " + r.getKey() + ": response needs a description");
                } else {
                    resp.path("content").fields().forEachRemaining(c -> {
                        if (!c.getValue().has("schema")) {
                            p.add(where + " " + r.getKey() + " " + c.getKey() + ": media type without schema");
                        }
                    });
                }
            });
            if (!op.node().has("security")) {
                p.add(where + ": security must be stated (the document has no global default)");
            }
            op.node().path("security").forEach(req -> req.fieldNames().forEachRemaining(s -> {
                if (!schemes.contains(s)) {
                    p.add(where + ": unknown security scheme " + s);
                }
            }));
        }
        return p;
    }

    private void checkParameters(Operation op, List<String> p) {
        Set<String> declared = new HashSet<>();
        Set<String> pathParams = new HashSet<>();
        for (JsonNode param : op.parameters()) {
            if (param == null) {
                p.add(op + ": unresolvable parameter");
                continue;
            }
            String name = param.path("name").asText("");
            String in = param.path("in").asText("");
            if (name.isEmpty() || !Set.of("query", "header", "path", "cookie").contains(in)) {
                p.add(op + ": parameter needs a name and a valid 'in': " + param);
            }
            if (!param.has("schema") && !param.has("content")) {
                p.add(op + ": parameter " + name + " needs a schema");
            }
            if (!declared.add(in + ":" + name)) {
                p.add(op + ": parameter " + name + " in " + in + " declared twice");
            }
            if ("path".equals(in)) {
                pathParams.add(name);
                if (!param.path("required").asBoolean(false)) {
                    p.add(op + ": path parameter " + name + " must be required");
                }
            }
        }
        Set<String> inTemplate = new HashSet<>();
        Matcher m = TEMPLATE.matcher(op.path());
        while (m.find()) {
            inTemplate.add(m.group(1));
        }
        if (!inTemplate.equals(pathParams)) {
            p.add(op + ": path template variables " + inTemplate + " differ from path parameters " + pathParams);
        }
    }

    private void refs(JsonNode node, String where, List<String> p) {
        if (node.isObject()) {
            JsonNode ref = node.get("$ref");
            if (ref != null && (!ref.isTextual() || !ref.asText().startsWith("#/") || root.at(ref.asText().substring(1)).isMissingNode())) {
                p.add(where + ": $ref " + ref + " does not resolve");
            }
            node.fields().forEachRemaining(e -> refs(e.getValue(), where + "/" + e.getKey(), p));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                refs(node.get(i), where + "/" + i, p);
            }
        }
    }

    // ---- answers against schemas ------------------------------------------------------------

    /**
     * Where {@code value} breaks {@code schema} (JSON Schema 2020-12 as the document uses it: $ref, allOf, anyOf, oneOf,
     * not, type, const, enum, required, properties, additionalProperties false, items, pattern, min/max on numbers and
     * lengths); empty when it conforms.
     */
    public List<String> violations(JsonNode value, JsonNode schema, String at) {
        List<String> out = new ArrayList<>();
        check(value, schema, at, out);
        return out;
    }

    private void check(JsonNode v, JsonNode schemaOrRef, String at, List<String> out) {
        JsonNode s = resolve(schemaOrRef);
        if (s == null) {
            out.add(at + ": unresolvable schema " + schemaOrRef);
            return;
        }
        s.path("allOf").forEach(sub -> check(v, sub, at, out));
        if (s.has("anyOf") && count(v, s.get("anyOf"), at) == 0) {
            out.add(at + ": matches none of anyOf");
        }
        if (s.has("oneOf")) {
            int n = count(v, s.get("oneOf"), at);
            if (n != 1) {
                out.add(at + ": matches " + n + " of oneOf, not exactly one");
            }
        }
        if (s.has("not") && violations(v, s.get("not"), at).isEmpty()) {
            out.add(at + ": matches its 'not' schema");
        }
        if (s.has("type") && !typeMatches(v, s.get("type"))) {
            out.add(at + ": " + kind(v) + " is not of type " + s.get("type"));
            return;
        }
        if (s.has("const") && !s.get("const").equals(v)) {
            out.add(at + ": " + v + " is not " + s.get("const"));
        }
        if (s.has("enum")) {
            boolean found = false;
            for (JsonNode e : s.get("enum")) {
                found |= e.equals(v);
            }
            if (!found) {
                out.add(at + ": " + v + " not in " + s.get("enum"));
            }
        }
        if (v.isTextual()) {
            if (s.has("pattern") && !Pattern.compile(s.get("pattern").asText()).matcher(v.asText()).find()) {
                out.add(at + ": '" + v.asText() + "' does not match " + s.get("pattern").asText());
            }
            if (s.has("maxLength") && v.asText().codePointCount(0, v.asText().length()) > s.get("maxLength").asInt()) {
                out.add(at + ": longer than " + s.get("maxLength"));
            }
            if (s.has("minLength") && v.asText().codePointCount(0, v.asText().length()) < s.get("minLength").asInt()) {
                out.add(at + ": shorter than " + s.get("minLength"));
            }
        }
        if (v.isNumber()) {
            if (s.has("minimum") && v.asDouble() < s.get("minimum").asDouble()) {
                out.add(at + ": below " + s.get("minimum"));
            }
            if (s.has("maximum") && v.asDouble() > s.get("maximum").asDouble()) {
                out.add(at + ": above " + s.get("maximum"));
            }
        }
        if (v.isObject()) {
            s.path("required").forEach(r -> {
                if (!v.has(r.asText())) {
                    out.add(at + ": required '" + r.asText() + "' missing");
                }
            });
            JsonNode props = s.path("properties");
            for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                if (props.has(e.getKey())) {
                    check(e.getValue(), props.get(e.getKey()), at + "." + e.getKey(), out);
                } else if (s.path("additionalProperties").isBoolean() && !s.get("additionalProperties").asBoolean()) {
                    out.add(at + ": property '" + e.getKey() + "' is not allowed");
                }
            }
        }
        if (v.isArray()) {
            if (s.has("items")) {
                for (int i = 0; i < v.size(); i++) {
                    check(v.get(i), s.get("items"), at + "[" + i + "]", out);
                }
            }
            if (s.has("minItems") && v.size() < s.get("minItems").asInt()) {
                out.add(at + ": fewer than " + s.get("minItems") + " items");
            }
            if (s.has("maxItems") && v.size() > s.get("maxItems").asInt()) {
                out.add(at + ": more than " + s.get("maxItems") + " items");
            }
        }
    }

    private int count(JsonNode v, JsonNode alternatives, String at) {
        int n = 0;
        for (JsonNode alt : alternatives) {
            if (violations(v, alt, at).isEmpty()) {
                n++;
            }
        }
        return n;
    }

    private static boolean typeMatches(JsonNode v, JsonNode type) {
        if (type.isArray()) {
            for (JsonNode t : type) {
                if (typeMatches(v, t)) {
                    return true;
                }
            }
            return false;
        }
        return switch (type.asText()) {
            case "object" -> v.isObject();
            case "array" -> v.isArray();
            case "string" -> v.isTextual();
            case "integer" -> v.isIntegralNumber();
            case "number" -> v.isNumber();
            case "boolean" -> v.isBoolean();
            case "null" -> v.isNull();
            default -> false;
        };
    }

    private static String kind(JsonNode v) {
        return v.getNodeType().name().toLowerCase();
    }

    /** The operation whose path template matches {@code path} (literal segments win over variables, as OpenAPI says). */
    public Operation match(String method, String path) {
        Operation best = null;
        int bestLiterals = -1;
        for (Operation op : operations()) {
            if (!op.method().equalsIgnoreCase(method)) {
                continue;
            }
            String[] t = op.path().split("/", -1);
            String[] a = path.split("/", -1);
            if (t.length != a.length) {
                continue;
            }
            int literals = 0;
            boolean ok = true;
            for (int i = 0; i < t.length && ok; i++) {
                if (TEMPLATE.matcher(t[i]).matches()) {
                    ok = !a[i].isEmpty();
                } else {
                    ok = t[i].equals(a[i]);
                    literals++;
                }
            }
            if (ok && literals > bestLiterals) {
                best = op;
                bestLiterals = literals;
            }
        }
        return best;
    }

    /** Every documented (path, method) pair, as "METHOD /path". */
    public Map<String, Operation> byMethodAndPath() {
        Map<String, Operation> m = new LinkedHashMap<>();
        operations().forEach(o -> m.put(o.method().toUpperCase() + " " + o.path(), o));
        return m;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> s = new LinkedHashSet<>(a);
        s.addAll(b);
        return s;
    }
}
