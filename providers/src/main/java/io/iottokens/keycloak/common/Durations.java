package io.iottokens.keycloak.common;

import java.time.Duration;
import java.time.Period;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Durations of the pack (key lifetimes, server options, realm settings): the presets {@code 1d 1w 1m 1y} (day, week, 30-day month, 365-day year) and ISO-8601
 * durations ({@code P30D}, {@code PT12H}, {@code P1Y2M}: years and months counted as 365 and 30 days).
 */
public final class Durations {

    private Durations() {
    }

    public static Duration parse(String value) {
        String v = value.trim();
        switch (v) {
            case "1d": return Duration.ofDays(1);
            case "1w": return Duration.ofDays(7);
            case "1m": return Duration.ofDays(30);
            case "1y": return Duration.ofDays(365);
            default: break;
        }
        String upper = v.toUpperCase(Locale.ROOT);
        if (!upper.startsWith("P")) {
            throw new IllegalArgumentException("use 1d, 1w, 1m, 1y or an ISO-8601 duration such as P30D");
        }
        Duration d;
        int t = upper.indexOf('T');
        try {
            if (t < 0) {
                d = fromPeriod(Period.parse(upper));
            } else if (t == 1) {
                d = Duration.parse(upper);
            } else {
                d = fromPeriod(Period.parse(upper.substring(0, t))).plus(Duration.parse("P" + upper.substring(t)));
            }
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new IllegalArgumentException("use 1d, 1w, 1m, 1y or an ISO-8601 duration such as P30D");
        }
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("the duration must be positive");
        }
        if (d.compareTo(Duration.ofDays(365L * 100)) > 0) {
            throw new IllegalArgumentException("the duration must be at most 100 years");
        }
        return d;
    }

    private static Duration fromPeriod(Period p) {
        return Duration.ofDays(Math.addExact(Math.addExact(Math.multiplyExact((long) p.getYears(), 365L),
                Math.multiplyExact((long) p.getMonths(), 30L)), p.getDays()));
    }
}
