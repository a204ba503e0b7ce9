package io.iottokens.keycloak.common;

/** Readers of realm and client attributes shared by the features' settings (and by the settings admin resource). */
public final class Attributes {

    private Attributes() {
    }

    /** A positive whole number up to {@code max}: its value, or null when unset, blank or anything else. */
    public static Long positive(String v, long max) {
        if (v == null || v.isBlank()) {
            return null;
        }
        try {
            long n = Long.parseLong(v.trim());
            return n > 0 && n <= max ? n : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
