package io.iottokens.keycloak.purposed;

import java.time.Duration;
import java.util.List;

import org.keycloak.Config;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

import io.iottokens.keycloak.common.Durations;
import io.iottokens.keycloak.common.Options;

/**
 * Server options of purposed tokens, read once at start. Set them like any Keycloak SPI option, e.g.
 * {@code --spi-realm-restapi-extension--purposed-tokens--expired-retention=P30D} or
 * {@code KC_SPI_REALM_RESTAPI_EXTENSION__PURPOSED_TOKENS__EXPIRED_RETENTION}. A broken value stops the server at start
 * with the option's name. (Per-realm settings are realm attributes: {@link PurposedSettings}, {@link PurposedScopes}.)
 *
 * @param expiredRetention how long an expired token stays listed to its owner before the sweep deletes it
 * @param sweepInterval    how often each node runs that sweep
 */
public record PurposedConfig(Duration expiredRetention, Duration sweepInterval) {

    public static final String EXPIRED_RETENTION = "expired-retention";
    public static final String SWEEP_INTERVAL = "sweep-interval";
    static final String DEFAULT_EXPIRED_RETENTION = "P30D";
    static final String DEFAULT_SWEEP_INTERVAL = "PT1H";

    public static PurposedConfig from(Config.Scope c) {
        return new PurposedConfig(
                Options.duration(c, PurposedFeature.OWNER_ID, EXPIRED_RETENTION, Durations.parse(DEFAULT_EXPIRED_RETENTION)),
                Options.duration(c, PurposedFeature.OWNER_ID, SWEEP_INTERVAL, Durations.parse(DEFAULT_SWEEP_INTERVAL)));
    }

    public static List<ProviderConfigProperty> metadata() {
        return ProviderConfigurationBuilder.create()
                .property().name(EXPIRED_RETENTION).type("string").defaultValue(DEFAULT_EXPIRED_RETENTION)
                .helpText("How long an expired purposed token stays listed to its owner before the sweep deletes it (1d, 1w or ISO-8601 such as P30D, PT1H).")
                .add()
                .property().name(SWEEP_INTERVAL).type("string").defaultValue(DEFAULT_SWEEP_INTERVAL)
                .helpText("How often each node deletes purposed tokens expired longer than " + EXPIRED_RETENTION + " ago.")
                .add()
                .build();
    }
}
