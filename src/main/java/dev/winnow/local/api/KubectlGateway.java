package dev.winnow.local.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ListOptions;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.Watchable;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP front kubectl talks to. The Fabric8 mock server keeps the objects but cannot serve kubectl: it has no
 * discovery for custom types, ignores {@code Accept: ...;as=Table}, and watches only over WebSockets while kubectl
 * watches with a streamed HTTP response. This front answers those three itself and forwards everything else
 * (create, update, patch, delete, plain gets) to the mock server unchanged.
 */
public final class KubectlGateway implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A blank line now and then lets a watch notice that kubectl went away; JSON stream decoders skip it. */
    private static final long HEARTBEAT_SECONDS = 10;
    private static final String END = "\u0000end";

    private final ApiCatalog catalog;
    private final KubernetesClient backendClient;
    private final URI backend;
    private final Path logsDir;
    private final HttpServer server;
    private final ExecutorService threads;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final Set<BlockingQueue<String>> watches = ConcurrentHashMap.newKeySet();

    /**
     * @param backend  base URL of the mock server, e.g. http://127.0.0.1:40123/
     * @param logsDir  where pod logs live as {@code <pod>.log} (served for kubectl logs), or null
     */
    public KubectlGateway(ApiCatalog catalog, KubernetesClient backendClient, URI backend, InetSocketAddress bind,
                          Path logsDir) throws IOException {
        this.catalog = catalog;
        this.backendClient = backendClient;
        this.backend = backend;
        this.logsDir = logsDir;
        this.server = HttpServer.create(bind, 0);
        this.threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "kubectl-gateway");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        watches.forEach(q -> q.offer(END));
        server.stop(0);
        threads.shutdownNow();
    }

    private void handle(HttpExchange ex) {
        try (ex) {
            String method = ex.getRequestMethod();
            String path = ex.getRequestURI().getRawPath();
            Map<String, String> query = query(ex.getRequestURI().getRawQuery());
            if ("GET".equals(method)) {
                JsonNode discovery = discovery(path);
                if (discovery != null) {
                    send(ex, 200, discovery);
                    return;
                }
                ResourcePath rp = ResourcePath.parse(path);
                ApiResource resource = rp == null ? null : catalog.find(rp.groupVersion, rp.plural).orElse(null);
                if (resource != null) {
                    if ("true".equals(query.get("watch")) || "1".equals(query.get("watch"))) {
                        watch(ex, resource, rp, query);
                        return;
                    }
                    if ("log".equals(rp.subresource) && "pods".equals(rp.plural) && logsDir != null) {
                        podLog(ex, rp.name);
                        return;
                    }
                    if (rp.subresource == null && wantsTable(ex)) {
                        table(ex, resource, query);
                        return;
                    }
                }
            }
            if (path.startsWith("/openapi/")) {
                // no schemas here: a 404 makes kubectl skip client-side validation instead of failing on a bad document
                sendStatus(ex, 404, "NotFound", "the embedded API serves no OpenAPI documents");
                return;
            }
            proxy(ex);
        } catch (Exception e) {
            try {
                sendStatus(ex, 500, "InternalError", String.valueOf(e.getMessage()));
            } catch (IOException | RuntimeException ignored) {
                // the client has gone; nothing left to tell it
            }
        }
    }

    private JsonNode discovery(String path) {
        String p = path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
        if (p.equals("/api")) {
            return catalog.coreVersions("127.0.0.1:" + port());
        } else if (p.equals("/apis")) {
            return catalog.groupList();
        } else if (p.equals("/api/v1")) {
            return catalog.resourceList("v1");
        } else if (p.equals("/version")) {
            ObjectNode v = JsonNodeFactory.instance.objectNode();
            v.put("major", "1").put("minor", "32").put("gitVersion", "v1.32.0-winnow-demo")
                    .put("platform", "linux/amd64");
            return v;
        }
        String[] s = p.split("/");
        if (s.length == 3 && s[1].equals("apis")) {
            return catalog.group(s[2]);
        } else if (s.length == 4 && s[1].equals("apis")) {
            return catalog.resourceList(s[2] + "/" + s[3]);
        }
        return null;
    }

    private static boolean wantsTable(HttpExchange ex) {
        String accept = ex.getRequestHeaders().getFirst("Accept");
        return accept != null && accept.contains("as=Table") && accept.contains("g=meta.k8s.io");
    }

    /** A list or get, converted to a Table with the type's printer columns. */
    private void table(HttpExchange ex, ApiResource resource, Map<String, String> query) throws Exception {
        HttpResponse<byte[]> r = forward("GET", ex.getRequestURI().getRawPath(), ex.getRequestURI().getRawQuery(),
                new byte[0], "application/json", null);
        if (r.statusCode() != 200) {
            ex.getResponseHeaders().set("Content-Type", "application/json");
            sendBytes(ex, r.statusCode(), r.body());
            return;
        }
        JsonNode body = JSON.readTree(r.body());
        List<JsonNode> objects = new ArrayList<>();
        String rv;
        if (body.has("items")) {
            body.get("items").forEach(objects::add);
            rv = body.path("metadata").path("resourceVersion").asText("");
            if (rv.isEmpty()) {
                // the mock server may leave the list's version empty; the newest item's is what a watch resumes from
                rv = Long.toString(objects.stream().mapToLong(KubectlGateway::resourceVersion).max().orElse(0));
            }
        } else {
            objects.add(body);
            rv = body.path("metadata").path("resourceVersion").asText("");
        }
        send(ex, 200, Tables.table(catalog.columns(resource), objects, rv, query.get("includeObject"), Instant.now()));
    }

    /**
     * A watch as kubectl expects it: one JSON event after another in a streamed response. The mock server's own
     * watch (a WebSocket) replays every existing object as ADDED, so events at or below the resourceVersion the
     * client already listed are dropped.
     */
    private void watch(HttpExchange ex, ApiResource resource, ResourcePath rp, Map<String, String> query)
            throws IOException {
        boolean table = wantsTable(ex);
        long since = parseLong(query.get("resourceVersion"));
        String fieldSelector = query.get("fieldSelector");
        if (rp.name != null) {
            fieldSelector = "metadata.name=" + rp.name;
        }
        ListOptions options = new ListOptionsBuilder().withLabelSelector(query.get("labelSelector"))
                .withFieldSelector(fieldSelector).build();
        long timeoutSeconds = query.containsKey("timeoutSeconds") ? parseLong(query.get("timeoutSeconds")) : 0;

        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        watches.add(events);
        Watcher<GenericKubernetesResource> watcher = new Watcher<>() {
            @Override
            public void eventReceived(Action action, GenericKubernetesResource resourceObject) {
                JsonNode object = JSON.valueToTree(resourceObject);
                if (action == Action.ADDED && since > 0 && resourceVersion(object) <= since) {
                    return;
                }
                JsonNode payload = object;
                if (table && action != Action.ERROR && action != Action.BOOKMARK) {
                    payload = Tables.table(catalog.columns(resource), List.of(object),
                            object.path("metadata").path("resourceVersion").asText(""),
                            query.get("includeObject"), Instant.now());
                }
                ObjectNode event = JsonNodeFactory.instance.objectNode();
                event.put("type", action.name());
                event.set("object", payload);
                events.offer(event.toString());
            }

            @Override
            public void onClose(WatcherException cause) {
                events.offer(END);
            }

            @Override
            public void onClose() {
                events.offer(END);
            }
        };
        var op = backendClient.genericKubernetesResources(resource.context());
        Watchable<GenericKubernetesResource> target = !resource.namespaced() ? op
                : rp.namespace == null ? op.inAnyNamespace() : op.inNamespace(rp.namespace);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(200, 0);
        long deadline = timeoutSeconds > 0 ? System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds) : Long.MAX_VALUE;
        try (Watch ignored = target.watch(options, watcher); OutputStream out = ex.getResponseBody()) {
            while (System.nanoTime() < deadline) {
                String e = events.poll(HEARTBEAT_SECONDS, TimeUnit.SECONDS);
                if (END.equals(e)) {
                    break;
                }
                out.write(((e == null ? "" : e) + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // kubectl closed the stream (Ctrl-C): end the backend watch too
        } finally {
            watches.remove(events);
        }
    }

    /** kubectl logs: the executor writes each pod's output to {@code <logs>/<pod>.log}. */
    private void podLog(HttpExchange ex, String pod) throws IOException {
        Path file = logsDir.resolve(pod + ".log");
        if (pod == null || pod.contains("/") || !Files.isRegularFile(file)) {
            sendStatus(ex, 404, "NotFound", "no log for pod " + pod);
            return;
        }
        ex.getResponseHeaders().set("Content-Type", "text/plain");
        sendBytes(ex, 200, Files.readAllBytes(file));
    }

    private void proxy(HttpExchange ex) throws Exception {
        byte[] body = ex.getRequestBody().readAllBytes();
        String method = ex.getRequestMethod();
        // the mock server tells a /status write by the end of the whole URL, so a query (kubectl adds
        // ?fieldManager=...) would turn it into a spec write that drops the status; writes need no query here
        String rawQuery = method.equals("GET") || method.equals("DELETE") ? ex.getRequestURI().getRawQuery() : null;
        HttpResponse<byte[]> r = forward(method, ex.getRequestURI().getRawPath(), rawQuery, body, ex.getRequestHeaders().getFirst("Accept"),
                ex.getRequestHeaders().getFirst("Content-Type"));
        ex.getResponseHeaders().set("Content-Type", r.headers().firstValue("Content-Type").orElse("application/json"));
        sendBytes(ex, r.statusCode(), r.body());
    }

    private HttpResponse<byte[]> forward(String method, String rawPath, String rawQuery, byte[] body, String accept,
                                         String contentType) throws IOException, InterruptedException {
        String target = rawPath.substring(1) + (rawQuery == null ? "" : "?" + rawQuery);
        HttpRequest.Builder b = HttpRequest.newBuilder(backend.resolve(target)).timeout(Duration.ofSeconds(30))
                .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (accept != null) {
            b.header("Accept", accept);
        }
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static void send(HttpExchange ex, int code, JsonNode json) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "application/json");
        sendBytes(ex, code, JSON.writeValueAsBytes(json));
    }

    private static void sendStatus(HttpExchange ex, int code, String reason, String message) throws IOException {
        ObjectNode s = JsonNodeFactory.instance.objectNode();
        s.put("kind", "Status").put("apiVersion", "v1").put("status", "Failure").put("message", message)
                .put("reason", reason).put("code", code);
        send(ex, code, s);
    }

    private static void sendBytes(HttpExchange ex, int code, byte[] body) throws IOException {
        ex.sendResponseHeaders(code, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    static long resourceVersion(JsonNode object) {
        return parseLong(object.path("metadata").path("resourceVersion").asText(""));
    }

    private static long parseLong(String s) {
        try {
            return s == null || s.isEmpty() ? 0 : Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new HashMap<>();
        if (raw == null) {
            return q;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            q.put(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
        }
        return q;
    }

    /** A resource URL: /api/v1/... or /apis/{group}/{version}/..., optionally namespaced, named, with a subresource. */
    record ResourcePath(String groupVersion, String namespace, String plural, String name, String subresource) {
        static ResourcePath parse(String path) {
            String[] s = path.replaceAll("^/+|/+$", "").split("/");
            int i;
            String gv;
            if (s.length >= 3 && s[0].equals("api")) {
                gv = s[1];
                i = 2;
            } else if (s.length >= 4 && s[0].equals("apis")) {
                gv = s[1] + "/" + s[2];
                i = 3;
            } else {
                return null;
            }
            List<String> rest = new ArrayList<>(List.of(s).subList(i, s.length));
            String ns = null;
            // /namespaces/{ns}/{plural}... is namespaced; /namespaces or /namespaces/{name} is the Namespace itself
            if (rest.size() >= 3 && rest.get(0).equals("namespaces")) {
                ns = rest.get(1);
                rest = rest.subList(2, rest.size());
            }
            return new ResourcePath(gv, ns, rest.get(0), rest.size() > 1 ? rest.get(1) : null,
                    rest.size() > 2 ? rest.get(2) : null);
        }
    }
}
