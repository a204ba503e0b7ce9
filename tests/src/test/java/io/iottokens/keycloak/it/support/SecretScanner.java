package io.iottokens.keycloak.it.support;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Looks for many secrets at once in files of any kind (logs, H2 database files, text dumps), byte by byte:
 * each secret as UTF-8 (which is also how H2 stores ASCII strings), UTF-16 (either byte order), and
 * URL-encoded when that differs. One pass per file: candidates are found by their first 8 bytes, then
 * compared in full.
 */
public final class SecretScanner {

    /** Where a secret was found; {@link #context} shows the bytes around it with the secret itself masked. */
    public record Finding(HandledSecrets.Secret secret, Path file, long offset, String encoding, String context) {
        @Override
        public String toString() {
            return secret.kind() + " (" + secret.seenAs() + ") in " + file + " at byte " + offset + " (" + encoding
                    + "): ..." + context + "...";
        }
    }

    private record Needle(HandledSecrets.Secret secret, byte[] bytes, String encoding) {
    }

    private static final int FILTER_BITS = 22;
    private static final int CONTEXT = 60;

    private final Map<Long, List<Needle>> byPrefix = new HashMap<>();
    private final BitSet filter = new BitSet(1 << FILTER_BITS);

    public SecretScanner(Collection<HandledSecrets.Secret> secrets) {
        for (HandledSecrets.Secret s : secrets) {
            add(s, s.value().getBytes(StandardCharsets.UTF_8), "UTF-8");
            add(s, s.value().getBytes(StandardCharsets.UTF_16LE), "UTF-16");
            add(s, s.value().getBytes(StandardCharsets.UTF_16BE), "UTF-16");
            String urlEncoded = URLEncoder.encode(s.value(), StandardCharsets.UTF_8);
            if (!urlEncoded.equals(s.value())) {
                add(s, urlEncoded.getBytes(StandardCharsets.US_ASCII), "URL-encoded");
            }
        }
    }

    private void add(HandledSecrets.Secret secret, byte[] bytes, String encoding) {
        if (bytes.length < 8) {
            throw new IllegalArgumentException("secrets shorter than 8 bytes cannot be scanned for: " + secret);
        }
        long prefix = prefix(bytes, 0);
        byPrefix.computeIfAbsent(prefix, k -> new ArrayList<>()).add(new Needle(secret, bytes, encoding));
        filter.set(slot(prefix));
    }

    /** Every occurrence of every secret in the file. */
    public List<Finding> scan(Path file) throws IOException {
        if (Files.size(file) > Integer.MAX_VALUE - 16) {
            throw new IOException(file + " is too large to scan in one piece");
        }
        byte[] data = Files.readAllBytes(file);
        List<Hit> hits = new ArrayList<>();
        Map<HandledSecrets.Secret, Integer> lastEnd = new HashMap<>();
        long window = 0;
        for (int i = 0; i < data.length; i++) {
            window = (window << 8) | (data[i] & 0xff);
            if (i < 7 || !filter.get(slot(window))) {
                continue;
            }
            List<Needle> candidates = byPrefix.get(window);
            if (candidates == null) {
                continue;
            }
            int start = i - 7;
            for (Needle n : candidates) {
                // ASCII in UTF-16 matches both byte orders one byte apart: one finding
                if (matches(data, start, n.bytes) && start >= lastEnd.getOrDefault(n.secret, 0)) {
                    hits.add(new Hit(start, n));
                    lastEnd.put(n.secret, start + n.bytes.length);
                }
            }
        }
        // every secret found in this file is masked in every context shown, not only the one it is about
        BitSet masked = new BitSet();
        hits.forEach(h -> masked.set(h.start, h.start + h.needle.bytes.length));
        List<Finding> found = new ArrayList<>();
        for (Hit h : hits) {
            found.add(new Finding(h.needle.secret, file, h.start, h.needle.encoding, context(data, masked, h)));
        }
        return found;
    }

    private record Hit(int start, Needle needle) {
    }

    private static boolean matches(byte[] data, int start, byte[] needle) {
        if (start + needle.length > data.length) {
            return false;
        }
        for (int j = 8; j < needle.length; j++) {
            if (data[start + j] != needle[j]) {
                return false;
            }
        }
        return true;
    }

    /** The bytes around a finding as printable ASCII, the secret replaced by its kind: never a secret itself. */
    private static String context(byte[] data, BitSet masked, Hit h) {
        boolean utf16 = h.needle.encoding.startsWith("UTF-16");
        int end = h.start + h.needle.bytes.length;
        return printable(data, masked, Math.max(0, h.start - CONTEXT), h.start, utf16)
                + "<" + h.needle.secret.kind() + ">"
                + printable(data, masked, end, Math.min(data.length, end + CONTEXT), utf16);
    }

    private static String printable(byte[] data, BitSet masked, int from, int to, boolean utf16) {
        StringBuilder out = new StringBuilder();
        for (int i = from; i < to; i++) {
            int b = data[i] & 0xff;
            if (masked.get(i)) {
                out.append('#');
            } else if (b == 0 && utf16) {
                continue; // the other byte of an ASCII character in UTF-16
            } else {
                out.append(b >= 0x20 && b < 0x7f ? (char) b : '.');
            }
        }
        return out.toString();
    }

    private static long prefix(byte[] bytes, int from) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (bytes[from + i] & 0xff);
        }
        return v;
    }

    private static int slot(long prefix) {
        return (int) ((prefix * 0x9E3779B97F4A7C15L) >>> (64 - FILTER_BITS));
    }
}
