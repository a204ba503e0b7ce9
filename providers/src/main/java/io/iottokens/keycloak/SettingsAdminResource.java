package io.iottokens.keycloak;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.function.Function;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.keycloak.events.admin.OperationType;
import org.keycloak.models.ClientModel;
import org.keycloak.models.RealmModel;
import org.keycloak.util.JsonSerialization;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.iottokens.keycloak.apikey.ApiKeyConfig;
import io.iottokens.keycloak.apikey.ApiKeyGrantType;
import io.iottokens.keycloak.common.AdminEvents;
import io.iottokens.keycloak.common.AdminResourceFactory.Admin;
import io.iottokens.keycloak.common.Durations;
import io.iottokens.keycloak.common.JsonBody;
import io.iottokens.keycloak.common.NoStore;
import io.iottokens.keycloak.common.PackException;
import io.iottokens.keycloak.common.RestEdge;
import io.iottokens.keycloak.edge.EdgeClient;
import io.iottokens.keycloak.purposed.PurposedScopes;
import io.iottokens.keycloak.purposed.PurposedSettings;
import io.iottokens.keycloak.tenant.TenantConfig;
import io.iottokens.keycloak.tenant.TenantSettings;

/**
 * {@code /admin/realms/{realm}/iot-tokens/settings}: every realm attribute and client attribute the pack reads at
 * request time, as one typed JSON document (README "Operating the pack: settings"). It lives in the composition root
 * because the document joins four features' settings; each feature keeps its attribute names and its parser (the
 * one its request path uses: {@link Durations}, {@link PurposedSettings}, {@link TenantConfig#parseLevels},
 * {@link TenantSettings}, {@link EdgeClient#parse}), and this resource only names them, so a value a feature would
 * refuse or ignore is refused here with 400 naming the field. Server options (the API-key pepper, the server's level
 * map, ...) are not realm settings and are not shown; the pack's internal attributes (a legacy hash key, the grants
 * version) neither.
 *
 * <ul>
 * <li>{@code GET} ({@code view-realm}): the realm fields, {@code clients} (clientId → the client's fields, for the
 * clients with at least one of them set) and {@code problems} (field → why the stored value is broken; such a field
 * is left out). A field that is unset is null: the feature's default applies.</li>
 * <li>{@code PUT} ({@code manage-realm}): the same document. An absent field is unchanged, null resets it to the
 * default (removes the attribute), a value sets it; in {@code clients}, clients not named are unchanged and a client
 * mapped to null gets every field reset. {@code problems} is read-only and ignored, so a document read with GET can
 * be sent back as it is (kcadm's {@code update} does that). Everything is validated before anything is written:
 * a refused PUT changes nothing. A PUT that changes something is one admin event ({@code UPDATE}, {@code CUSTOM},
 * path {@code iot-tokens/settings}, representation the new document); the answer is the new document.</li>
 * </ul>
 */
public final class SettingsAdminResource {

    static final int MAX_BODY_BYTES = 64 * 1024;
    static final String CLIENTS = "clients";
    static final String PROBLEMS = "problems";

    /**
     * One setting: its field, its attribute, the reader (attribute value, set and not blank → typed value, or an
     * {@link IllegalArgumentException} when broken; the first argument names the realm or client for messages) and
     * the writer (JSON value, not null → attribute value, or an {@link IllegalArgumentException} saying why not).
     */
    private record Setting(String field, String attribute, BiFunction<String, String, Object> reader, Function<JsonNode, String> writer) {
    }

    private static final List<Setting> REALM = List.of(
            new Setting("apiKeyMaxLifetime", ApiKeyConfig.REALM_MAX_LIFETIME_ATTRIBUTE,
                    (owner, v) -> { Durations.parse(v); return v.trim(); },
                    n -> { String v = text(n); Durations.parse(v); return v.trim(); }),
            new Setting("purposedScopes", PurposedScopes.REALM_ATTRIBUTE,
                    (owner, v) -> PurposedScopes.split(v),
                    n -> String.join(" ", words(n, "\\s"))),
            new Setting("purposedAudiences", PurposedSettings.AUDIENCES,
                    (owner, v) -> PurposedSettings.parseAudiences(v),
                    n -> json(PurposedSettings.parseAudiences(json(object(n))))),
            positive("purposedMaxLifetime", PurposedSettings.MAX_LIFETIME, PurposedSettings::positive),
            positive("purposedBootstrapWindow", PurposedSettings.BOOTSTRAP_WINDOW, PurposedSettings::positive),
            new Setting("tenantLevels", io.iottokens.keycloak.tenant.TenantLevels.REALM_ATTRIBUTE,
                    (owner, v) -> TenantConfig.parseLevels(v),
                    n -> json(TenantConfig.parseLevels(json(object(n))))),
            positive("tenantBatchLimit", TenantSettings.BATCH_LIMIT, TenantSettings::positive),
            positive("tenantTokenLifespan", TenantSettings.TOKEN_LIFESPAN, TenantSettings::positive),
            new Setting("tenantAudiences", TenantSettings.AUDIENCE,
                    (owner, v) -> TenantSettings.audiences(v),
                    n -> String.join(" ", words(n, "[\\s,]"))));

