package io.iottokens.keycloak.common;

/**
 * {@code first} (default 0) and {@code max} (default 20, at most 100) of a paged list, parsed from the raw
 * query strings so that a bad value is a 400 naming the parameter rather than a framework 404.
 */
public record Paging(int first, int max) {

    public static final int DEFAULT_MAX = 20;
    public static final int LIMIT = 100;

    public static Paging of(String first, String max) {
        int f = parse("first", first, 0);
        int m = parse("max", max, DEFAULT_MAX);
        if (f < 0) {
            throw PackException.badRequest("Parameter 'first' must be 0 or more");
        }
        if (m < 1 || m > LIMIT) {
            throw PackException.badRequest("Parameter 'max' must be between 1 and " + LIMIT);
        }
        return new Paging(f, m);
    }

    private static int parse(String name, String value, int dflt) {
        if (value == null || value.isEmpty()) {
            return dflt;
        }
        // ASCII digits only (Integer.parseInt also takes fullwidth and other Unicode digits), at most 9 of them
        if (!value.matches("-?[0-9]{1,9}")) {
            throw PackException.badRequest("Parameter '" + name + "' must be a whole number");
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw PackException.badRequest("Parameter '" + name + "' must be a whole number");
        }
    }
}
