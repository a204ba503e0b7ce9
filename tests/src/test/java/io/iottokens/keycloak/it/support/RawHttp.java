package io.iottokens.keycloak.it.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

import java.util.Map;

/**
 * One HTTP/1.1 request from a chosen local address (127.0.0.2, 127.0.0.3, ...), so tests can play several
 * clients on one machine: java.net.http cannot pick its source address on Java 17.
 */
public final class RawHttp {

    private RawHttp() {
    }

    public static Api.Resp postForm(String fromAddress, String url, Map<String, String> form) {
        URI u = URI.create(url);
        HandledSecrets.requestForm(form);
        byte[] body = Api.form(form).getBytes(StandardCharsets.UTF_8);
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(fromAddress, 0));
            s.connect(new InetSocketAddress(u.getHost(), u.getPort()), 5000);
            s.setSoTimeout(30000);
            OutputStream out = s.getOutputStream();
            String head = "POST " + u.getRawPath() + " HTTP/1.1\r\n"
                    + "Host: " + u.getHost() + ":" + u.getPort() + "\r\n"
                    + "Content-Type: application/x-www-form-urlencoded\r\n"
                    + "Content-Length: " + body.length + "\r\n"
                    + "Connection: close\r\n\r\n";
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            InputStream in = s.getInputStream();
            String raw = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int status = Integer.parseInt(raw.substring(9, 12));
            int split = raw.indexOf("\r\n\r\n");
            String headers = raw.substring(0, split);
            String payload = raw.substring(split + 4);
            if (headers.toLowerCase().contains("transfer-encoding: chunked")) {
                payload = dechunk(payload);
            }
            HandledSecrets.response(payload);
            return new Api.Resp(status, Map.of(), payload);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The byte arrays one after the other, for bodies that mix text with raw bytes. */
    public static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    private static String dechunk(String s) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < s.length()) {
            int eol = s.indexOf("\r\n", i);
            int size = Integer.parseInt(s.substring(i, eol).trim().split(";")[0], 16);
            if (size == 0) {
                break;
            }
            out.append(s, eol + 2, eol + 2 + size);
            i = eol + 2 + size + 2;
        }
        return out.toString();
    }

}
