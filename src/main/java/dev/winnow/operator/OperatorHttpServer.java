package dev.winnow.operator;

import io.javaoperatorsdk.operator.Operator;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.healthchecks.HealthCheckHandler;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The operator's one HTTP port, on Vert.x (the Fabric8 client's HTTP engine, so nothing new to
 * run): Prometheus metrics at /metrics, and Vert.x health checks at /healthz (liveness: the
 * informers work) and /readyz (readiness: started, informers work). A standby replica is ready
 * too: it must be, or a rolling update would wait on it forever while the old leader holds the lease.
 */
public final class OperatorHttpServer implements AutoCloseable {
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final Vertx vertx;
    private final HttpServer server;

    private OperatorHttpServer(Vertx vertx, HttpServer server) {
        this.vertx = vertx;
        this.server = server;
    }

    /** Listens on the port (0: any free one, see {@link #port()}). */
    public static OperatorHttpServer start(Operator operator, PrometheusMeterRegistry registry, int port) {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1).setInternalBlockingPoolSize(1));
        var runtime = operator.getRuntimeInfo();
        Router router = Router.router(vertx);
        router.get("/metrics").handler(ctx -> ctx.response().putHeader("Content-Type", PROMETHEUS_TEXT).end(registry.scrape()));
        router.get("/healthz").handler(HealthCheckHandler.create(vertx)
                .register("informers", p -> p.complete(status(runtime.allEventSourcesAreHealthy()))));
        router.get("/readyz").handler(HealthCheckHandler.create(vertx)
                .register("started", p -> p.complete(status(runtime.isStarted())))
                .register("informers", p -> p.complete(status(runtime.allEventSourcesAreHealthy()))));
        try {
            HttpServer server = vertx.createHttpServer().requestHandler(router).listen(port)
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            return new OperatorHttpServer(vertx, server);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            vertx.close();
            throw new IllegalStateException("interrupted while opening port " + port, e);
        } catch (ExecutionException | TimeoutException e) {
            vertx.close();
            throw new IllegalStateException("cannot serve metrics and probes on port " + port + ": " + e.getMessage(), e);
        }
    }

    private static Status status(boolean ok) {
        return ok ? Status.OK() : Status.KO();
    }

    public int port() {
        return server.actualPort();
    }

    @Override
    public void close() {
        vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> null).join();
    }
}
