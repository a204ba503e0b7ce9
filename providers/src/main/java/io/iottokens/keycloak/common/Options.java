package io.iottokens.keycloak.common;

import java.time.Duration;
import java.time.format.DateTimeParseException;

import org.keycloak.Config;


/** Server options of the pack's providers ({@code --spi-<spi>--<provider>--<name>=...}). */
public final class Options {

    private Options() {
    }

    /**
     * A duration option ({@code 1d 1w 1m 1y} or ISO-8601 such as {@code PT5M}, {@code P30D}); {@code dflt} when
     * unset. A malformed value stops the server at start with the option's name, never later.
     */
    public static Duration duration(Config.Scope c, String provider, String name, Duration dflt) {
        String v = c.get(name);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        try {
            return Durations.parse(v);
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new IllegalArgumentException("Option " + name + " of the " + provider + " provider: " + e.getMessage(), e);
        }
    }
}
