package dev.winnow.operator;

import com.sun.net.httpserver.HttpServer;
import io.javaoperatorsdk.operator.Operator;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** /healthz and /readyz for the operator Deployment's probes, from JOSDK's own runtime info. */
public final class HealthEndpoint implements AutoCloseable {
    private final HttpServer server;

    public HealthEndpoint(Operator operator, int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress(port), 0);
        server.createContext("/healthz", exchange -> respond(exchange, operator.getRuntimeInfo().allEventSourcesAreHealthy()));
        server.createContext("/readyz", exchange -> respond(exchange, operator.getRuntimeInfo().isStarted()
                && operator.getRuntimeInfo().allEventSourcesAreHealthy()));
        server.start();
    }

    private static void respond(com.sun.net.httpserver.HttpExchange exchange, boolean ok) throws IOException {
        byte[] body = (ok ? "ok\n" : "unhealthy\n").getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(ok ? 200 : 503, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
