package io.iottokens.keycloak.purposed;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.ws.rs.core.Response;

import org.keycloak.common.util.Time;
import org.keycloak.events.Details;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.util.JsonSerialization;

import com.fasterxml.jackson.databind.JsonNode;

import io.iottokens.keycloak.common.ApiError;
import io.iottokens.keycloak.common.JsonBody;
import io.iottokens.keycloak.device.DeviceKeys;
import io.iottokens.keycloak.device.DeviceService;
import io.iottokens.keycloak.device.jpa.DeviceEntity;

/**
 * ubirch's bootstrap: a device with a registered key posts {@code {"token", "identity", "timestamp"}} signed
 * with that key ({@code X-Signature}: the SHA-512 scheme of {@link DeviceKeys#verify}). Every check runs before
 * anything changes: body, device key, signature, freshness, bootstrap token (state check of
 * {@link PurposedTokenService#check}, scope {@code thing:bootstrap}), single use of the signed body, and the
 * device not belonging to another account. Then the token's owner owns the device, the device joins the
 * token's groups, and three tokens are issued for it: registration (15 min, {@code thing:create}), anchoring
 * ({@code upp:anchor}) and verification ({@code upp:verify}), each with {@code tid} = [device].
 */
final class PurposedBootstrap {

    static final Set<String> FIELDS = Set.of("token", "identity", "timestamp");
    static final long REGISTRATION_SECONDS = 15 * 60;
    static final String EVENT_DEVICE = "device_id";

    private final KeycloakSession session;
    private final RealmModel realm;
    private final PurposedTokenService tokens;
    private final DeviceService devices;

    PurposedBootstrap(KeycloakSession session, RealmModel realm, PurposedTokenService tokens) {
        this.session = session;
        this.realm = realm;
        this.tokens = tokens;
        this.devices = new DeviceService(session);
    }

    Map<String, Object> bootstrap(byte[] raw, String signature) {
        EventBuilder event = new EventBuilder(realm, session, session.getContext().getConnection())
                .event(EventType.TOKEN_EXCHANGE).detail(Details.AUTH_METHOD, "purposed_bootstrap");
        try {
            return run(raw, signature, event);
        } catch (ApiError e) {
            event.detail(Details.REASON, ((ApiError.Body) e.getResponse().getEntity()).error_description())
                    .error(((ApiError.Body) e.getResponse().getEntity()).error());
            throw e;
        }
    }

    private Map<String, Object> run(byte[] raw, String signature, EventBuilder event) {
        if (signature == null || signature.isBlank()) {
            throw ApiError.badRequest("Header 'X-Signature' (or 'X-Ubirch-Signature') is required: base64 signature of the SHA-512 digest of the body");
        }
        JsonNode parsed = raw.length == 0 ? null : JsonBody.strictTree(raw);
        if (parsed == null || !parsed.isObject()) {
            throw ApiError.badRequest("The body must be the JSON object {\"token\", \"identity\", \"timestamp\"}");
        }
        JsonBody body = JsonBody.of(parsed, FIELDS);
        String token = body.string("token", 16 * 1024);
        String identity = body.string("identity", 255);
        Long timestamp = body.integer("timestamp");
        if (token == null || identity == null || timestamp == null) {
            throw ApiError.badRequest("Fields 'token', 'identity' and 'timestamp' are required");
        }
        DeviceService.requireValidId(identity);
        event.detail(EVENT_DEVICE, identity);

        DeviceEntity device = devices.byDeviceId(realm, identity);
        DeviceKeys.DeviceKey key = device == null ? null : devices.key(device);
        if (key == null) {
            throw ApiError.badRequest("Field 'identity': the device has no registered key (POST /devices/{id}/key first)");
        }
        if (!DeviceKeys.verify(key, raw, signature)) {
            throw ApiError.of(Response.Status.BAD_REQUEST, "invalid_signature",
                    "The signature does not verify with the device's registered key (SHA-512 digest of the raw body)");
        }
        long now = Time.currentTime();
        long window = PurposedSettings.bootstrapWindow(realm);
        if (Math.abs(now - timestamp) > window) {
            throw ApiError.badRequest("Field 'timestamp' is outside the accepted window of " + window + " seconds around the server time");
        }

        String[] reason = new String[1];
        PurposedTokenService.Checked boot = tokens.check(realm, token, reason);
        if (boot == null) {
            throw ApiError.of(Response.Status.BAD_REQUEST, "invalid_token",
                    "Field 'token': not a valid bootstrap token of this realm (" + reason[0].replace('_', ' ') + ")");
        }
        event.user(boot.owner()).detail("purposed_token_id", boot.entity().getId());
        if (!List.of(boot.entity().getScopes().split(" ")).contains(PurposedTokenService.BOOTSTRAP_SCOPE)) {
            throw ApiError.of(Response.Status.FORBIDDEN, "insufficient_scope", "Field 'token': the token lacks the scope " + PurposedTokenService.BOOTSTRAP_SCOPE);
        }
        String ownerId = boot.owner().getId();
        if (device.getOwnerId() != null && !device.getOwnerId().equals(ownerId)) {
            throw ApiError.conflict("The device belongs to another account");
        }
        if (!session.singleUseObjects().putIfAbsent("iottokens.bootstrap." + realm.getId() + "." + sha256(raw), 2 * window + 60)) {
            throw ApiError.conflict("This signed request has been used already");
        }

        // every check passed: the registry changes and the device gets its tokens
        devices.associate(realm, identity, ownerId);
        List<String> groups = PurposedTokenService.list(boot.entity().getTargetGroups());
        device.getGroups().addAll(groups);
        String purpose = boot.entity().getPurpose();
        List<String> origins = PurposedTokenService.list(boot.entity().getOriginDomains());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("registration", issue(boot, purpose, identity, groups, origins, "thing:create", REGISTRATION_SECONDS));
        out.put("anchoring", issue(boot, purpose, identity, groups, origins, "upp:anchor", null));
        out.put("verification", issue(boot, purpose, identity, groups, origins, "upp:verify", null));
        event.success();
        return out;
    }

    private Map<String, Object> issue(PurposedTokenService.Checked boot, String purpose, String device, List<String> groups,
                                      List<String> origins, String scope, Long expiresIn) {
        PurposedClaims claims = new PurposedClaims(purpose, List.of(device), groups, origins, List.of(scope));
        return tokens.issue(realm, boot.owner(), claims, expiresIn, null).representation();
    }

    private static String sha256(byte[] raw) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256").digest(raw));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

}
