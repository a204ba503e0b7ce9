package io.iottokens.keycloak.apikey;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.keycloak.Config;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

import io.iottokens.keycloak.common.Options;

/**
 * Server options of the API key feature, read once at start. Set them like any Keycloak SPI option, e.g.
 * {@code --spi-realm-restapi-extension--api-keys--pepper=...} or
 * {@code KC_SPI_REALM_RESTAPI_EXTENSION__API_KEYS__PEPPER}.
 *
 * @param pepper            server-side key of the secret hash (HMAC-SHA-256); null = a per-realm key kept
 *                          in the database (works, but a pepper outside the database is stronger)
 * @param maxLifetime       longest lifetime a key may have (null = unlimited); a realm may set a shorter one
 *                          in its attribute {@value #REALM_MAX_LIFETIME_ATTRIBUTE}
 * @param keyAddressFailures wrong secrets for one key from one address before that pair is blocked
 * @param addressFailures   failed attempts from one address (any key) before the address is blocked
 * @param failureWindow     the window in which failures are counted
 * @param blockTime         first block; doubles on each repeat up to {@code maxBlockTime}
 * @param maxBlockTime      longest block
 * @param keyFailures       wrong secrets for one key, from any address, within {@code keyFailureWindow} before the key
 *                          itself is locked (0 = no per-key lockout)
 * @param keyFailureWindow  the window in which a key's wrong secrets are counted
 * @param keyLockTime       how long a locked key refuses every secret, the right one included
 * @param lastUsedResolution the last-used time is written at most once per key in this interval
 * @param maxKeysPerUser    keys (not revoked) one user may hold
 */
public record ApiKeyConfig(
        byte[] pepper,
        Duration maxLifetime,
        int keyAddressFailures,
        int addressFailures,
        Duration failureWindow,
        Duration blockTime,
        Duration maxBlockTime,
        int keyFailures,
        Duration keyFailureWindow,
        Duration keyLockTime,
        Duration lastUsedResolution,
        int maxKeysPerUser) {

    public static final String REALM_MAX_LIFETIME_ATTRIBUTE = "iottokens.apiKey.maxLifetime";
    public static final int MEMO_MAX_LENGTH = 255;
    public static final int MAX_ROLES = 50;
    public static final int MAX_BODY_BYTES = 16 * 1024;

    public static ApiKeyConfig from(Config.Scope c) {
        String pepper = c.get("pepper");
        return new ApiKeyConfig(
                pepper == null || pepper.isEmpty() ? null : pepper.getBytes(StandardCharsets.UTF_8),
                duration(c, "max-lifetime", null),
                c.getInt("throttle-key-address-failures", 5),
                c.getInt("throttle-address-failures", 50),
                duration(c, "throttle-window", Duration.ofMinutes(5)),
                duration(c, "throttle-block", Duration.ofSeconds(60)),
                duration(c, "throttle-max-block", Duration.ofMinutes(15)),
                c.getInt("lockout-key-failures", 20),
                duration(c, "lockout-window", Duration.ofMinutes(15)),
                duration(c, "lockout-time", Duration.ofMinutes(15)),
                duration(c, "last-used-resolution", Duration.ofSeconds(60)),
                c.getInt("max-keys-per-user", 100));
    }

    private static Duration duration(Config.Scope c, String name, Duration dflt) {
        return Options.duration(c, "api-keys", name, dflt);
    }

    public static List<ProviderConfigProperty> metadata() {
        return ProviderConfigurationBuilder.create()
                .property().name("pepper").type("password")
                .helpText("Server-side key of the API secret hash (HMAC-SHA-256), at least 32 characters. Unset: a random per-realm key kept in the database. Changing it invalidates every secret.")
                .add()
                .property().name("max-lifetime").type("string")
                .helpText("Longest lifetime of an API key (1d, 1w, 1m, 1y or ISO-8601 such as P90D). Unset: unlimited; keys without a duration never expire.")
                .add()
                .property().name("throttle-key-address-failures").type("int").defaultValue(5)
                .helpText("Wrong secrets for one key from one address before that pair is blocked.")
                .add()
                .property().name("throttle-address-failures").type("int").defaultValue(50)
                .helpText("Failed API key grants from one address (any key) before the address is blocked.")
                .add()
                .property().name("throttle-window").type("string").defaultValue("PT5M")
                .helpText("Window in which failures are counted.")
                .add()
                .property().name("throttle-block").type("string").defaultValue("PT60S")
                .helpText("First block; doubles on every repeat.")
                .add()
                .property().name("throttle-max-block").type("string").defaultValue("PT15M")
                .helpText("Longest block.")
                .add()
                .property().name("lockout-key-failures").type("int").defaultValue(20)
                .helpText("Wrong secrets for one key, from any address, within the lockout window before the key refuses every secret for the lockout time. 0: no per-key lockout. Separate from the owner's password lockout.")
                .add()
                .property().name("lockout-window").type("string").defaultValue("PT15M")
                .helpText("Window in which a key's wrong secrets are counted.")
                .add()
                .property().name("lockout-time").type("string").defaultValue("PT15M")
                .helpText("How long a locked key refuses every secret.")
                .add()
                .property().name("last-used-resolution").type("string").defaultValue("PT60S")
                .helpText("The last-used time of a key is written at most once in this interval.")
                .add()
                .property().name("max-keys-per-user").type("int").defaultValue(100)
                .helpText("API keys (not revoked) one user may hold.")
                .add()
                .build();
    }
}
