package io.iottokens.keycloak.it.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The fenced code blocks of a Markdown file (the README) and the rules its shell examples follow:
 * <ul>
 * <li>a block fenced as {@value #RUN} is run, in document order; {@value #NO_RUN} marks a shell block that is
 * only shown (the two commands that build and start servers, the install section); other info strings
 * ({@code text}, {@code java}, none) are prose;</li>
 * <li>a line {@value #EXPECT}{@code <what>} in a run block is what the command before it prints, one such line
 * per printed line. {@code <what>} is compared as JSON when both it and the printed line are JSON (members in
 * any order), else as text. In either, {@code "..."} stands for any value, and a string ending in {@code ...}
 * for any string that starts with what comes before it; in text, {@code ...} stands for any characters.</li>
 * </ul>
 */
public final class ReadmeBlocks {

    public static final String RUN = "sh";
    public static final String NO_RUN = "sh no-run";
    public static final String EXPECT = "# => ";
    private static final String ANY = "...";

    private static final Pattern FENCE = Pattern.compile("^```(.*)$");
    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]*");
    private static final Pattern API_SECRET = Pattern.compile("iots_[A-Za-z0-9]+");

    /** One fenced block: the line of its opening fence (1-based), its info string and its lines. */
    public record Block(int line, String info, List<String> lines) {

        public String code() {
            return String.join("\n", lines);
        }

        /** What its {@value #EXPECT} lines say the block prints, in order. */
        public List<String> expected() {
            List<String> out = new ArrayList<>();
            for (String l : lines) {
                String s = l.strip();
                if (s.startsWith(EXPECT)) {
                    out.add(s.substring(EXPECT.length()));
                }
            }
            return out;
        }
    }

    private ReadmeBlocks() {
    }

    /** Every fenced block of the file, in order; a fence left open is an error. */
    public static List<Block> blocks(Path markdown) throws IOException {
        List<String> lines = Files.readAllLines(markdown, StandardCharsets.UTF_8);
        List<Block> out = new ArrayList<>();
        int start = -1;
        String info = null;
        List<String> body = null;
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = FENCE.matcher(lines.get(i));
            if (body == null) {
                if (m.matches()) {
                    start = i + 1;
                    info = m.group(1).strip();
                    body = new ArrayList<>();
                }
            } else if (lines.get(i).startsWith("```")) {
                out.add(new Block(start, info, List.copyOf(body)));
                body = null;
            } else {
                body.add(lines.get(i));
            }
        }
        if (body != null) {
            throw new IllegalStateException(markdown + ": the block opened on line " + start + " is not closed");
        }
        return out;
    }

    /** Whether {@code actual}, one printed line, is what {@code expected} describes (see the class comment). */
    public static boolean matches(String expected, String actual) {
        if (expected.equals(actual)) {
            return true;
        }
        JsonNode e = json(expected);
        JsonNode a = json(actual);
        if (e != null && a != null) {
            return matches(e, a);
        }
        StringBuilder regex = new StringBuilder();
        int from = 0;
        for (int at = expected.indexOf(ANY); at >= 0; at = expected.indexOf(ANY, from)) {
            regex.append(Pattern.quote(expected.substring(from, at))).append(".*");
            from = at + ANY.length();
        }
        regex.append(Pattern.quote(expected.substring(from)));
        return Pattern.compile(regex.toString(), Pattern.DOTALL).matcher(actual).matches();
    }

    private static boolean matches(JsonNode e, JsonNode a) {
        if (e.isTextual()) {
            String t = e.asText();
            if (t.equals(ANY)) {
                return !a.isNull();
            }
            if (t.endsWith(ANY)) {
                return a.isTextual() && a.asText().startsWith(t.substring(0, t.length() - ANY.length()));
            }
            return e.equals(a);
        }
        if (e.isObject()) {
            if (!a.isObject() || e.size() != a.size()) {
                return false;
            }
            for (Iterator<String> names = e.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!a.has(name) || !matches(e.get(name), a.get(name))) {
                    return false;
                }
            }
            return true;
        }
        if (e.isArray()) {
            if (!a.isArray() || e.size() != a.size()) {
                return false;
            }
            for (int i = 0; i < e.size(); i++) {
                if (!matches(e.get(i), a.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return e.equals(a);
    }

    private static JsonNode json(String text) {
        String t = text.strip();
        if (t.isEmpty()) {
            return null;
        }
        try {
            return Api.JSON.readTree(t);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * {@code text} fit for a test report: every one of {@code secrets} (8 characters or more) replaced by
     * {@code ***}, and anything shaped like a JWT or an API secret masked too.
     */
    public static String mask(String text, Collection<String> secrets) {
        String out = text;
        List<String> longestFirst = secrets.stream().filter(s -> s != null && s.length() >= 8)
                .sorted(Comparator.comparingInt(String::length).reversed()).toList();
        for (String s : longestFirst) {
            out = out.replace(s, "***");
        }
        out = JWT.matcher(out).replaceAll("eyJ***");
        return API_SECRET.matcher(out).replaceAll("iots_***");
    }
}
