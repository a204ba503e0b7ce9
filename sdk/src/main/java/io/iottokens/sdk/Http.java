package io.iottokens.sdk;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Collectors;

import com.nimbusds.jose.util.JSONObjectUtils;

import io.iottokens.sdk.IotTokenException.UnavailableException;

/** Form POSTs to the realm with JSON answers (the JDK's HTTP client, nimbus' JSON parser). */
final class Http {

    record Answer(int status, Map<String, Object> json) {
    }

    private final HttpClient client;
    private final Duration timeout;

    Http(Duration timeout) {
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    Answer postForm(String url, Map<String, String> form, String basicUser, String basicPassword) {
        String body = form.entrySet().stream()
                .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                .timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (basicUser != null) {
            // RFC 6749 2.3.1: client id and secret are form-encoded before Basic encoding
            String credentials = enc(basicUser) + ":" + enc(basicPassword);
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        }
        HttpResponse<String> r;
        try {
            r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UnavailableException("No answer from " + url, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("Interrupted while calling " + url, e);
        }
        Map<String, Object> json;
        try {
            json = JSONObjectUtils.parse(r.body());
        } catch (java.text.ParseException e) {
            if (r.statusCode() >= 500) {
                throw new UnavailableException("HTTP " + r.statusCode() + " from " + url, e);
            }
            json = Map.of();
        }
        if (r.statusCode() >= 500) {
            throw new UnavailableException("HTTP " + r.statusCode() + " from " + url, null);
        }
        return new Answer(r.statusCode(), json);
    }

    /** The realm URL without a trailing slash. */
    static String realm(String issuer) {
        return issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
