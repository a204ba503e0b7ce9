package io.iottokens.keycloak.purposed;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Set;

import jakarta.ws.rs.core.Response;

import org.keycloak.common.util.Time;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import com.fasterxml.jackson.databind.JsonNode;

import io.iottokens.keycloak.common.JsonBody;
import io.iottokens.keycloak.common.PackException;
import io.iottokens.keycloak.device.DeviceKeys;
import io.iottokens.keycloak.device.DeviceService;
import io.iottokens.keycloak.device.jpa.DeviceEntity;

/**
 * ubirch's bootstrap: a device with a registered key posts {@code {"token", "identity", "timestamp"}} signed
 * with that key ({@code X-Signature}: the SHA-512 scheme of {@link DeviceKeys#verify}). Every check runs before
 * anything changes: body, device key, signature, freshness, bootstrap token (state check of
 * {@link PurposedTokenService#check}, scope {@code thing:bootstrap}, the device among its {@code targetIdentities}),
 * single use of the signed body, and the device not belonging to another account. Then the token's owner owns the
 * device, the device joins the token's groups, and three tokens are issued for it: registration (15 min,
 * {@code thing:create}), anchoring ({@code upp:anchor}) and verification ({@code upp:verify}), each with
 * {@code tid} = [device].
 *
 * <p>The caller is not authenticated, so every problem with the token, the device's key or the signature gets one
 * and the same answer ({@link #refusal}): the difference between "unknown device", "bad signature", "revoked token"
 * or "the owner left the group" would tell a stranger about devices and accounts. The event keeps the reason.
 * Malformed requests (missing header or field, wrong JSON) still get a 400 naming what is wrong.
 */
public final class PurposedBootstrap {

    static final Set<String> FIELDS = Set.of("token", "identity", "timestamp");
    static final long REGISTRATION_SECONDS = 15 * 60;
    static final String EVENT_DEVICE = "device_id";

    private final KeycloakSession session;
    private final RealmModel realm;
    private final PurposedTokenService tokens;
    private final DeviceService devices;

    public PurposedBootstrap(KeycloakSession session, RealmModel realm, PurposedTokenService tokens) {
        this.session = session;
        this.realm = realm;
        this.tokens = tokens;
        this.devices = new DeviceService(session);
    }

    /** A token, key or signature problem: its reason goes to the event, never to the caller. */
    private static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final String eventError;