    private static final List<Setting> CLIENT = List.of(
            new Setting("apiKeyGrantEnabled", ApiKeyGrantType.CLIENT_ATTRIBUTE,
                    (owner, v) -> Boolean.parseBoolean(v),
                    n -> String.valueOf(bool(n))),
            new Setting("edgeEnabled", EdgeClient.ENABLED_ATTRIBUTE,
                    (owner, v) -> EdgeClient.parse(owner, v, null).enabled(),
                    n -> String.valueOf(bool(n))),
            new Setting("edgeIdTokenClients", EdgeClient.ID_TOKEN_CLIENTS_ATTRIBUTE,
                    (owner, v) -> new TreeSet<>(EdgeClient.parse(owner, null, v).idTokenClients()),
                    n -> String.join(" ", words(n, "[\\s,]"))));

    /** A positive whole number, read by the feature's own reader ({@code parse}: null when the value is no such number). */
    private static Setting positive(String field, String attribute, Function<String, ? extends Number> parse) {
        return new Setting(field, attribute, (owner, v) -> positive(parse.apply(v)), n -> String.valueOf(positive(parse.apply(whole(n)))));
    }

    private final Admin admin;

    SettingsAdminResource(Admin admin) {
        this.admin = admin;
    }

    @GET
    @Path("settings")
    @Produces(MediaType.APPLICATION_JSON)
    public Response get() {
        return RestEdge.call(admin.session(), () -> {
            admin.auth().realm().requireViewRealm();
            return NoStore.ok(document(admin.realm()));
        });
    }

    @PUT
    @Path("settings")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response put(InputStream body) {
        return RestEdge.call(admin.session(), () -> {
            admin.auth().realm().requireManageRealm();
            RealmModel realm = admin.realm();
            Set<String> allowed = new LinkedHashSet<>(names(REALM));
            allowed.add(CLIENTS);
            allowed.add(PROBLEMS);
            JsonBody json = JsonBody.read(body, MAX_BODY_BYTES, allowed, false);
            Map<String, String> realmChanges = changes(json, REALM, "");
            Map<ClientModel, Map<String, String>> clientChanges = new LinkedHashMap<>();
            JsonNode clients = json.field(CLIENTS);
            if (clients != null) {
                if (!clients.isObject()) {
                    throw PackException.badRequest("Field 'clients' must be an object clientId -> settings");
                }
                for (Iterator<Map.Entry<String, JsonNode>> it = clients.fields(); it.hasNext();) {
                    Map.Entry<String, JsonNode> e = it.next();
                    ClientModel client = e.getKey().length() > 255 ? null : realm.getClientByClientId(e.getKey());
                    if (client == null) {
                        throw PackException.notFound("Field 'clients': client '" + abbreviate(e.getKey()) + "' not found");
                    }
                    String prefix = "clients." + client.getClientId() + ".";
                    if (e.getValue().isNull()) {
                        Map<String, String> reset = new LinkedHashMap<>();
                        CLIENT.forEach(s -> reset.put(s.attribute(), null));
                        clientChanges.put(client, reset);
                    } else {
                        clientChanges.put(client, changes(JsonBody.of(e.getValue(), names(CLIENT)), CLIENT, prefix));
                    }
                }
            }
            boolean changed = apply(realmChanges, realm::getAttribute, realm::setAttribute, realm::removeAttribute);
            for (Map.Entry<ClientModel, Map<String, String>> e : clientChanges.entrySet()) {
                ClientModel c = e.getKey();
                changed |= apply(e.getValue(), c::getAttribute, c::setAttribute, c::removeAttribute);
            }
            ObjectNode doc = document(realm);
            if (changed) {
                AdminEvents.change(admin.events(), OperationType.UPDATE, doc, Map.of(), "iot-tokens", "settings");
            }
            return NoStore.ok(doc);
        });
    }

