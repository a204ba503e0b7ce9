package io.iottokens.sdk;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.sun.net.httpserver.HttpServer;

/** One JSON endpoint on 127.0.0.1 whose answer a test sets, counting calls and keeping request bodies and headers. */
final class StubEndpoint implements AutoCloseable {

    final AtomicInteger calls = new AtomicInteger();
    final AtomicReference<String> answer = new AtomicReference<>("{}");
    final AtomicInteger status = new AtomicInteger(200);
    final CopyOnWriteArrayList<String> bodies = new CopyOnWriteArrayList<>();
    final CopyOnWriteArrayList<String> authorizations = new CopyOnWriteArrayList<>();
    private final HttpServer server;

    StubEndpoint(String path) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(path, ex -> {
            calls.incrementAndGet();
            bodies.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            authorizations.add(auth == null ? "" : auth);
            byte[] b = answer.get().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(status.get(), b.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(b);
            }
        });
        server.start();
    }

    /** The issuer URL under which Keycloak's paths land on this stub. */
    String issuer() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/realms/iot";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
