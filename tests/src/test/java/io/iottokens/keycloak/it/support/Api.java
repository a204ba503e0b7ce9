package io.iottokens.keycloak.it.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** A small HTTP client for the tests: form and JSON requests, the realm's OIDC endpoints, the admin REST API. */
public final class Api {

    public static final ObjectMapper JSON = new ObjectMapper();
    public static final String REALM = "iot";

    private final KeycloakServer server;
    private final HttpClient http = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private String adminToken;
    private long adminTokenExpires;

    public Api(KeycloakServer server) {
        this.server = server;
    }

    /** Plain HTTP and JSON, for a server this harness did not start (a container). */
    public static Api raw() {
        return new Api(null);
    }

    public KeycloakServer server() {
        return server;
    }

    /** An HTTP answer. */
    public record Resp(int status, Map<String, List<String>> headers, String body) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (HTTP " + status + "): " + body, e);
            }
        }

        public Optional<String> header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .flatMap(e -> e.getValue().stream())
                    .findFirst();
        }

        @Override
        public String toString() {
            return "HTTP " + status + " " + body;
        }
    }

    // ---- raw requests -------------------------------------------------------------------------

    public Resp send(HttpRequest.Builder request) {
        return send(http, request);
    }

    /** Every request of the suite goes through here: its secrets and those of the answer are recorded ({@link HandledSecrets}). */
    static Resp send(HttpClient client, HttpRequest.Builder request) {
        try {
            HttpRequest built = request.timeout(Duration.ofSeconds(60)).build();
            recordSecrets(built);
            HttpResponse<String> r = client.send(built, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            HandledSecrets.response(r.body());
            return new Resp(r.statusCode(), r.headers().map(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void recordSecrets(HttpRequest request) {
        request.headers().firstValue("Authorization")
                .filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7))
                .ifPresent(h -> HandledSecrets.bearer(h.substring(7).strip()));
        HttpRequest.BodyPublisher publisher = request.bodyPublisher().orElse(null);
        if (publisher == null || publisher.contentLength() <= 0) {
            return; // no body, or one that could be read only once
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        CompletableFuture<Void> read = new CompletableFuture<>();
        publisher.subscribe(new Flow.Subscriber<ByteBuffer>() {
            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                subscription.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(ByteBuffer item) {
                byte[] bytes = new byte[item.remaining()];
                item.get(bytes);
                body.write(bytes, 0, bytes.length);
            }

            @Override
            public void onError(Throwable throwable) {
                read.completeExceptionally(throwable);
            }

            @Override
            public void onComplete() {
                read.complete(null);
            }
        });
        try {
            read.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("request body not readable for the secret registry", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        HandledSecrets.requestBody(body.toString(StandardCharsets.UTF_8));
    }

    public Resp get(String url, String bearer) {
        return send(withBearer(HttpRequest.newBuilder(URI.create(url)).GET(), bearer));
    }

    public Resp delete(String url, String bearer) {
        return send(withBearer(HttpRequest.newBuilder(URI.create(url)).DELETE(), bearer));
    }

    public Resp postForm(String url, Map<String, String> form, String bearer) {
        return send(withBearer(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(form))), bearer));
    }

    public Resp postJson(String url, Object body, String bearer) {
        return sendJson("POST", url, body, bearer);
    }

    public Resp putJson(String url, Object body, String bearer) {
        return sendJson("PUT", url, body, bearer);
    }

    /** {@code body} is sent as is when it is a String (so tests can send broken JSON), else serialised. */
    public Resp sendJson(String method, String url, Object body, String bearer) {
        String text;
        try {
            text = body instanceof String s ? s : JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return send(withBearer(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(text)), bearer));
    }

    private static HttpRequest.Builder withBearer(HttpRequest.Builder b, String bearer) {
        return bearer == null ? b : b.header("Authorization", "Bearer " + bearer);
    }

    public static String form(Map<String, String> form) {
        return form.entrySet().stream()
                .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    // ---- OIDC ---------------------------------------------------------------------------------

    public String tokenUrl(String realm) {
        return server.realmUrl(realm) + "/protocol/openid-connect/token";
    }

    public Resp token(Map<String, String> form) {
        return postForm(tokenUrl(REALM), form, null);
    }

    public Resp passwordGrant(String clientId, String username, String password, String scope) {
        return grant("password", clientId, scope, "username", username, "password", password);
    }

    /** A token request of {@code grantType} by a public client: the named parameters, and {@code scope} unless null. */
    private Resp grant(String grantType, String clientId, String scope, String... parameters) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("grant_type", grantType);
        f.put("client_id", clientId);
        for (int i = 0; i < parameters.length; i += 2) {
            f.put(parameters[i], parameters[i + 1]);
        }
        if (scope != null) {
            f.put("scope", scope);
        }
        return token(f);
    }

    public Resp refresh(String clientId, String refreshToken) {
        return token(Map.of("grant_type", "refresh_token", "client_id", clientId, "refresh_token", refreshToken));
    }

    /** A user's access token from the password grant on {@code iot-api}. */
    public String userToken(String username, String password) {
        Resp r = passwordGrant("iot-api", username, password, null);
        if (r.status() != 200) {
            throw new AssertionError("password grant for " + username + " failed: " + r);
        }
        return r.json().get("access_token").asText();
    }

    /**
     * The authorization code flow with PKCE, as a browser does it: GET the login page, POST the form,
     * catch the redirect with the code, exchange it. Returns the token response.
     */
    public Resp codeFlow(String clientId, String redirectUri, String username, String password, String scope) {
        // Keycloak marks its login cookies Secure; a browser keeps them for http://127.0.0.1 (a "potentially
        // trustworthy" origin) but java.net.CookieManager does not, so the cookies are carried by hand.
        HttpClient browser = http;
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        String verifier = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        String challenge;
        try {
            challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        String state = UUID.randomUUID().toString();
        String authUrl = server.realmUrl(REALM) + "/protocol/openid-connect/auth?" + form(Map.of(
                "client_id", clientId, "redirect_uri", redirectUri, "response_type", "code",
                "scope", scope, "state", state, "code_challenge", challenge, "code_challenge_method", "S256"));
        Resp page = send(browser, HttpRequest.newBuilder(URI.create(authUrl)).GET());
        if (page.status() != 200) {
            throw new AssertionError("login page: " + page);
        }
        String cookies = page.headers().entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase("set-cookie"))
                .flatMap(e -> e.getValue().stream())
                .map(c -> c.split(";", 2)[0])
                .collect(Collectors.joining("; "));
        if (!page.body().contains("kc-form-login")) {
            throw new AssertionError("no login form on the page: " + page.body());
        }
        // With Organizations that have domains, Keycloak's browser flow asks for the username first (identity
        // first) and shows a password form next; a form answered without a redirect is answered again.
        Resp afterLogin = null;
        String body = page.body();
        for (int step = 0; step < 3; step++) {
            Matcher loginForm = Pattern.compile("<form[^>]*id=\"kc-form-login\"[^>]*action=\"([^\"]+)\"").matcher(body);
            if (!loginForm.find()) {
                break;
            }
            String postUrl = loginForm.group(1).replace("&amp;", "&");
            afterLogin = send(browser, HttpRequest.newBuilder(URI.create(postUrl))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("Cookie", cookies)
                    .POST(HttpRequest.BodyPublishers.ofString(form(Map.of("username", username, "password", password)))));
            if (afterLogin.header("Location").isPresent() || afterLogin.status() != 200) {
                break;
            }
            body = afterLogin.body();
        }
        Resp last = afterLogin;
        String location = last.header("Location")
                .orElseThrow(() -> new AssertionError("login did not redirect: " + last.status() + " "
                        + last.body().replaceAll("(?s)<script.*?</script>|<style.*?</style>|<[^>]+>", " ").replaceAll("\\s+", " ").trim()));
        if (!location.startsWith(redirectUri)) {
            throw new AssertionError("unexpected redirect: " + location);
        }
        Matcher code = Pattern.compile("[?&]code=([^&]+)").matcher(location);
        Matcher returnedState = Pattern.compile("[?&]state=([^&]+)").matcher(location);
        if (!code.find() || !returnedState.find() || !returnedState.group(1).equals(state)) {
            throw new AssertionError("no code or wrong state in " + location);
        }
        return token(Map.of("grant_type", "authorization_code", "client_id", clientId, "code", code.group(1),
                "redirect_uri", redirectUri, "code_verifier", verifier));
    }

    /** The login page HTML of a client, for theme checks. */
    public Resp loginPage(String clientId, String redirectUri) {
        String authUrl = server.realmUrl(REALM) + "/protocol/openid-connect/auth?" + form(Map.of(
                "client_id", clientId, "redirect_uri", redirectUri, "response_type", "code", "scope", "openid",
                "code_challenge", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", "code_challenge_method", "S256"));
        return send(HttpRequest.newBuilder(URI.create(authUrl)).GET());
    }

    // ---- API keys -----------------------------------------------------------------------------

    public static final String API_KEY_GRANT = "urn:iottokens:params:oauth:grant-type:api-key";

    public String apiKeysUrl() {
        return server.realmUrl(REALM) + "/api-keys";
    }

    /** POST /realms/iot/api-keys with the user's token; the body is sent as given. */
    public Resp createApiKey(String userToken, Object body) {
        return postJson(apiKeysUrl(), body, userToken);
    }

    public Resp apiKeyGrant(String clientId, String key, String secret, String scope) {
        return grant(API_KEY_GRANT, clientId, scope, "api_key", key, "api_secret", secret);
    }

    /** RFC 7662 introspection as a resource server of the platform does it: client iot-platform, the tokens' audience. */
    public Resp introspect(String token) {
        return postForm(tokenUrl(REALM) + "/introspect", Map.of("client_id", "iot-platform",
                "client_secret", platformSecret(), "token", token), null);
    }

    private volatile String platformSecret;

    /** The secret of {@code iot-platform} (the platform's resource server), read once through the admin API. */
    public String platformSecret() {
        if (platformSecret == null) {
            platformSecret = Fixtures.clientSecret(this, "iot-platform");
        }
        return platformSecret;
    }

    // ---- admin REST ---------------------------------------------------------------------------

    /** A master-realm admin token (admin-cli, password grant), cached until shortly before it expires. */
    public synchronized String adminToken() {
        if (adminToken == null || System.currentTimeMillis() > adminTokenExpires) {
            Resp r = postForm(tokenUrl("master"), Map.of("grant_type", "password", "client_id", "admin-cli",
                    "username", KeycloakServer.ADMIN_USER, "password", server.adminPassword()), null);
            if (r.status() != 200) {
                throw new AssertionError("admin login failed: " + r);
            }
            adminToken = r.json().get("access_token").asText();
            adminTokenExpires = System.currentTimeMillis() + (r.json().get("expires_in").asLong() - 10) * 1000;
        }
        return adminToken;
    }

    public Resp adminGet(String path) {
        return get(server.adminUrl(REALM) + path, adminToken());
    }

    public Resp adminPost(String path, Object body) {
        return postJson(server.adminUrl(REALM) + path, body, adminToken());
    }

    public Resp adminPut(String path, Object body) {
        return putJson(server.adminUrl(REALM) + path, body, adminToken());
    }

    public Resp adminDelete(String path) {
        return delete(server.adminUrl(REALM) + path, adminToken());
    }

    /**
     * The user's brute-force status once Keycloak has processed the failures so far (it records them
     * asynchronously): polls until {@code disabled} equals {@code expected} or 5 s pass.
     */
    public JsonNode bruteForceStatus(String userId, boolean expected) {
        JsonNode status = adminGet("/attack-detection/brute-force/users/" + userId).json();
        for (int i = 0; i < 50 && status.path("disabled").asBoolean() != expected; i++) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            status = adminGet("/attack-detection/brute-force/users/" + userId).json();
        }
        return status;
    }

    /** Creates an enabled user with a password and the given realm roles; returns its id. */
    public String createUser(String username, String password, String... realmRoles) {
        ObjectNode user = JSON.createObjectNode()
                .put("username", username)
                .put("email", username + "@example.test")
                .put("firstName", username)
                .put("lastName", "Test")
                .put("enabled", true)
                .put("emailVerified", true);
        user.putArray("credentials").addObject().put("type", "password").put("value", password).put("temporary", false);
        Resp created = adminPost("/users", user);
        if (created.status() != 201) {
            throw new AssertionError("create user " + username + ": " + created);
        }
        String location = created.header("Location").orElseThrow();
        String id = location.substring(location.lastIndexOf('/') + 1);
        if (realmRoles.length > 0) {
            var roles = JSON.createArrayNode();
            for (String role : realmRoles) {
                roles.add(adminGet("/roles/" + role).json());
            }
            Resp mapped = adminPost("/users/" + id + "/role-mappings/realm", roles);
            if (mapped.status() != 204) {
                throw new AssertionError("role mapping for " + username + ": " + mapped);
            }
        }
        return id;
    }

    /** A new user holding realm-management's {@code manage-realm} (a realm administrator); returns their token on iot-api. */
    public String realmManagerToken() {
        String name = unique("radmin");
        String id = createUser(name, name + "-pw");
        JsonNode rm = adminGet("/clients?clientId=realm-management").json().get(0);
        JsonNode role = adminGet("/clients/" + rm.get("id").asText() + "/roles/manage-realm").json();
        Resp mapped = adminPost("/users/" + id + "/role-mappings/clients/" + rm.get("id").asText(), java.util.List.of(role));
        if (mapped.status() != 204) {
            throw new AssertionError("manage-realm for " + name + ": " + mapped);
        }
        return userToken(name, name + "-pw");
    }

    /** A unique name for objects a test creates, so tests never step on each other. */
    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