    /**
     * The settings document of the realm as stored: a JSON tree, so unset fields are written as null (Keycloak's
     * JSON provider leaves nulls of maps and beans out).
     */
    static ObjectNode document(RealmModel realm) {
        ObjectNode doc = JsonSerialization.mapper.createObjectNode();
        ObjectNode problems = JsonSerialization.mapper.createObjectNode();
        read(REALM, realm.getName(), realm::getAttribute, doc, problems, "");
        ObjectNode clients = doc.putObject(CLIENTS);
        realm.getClientsStream().filter(c -> CLIENT.stream().anyMatch(s -> c.getAttribute(s.attribute()) != null)).forEach(c ->
                read(CLIENT, c.getClientId(), c::getAttribute, clients.putObject(c.getClientId()), problems, CLIENTS + "." + c.getClientId() + "."));
        doc.set(PROBLEMS, problems);
        return doc;
    }

    private static void read(List<Setting> settings, String owner, Function<String, String> attribute, ObjectNode out,
                             ObjectNode problems, String prefix) {
        for (Setting s : settings) {
            String v = attribute.apply(s.attribute());
            if (v == null || v.isBlank()) {
                out.putNull(s.field());
                continue;
            }
            try {
                out.set(s.field(), JsonSerialization.mapper.valueToTree(s.reader().apply(owner, v)));
            } catch (IllegalArgumentException e) {
                problems.put(prefix + s.field(), "attribute " + s.attribute() + ": " + e.getMessage());
            }
        }
    }

    /** The attribute values a body sets (null: remove), validated; nothing is written yet. */
    private static Map<String, String> changes(JsonBody json, List<Setting> settings, String prefix) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Setting s : settings) {
            JsonNode n = json.field(s.field());
            if (n == null) {
                continue;
            }
            if (n.isNull()) {
                out.put(s.attribute(), null);
                continue;
            }
            try {
                out.put(s.attribute(), s.writer().apply(n));
            } catch (IllegalArgumentException e) {
                throw PackException.badRequest("Field '" + prefix + s.field() + "': " + e.getMessage());
            }
        }
        return out;
    }

    private interface Setter {
        void set(String name, String value);
    }

    private static boolean apply(Map<String, String> changes, Function<String, String> current, Setter set,
                                 java.util.function.Consumer<String> remove) {
        boolean changed = false;
        for (Map.Entry<String, String> e : changes.entrySet()) {
            if (Objects.equals(current.apply(e.getKey()), e.getValue())) {
                continue;
            }
            changed = true;
            if (e.getValue() == null) {
                remove.accept(e.getKey());
            } else {
                set.set(e.getKey(), e.getValue());
            }
        }
        return changed;
    }

    private static Set<String> names(List<Setting> settings) {
        Set<String> names = new LinkedHashSet<>();
        settings.forEach(s -> names.add(s.field()));
        return names;
    }

    // ---- value shapes -----------------------------------------------------------------------------

    private static String text(JsonNode n) {
        if (!n.isTextual() || !JsonBody.cleanText(n.textValue()) || n.textValue().length() > 64) {
            throw new IllegalArgumentException("must be a string of at most 64 characters");
        }
        return n.textValue();
    }

    private static boolean bool(JsonNode n) {
        if (!n.isBoolean()) {
            throw new IllegalArgumentException("must be true or false");
        }
        return n.booleanValue();
    }

    private static String whole(JsonNode n) {
        if (!n.isIntegralNumber() || !n.canConvertToLong()) {
            throw new IllegalArgumentException("must be a positive whole number");
        }
        return String.valueOf(n.longValue());
    }

    private static <T> T positive(T value) {
        if (value == null) {
            throw new IllegalArgumentException("must be a positive whole number");
        }
        return value;
    }

    /** A non-empty array of distinct non-blank strings none of which holds a separator ({@code separator}, a regex class). */
    private static List<String> words(JsonNode n, String separator) {
        if (!n.isArray() || n.isEmpty() || n.size() > 200) {
            throw new IllegalArgumentException("must be an array of 1 to 200 strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : n) {
            if (!item.isTextual() || item.textValue().isBlank() || item.textValue().length() > 255 || !JsonBody.cleanText(item.textValue())
                    || item.textValue().matches(".*" + separator + ".*")) {
                throw new IllegalArgumentException("must hold non-blank strings of at most 255 characters without separators");
            }
            if (!out.contains(item.textValue())) {
                out.add(item.textValue());
            }
        }
        return out;
    }

    private static JsonNode object(JsonNode n) {
        if (!n.isObject()) {
            throw new IllegalArgumentException("must be a JSON object");
        }
        return n;
    }

    private static String json(Object value) {
        try {
            return JsonSerialization.mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot be written as JSON");
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }
}
