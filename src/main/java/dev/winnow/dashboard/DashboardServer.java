package dev.winnow.dashboard;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * The dashboard's HTTP server, on Vert.x as the operator's port is: the page's files, each view as JSON, and the
 * same views as Server-Sent Events that follow the informers live. Changes are gathered for {@value #PUSH_MILLIS}
 * ms and each open page gets its view again only when it differs, so a busy cluster costs one push a beat.
 */
public final class DashboardServer implements AutoCloseable {
    static final long PUSH_MILLIS = 200;
    /** A comment line now and then, so a proxy or the browser does not drop a quiet stream. */
    static final long KEEPALIVE_MILLIS = 15_000;
    private static final ObjectMapper JSON = new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL);

    /** One open page: what it shows and the last JSON it got. */
    private static final class Stream {
        final Function<Snapshot, Object> view;
        final HttpServerResponse response;
        String last;

        Stream(Function<Snapshot, Object> view, HttpServerResponse response) {
            this.view = view;
            this.response = response;
        }
    }

    private final Vertx vertx;
    private final ClusterWatch watch;
    private final PoolMapView maps;
    private final AtomicBoolean changed;
    private final Set<Stream> streams = ConcurrentHashMap.newKeySet();
    private HttpServer server;
    private String host;

    private DashboardServer(Vertx vertx, ClusterWatch watch, PoolMapView maps, AtomicBoolean changed) {
        this.vertx = vertx;
        this.changed = changed;
        this.watch = watch;
        this.maps = maps;
    }

    /**
     * Watches the namespaces (none: all) with the viewer's client and serves the page on host:port (port 0: a free
     * one, see {@link #url()}).
     *
     * @param environment where the pool map's storage credentials come from, as for {@code winnow map}
     */
    public static DashboardServer start(KubernetesClient client, List<String> namespaces, String host, int port,
                                        Map<String, String> environment) {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1).setInternalBlockingPoolSize(1));
        AtomicBoolean changed = new AtomicBoolean(true);
        ClusterWatch watch;
        try {
            watch = ClusterWatch.start(client, namespaces, () -> changed.set(true));
        } catch (RuntimeException e) {
            vertx.close();
            throw e;
        }
        DashboardServer d = new DashboardServer(vertx, watch, new PoolMapView(environment), changed);
        try {
            d.listen(host, port);
            return d;
        } catch (RuntimeException e) {
            d.close();
            throw e;
        }
    }

    private void listen(String host, int port) {
        this.host = host;
        Map<String, StaticFiles.File> files = StaticFiles.load();
        Router router = Router.router(vertx);
        router.route().handler(this::sameHost);
        router.get("/").handler(ctx -> send(ctx, files.get("index.html")));
        router.get("/static/:file").handler(ctx -> {
            StaticFiles.File file = files.get(ctx.pathParam("file"));
            if (file == null) {
                ctx.fail(404);
            } else {
                send(ctx, file);
            }
        });
        router.get("/api/view").handler(ctx -> withView(ctx, view -> ctx.response()
                .putHeader("Content-Type", "application/json").end(json(view.apply(watch.snapshot())))));
        router.get("/api/stream").handler(ctx -> withView(ctx, view -> open(ctx, view)));
        router.get("/api/map").handler(this::map);
        vertx.setPeriodic(PUSH_MILLIS, id -> {
            if (changed.getAndSet(false)) {
                Snapshot s = watch.snapshot();
                streams.forEach(st -> push(st, s));
            }
        });
        vertx.setPeriodic(KEEPALIVE_MILLIS, id -> streams.forEach(st -> st.response.write(": keep-alive\n\n")));
        try {
            server = vertx.createHttpServer().requestHandler(router).listen(port, host)
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while opening port " + port, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot serve the dashboard on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        changed.set(true);
    }

    /**
     * Answers only requests addressed to this server by name: a web page elsewhere could otherwise point a name of
     * its own at 127.0.0.1 (DNS rebinding) and read the viewer's cluster through their browser.
     */
    private void sameHost(RoutingContext ctx) {
        String name = ctx.request().authority() == null ? "" : ctx.request().authority().host();
        if (List.of("localhost", "127.0.0.1", "[::1]", "::1", host).contains(name)) {
            ctx.next();
        } else {
            ctx.response().setStatusCode(403).end("the dashboard answers to localhost only");
        }
    }

    private static void send(RoutingContext ctx, StaticFiles.File file) {
        ctx.response().putHeader("Content-Type", file.contentType()).putHeader("Cache-Control", "no-cache").end(file.content());
    }

    /** The view the query names: view=list, or view=loop|dataset with ns and name. */
    static Function<Snapshot, Object> view(String kind, String ns, String name) {
        if ("list".equals(kind)) {
            return LoopRows::of;
        }
        if (ns == null || name == null) {
            return null;
        }
        return switch (kind == null ? "" : kind) {
            case "loop" -> s -> LoopPages.of(s, ns, name).orElse(null);
            case "dataset" -> s -> DatasetPages.of(s, ns, name).orElse(null);
            default -> null;
        };
    }

    private static void withView(RoutingContext ctx, java.util.function.Consumer<Function<Snapshot, Object>> then) {
        var q = ctx.queryParams();
        Function<Snapshot, Object> view = view(q.get("view"), q.get("ns"), q.get("name"));
        if (view == null) {
            ctx.response().setStatusCode(400).end("view=list, or view=loop or view=dataset with ns and name");
        } else {
            then.accept(view);
        }
    }

    private void open(RoutingContext ctx, Function<Snapshot, Object> view) {
        HttpServerResponse r = ctx.response().setChunked(true).putHeader("Content-Type", "text/event-stream")
                .putHeader("Cache-Control", "no-cache");
        Stream st = new Stream(view, r);
        streams.add(st);
        r.closeHandler(v -> streams.remove(st));
        push(st, watch.snapshot());
    }

    private static void push(Stream st, Snapshot s) {
        String body = json(st.view.apply(s));
        if (!body.equals(st.last)) {
            st.last = body;
            st.response.write("data: " + body + "\n\n");
        }
    }

    /**
     * The pool map, drawn off the event loop, as JSON with the SVG or the sentence saying why there is none: always
     * 200, since a browser reports every failed fetch on its console.
     */
    private void map(RoutingContext ctx) {
        String ns = ctx.queryParams().get("ns");
        String name = ctx.queryParams().get("name");
        var page = ns == null || name == null ? null : DatasetPages.of(watch.snapshot(), ns, name).orElse(null);
        if (page == null) {
            ctx.response().putHeader("Content-Type", "application/json")
                    .end(json(new PoolMapView.Result(null, "No such Dataset, or you may not see it.")));
            return;
        }
        vertx.executeBlocking(() -> maps.draw(page)).onComplete(done -> ctx.response()
                .putHeader("Content-Type", "application/json").end(json(done.succeeded() ? done.result()
                        : new PoolMapView.Result(null, "No pool map: " + done.cause().getMessage()))));
    }

    static String json(Object view) {
        try {
            return JSON.writeValueAsString(view);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return server.actualPort();
    }

    /** Where to open the page. */
    public String url() {
        return "http://" + ("0.0.0.0".equals(host) || "127.0.0.1".equals(host) ? "localhost" : host) + ":" + port() + "/";
    }

    @Override
    public void close() {
        watch.close();
        vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> null).join();
    }
}