        Refused(String eventError, String reason) {
            super(reason, null, false, false);
            this.eventError = eventError;
        }
    }

    /** The one answer for every {@link Refused} request. */
    static PackException refusal() {
        return new PackException(Response.Status.FORBIDDEN.getStatusCode(), "access_denied",
                "Bootstrap refused: the token, the device's registered key or the signature is not valid for this request");
    }

    /** The three tokens a bootstrapped device gets. */
    public record Bootstrapped(PurposedTokenService.Issued registration, PurposedTokenService.Issued anchoring,
                               PurposedTokenService.Issued verification) {
    }

    /** Runs a bootstrap request: its raw body and its signature header. */
    public Bootstrapped bootstrap(byte[] raw, String signature) {
        EventBuilder event = new EventBuilder(realm, session, session.getContext().getConnection())
                .event(EventType.TOKEN_EXCHANGE).detail(Details.AUTH_METHOD, "purposed_bootstrap");
        try {
            return run(raw, signature, event);
        } catch (Refused r) {
            event.detail(Details.REASON, r.getMessage()).error(r.eventError);
            throw refusal();
        } catch (PackException e) {
            event.detail(Details.REASON, e.description()).error(e.error());
            throw e;
        }
    }

    private Bootstrapped run(byte[] raw, String signature, EventBuilder event) {
        if (signature == null || signature.isBlank()) {
            throw PackException.badRequest("Header 'X-Signature' (or 'X-Ubirch-Signature') is required: base64 signature of the SHA-512 digest of the body");
        }
        JsonNode parsed = raw.length == 0 ? null : JsonBody.strictTree(raw);
        if (parsed == null || !parsed.isObject()) {
            throw PackException.badRequest("The body must be the JSON object {\"token\", \"identity\", \"timestamp\"}");
        }
        JsonBody body = JsonBody.of(parsed, FIELDS);
        String token = body.string("token", 16 * 1024);
        String identity = body.string("identity", 255);
        Long timestamp = body.integer("timestamp");
        if (token == null || identity == null || timestamp == null) {
            throw PackException.badRequest("Fields 'token', 'identity' and 'timestamp' are required");
        }
        DeviceService.requireValidId(identity);
        event.detail(EVENT_DEVICE, identity);

        DeviceEntity device = devices.byDeviceId(realm, identity);
        DeviceKeys.DeviceKey key = device == null ? null : devices.key(device);
        if (key == null) {
            throw new Refused(Errors.INVALID_SIGNATURE, device == null ? "unknown device" : "the device has no registered key");
        }
        if (!DeviceKeys.verify(key, raw, signature)) {
            throw new Refused(Errors.INVALID_SIGNATURE, "the signature does not verify with the device's registered key");
        }
        // from here on the caller has proven to hold the device's key
        long now = Time.currentTime();
        long window = PurposedSettings.bootstrapWindow(realm);
        if (Math.abs(now - timestamp) > window) {
            throw PackException.badRequest("Field 'timestamp' is outside the accepted window of " + window + " seconds around the server time");
        }

        String[] reason = new String[1];
        PurposedTokenService.Checked boot = tokens.check(realm, token, reason);
        if (boot == null) {
            throw new Refused(Errors.INVALID_TOKEN, "bootstrap token: " + reason[0].replace('_', ' '));
        }
        event.user(boot.owner()).detail("purposed_token_id", boot.entity().getId());
        if (!List.of(boot.entity().getScopes().split(" ")).contains(PurposedTokenService.BOOTSTRAP_SCOPE)) {
            throw new Refused(Errors.NOT_ALLOWED, "bootstrap token lacks the scope " + PurposedTokenService.BOOTSTRAP_SCOPE);
        }
        if (!targets(PurposedTokenService.list(boot.entity().getTargetIdentities()), identity)) {
            throw new Refused(Errors.NOT_ALLOWED, "bootstrap token does not target this device");
        }
        String ownerId = boot.owner().getId();
        if (device.getOwnerId() != null && !device.getOwnerId().equals(ownerId)) {
            throw PackException.conflict("The device belongs to another account");
        }
        if (!session.singleUseObjects().putIfAbsent("iottokens.bootstrap." + realm.getId() + "." + sha256(raw), 2 * window + 60)) {
            throw PackException.conflict("This signed request has been used already");
        }

        // the bootstrap token's row stays locked until the tokens below are stored: a concurrent delete of it waits
        // and then deletes them too, or came first and the bootstrap is refused
        if (!tokens.lock(boot.entity())) {
            throw new Refused(Errors.INVALID_TOKEN, "bootstrap token: deleted");
        }
        // every check passed: the registry changes and the device gets its tokens
        devices.associate(realm, identity, ownerId, null);
        List<String> groups = PurposedTokenService.list(boot.entity().getTargetGroups());
        device.getGroups().addAll(groups);
        String purpose = boot.entity().getPurpose();
        List<String> origins = PurposedTokenService.list(boot.entity().getOriginDomains());
        Bootstrapped out = new Bootstrapped(
                issue(boot, purpose, identity, groups, origins, "thing:create", REGISTRATION_SECONDS),
                issue(boot, purpose, identity, groups, origins, "upp:anchor", null),
                issue(boot, purpose, identity, groups, origins, "upp:verify", null));
        event.success();
        return out;
    }

    /**
     * Whether a bootstrap token's {@code targetIdentities} admit the device: {@code ["*"]} admits any; a list of
     * ids only those; an empty list is a bootstrap token "for a tenant group" (README "Purposed tokens"), made before its devices
     * are known, and admits any device (the token's groups say where it goes).
     */
    static boolean targets(List<String> targetIdentities, String deviceId) {
        return targetIdentities.isEmpty() || targetIdentities.contains(PurposedRequest.WILDCARD) || targetIdentities.contains(deviceId);
    }

    private PurposedTokenService.Issued issue(PurposedTokenService.Checked boot, String purpose, String device, List<String> groups,
                                      List<String> origins, String scope, Long expiresIn) {
        PurposedClaims claims = new PurposedClaims(purpose, List.of(device), groups, origins, List.of(scope));
        return tokens.issue(realm, boot.owner(), claims, expiresIn, null, boot.entity().getId());
    }

    private static String sha256(byte[] raw) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256").digest(raw));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

}
