package io.iottokens.keycloak.common;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;

import jakarta.ws.rs.core.HttpHeaders;

import org.keycloak.models.KeycloakSession;
import org.keycloak.utils.KeycloakSessionUtil;

/**
 * A raw JSON request body (signed requests are verified over the exact bytes), read with a size limit after its
 * Content-Type is checked. Every body the pack reads is JSON, so every one goes through here: a form or a text
 * body is a 415, never a body read as something it was not sent as ({@code curl -d '{...}'} sends a form).
 *
 * <p>The rule, the same for every endpoint:
 * <ul>
 * <li>a non-empty body needs exactly one {@code Content-Type}: {@code application/json} or {@code application/*+json},
 * with {@code charset=utf-8} or no charset (RFC 8259: JSON between systems is UTF-8); other parameters are ignored;</li>
 * <li>an empty body may come without a Content-Type ({@code curl -X POST}, fetch without a body); with one, it must
 * be JSON too, so an empty form post is refused as well instead of taken for "no options";</li>
 * <li>anything else is 415 {@code unsupported_media_type}; the header value is never echoed.</li>
 * </ul>
 * The header is parsed here rather than by the JAX-RS implementation, so a malformed value is a 415 and not a
 * framework error, and the rule does not depend on how lenient that parser is.
 */
public final class RawBody {

    private static final String UNSUPPORTED = "The request body must be JSON: send it with 'Content-Type: application/json' (UTF-8)";

    private RawBody() {
    }

    public static byte[] read(InputStream in, int maxBytes) {
        return read(in, maxBytes, contentTypes());
    }

    /** {@link #read(InputStream, int)} with the request's Content-Type header values given (tests). */
    static byte[] read(InputStream in, int maxBytes, List<String> contentTypes) {
        if (contentTypes.size() > 1) {
            throw unsupported("Send exactly one Content-Type header");
        }
        String type = contentTypes.isEmpty() ? null : contentTypes.get(0);
        if (type != null && !isJson(type)) {
            throw unsupported(UNSUPPORTED);
        }
        byte[] raw;
        try {
            raw = in == null ? new byte[0] : in.readNBytes(maxBytes + 1);
        } catch (IOException e) {
            throw PackException.badRequest("The request body could not be read");
        }
        if (type == null && raw.length > 0) {
            throw unsupported(UNSUPPORTED);
        }
        if (raw.length > maxBytes) {
            throw PackException.tooLarge("The request body is larger than " + maxBytes + " bytes");
        }
        return raw;
    }

    /**
     * True for {@code application/json} and {@code application/<name>+json}, no charset or UTF-8, parameters well
     * formed ({@code name=token} or {@code name="quoted"}), charset at most once. Case-insensitive where RFC 9110 says so.
     */
    static boolean isJson(String headerValue) {
        String[] parts = headerValue.split(";", -1);
        String essence = parts[0].strip().toLowerCase(Locale.ROOT);
        int slash = essence.indexOf('/');
        if (slash < 0 || !"application".equals(essence.substring(0, slash))) {
            return false;
        }
        String subtype = essence.substring(slash + 1);
        if (!"json".equals(subtype) && !(subtype.endsWith("+json") && subtype.length() > 5 && isToken(subtype))) {
            return false;
        }
        boolean charsetSeen = false;
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].strip();
            if (p.isEmpty()) {
                continue; // "application/json;" is common and harmless
            }
            int eq = p.indexOf('=');
            if (eq <= 0 || !isToken(p.substring(0, eq))) {
                return false;
            }
            String name = p.substring(0, eq).toLowerCase(Locale.ROOT);
            String value = p.substring(eq + 1);
            if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                value = value.substring(1, value.length() - 1);
                if (value.indexOf('"') >= 0 || value.indexOf('\\') >= 0) {
                    return false;
                }
            } else if (!isToken(value)) {
                return false;
            }
            if ("charset".equals(name)) {
                if (charsetSeen || !"utf-8".equalsIgnoreCase(value)) {
                    return false;
                }
                charsetSeen = true;
            }
        }
        return true;
    }

    /** RFC 9110 token: one or more tchar. */
    private static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean tchar = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!tchar) {
                return false;
            }
        }
        return true;
    }

    /**
     * The Content-Type values of the request being served; none when no request is active (then only an empty
     * body passes, which fails closed).
     */
    private static List<String> contentTypes() {
        KeycloakSession session = KeycloakSessionUtil.getKeycloakSession();
        if (session == null || session.getContext() == null) {
            return List.of();
        }
        HttpHeaders headers = session.getContext().getRequestHeaders();
        List<String> values = headers == null ? null : headers.getRequestHeader(HttpHeaders.CONTENT_TYPE);
        return values == null ? List.of() : values;
    }

    private static PackException unsupported(String description) {
        return PackException.unsupportedMediaType(description);
    }
}
