package dev.winnow.operator.metrics;

import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts the operator's own requests to the API server, by verb and resource, as
 * {@code winnow_api_requests_total{verb,resource}}: what a platform team pays per loop and per round,
 * which the API server's own {@code apiserver_request_total} cannot tell apart from other clients'.
 * Verbs as the API server names them: get, list, watch, create, update, patch, delete.
 */
public final class ApiRequests implements Interceptor {
    static final String REQUESTS = "winnow.api.requests";

    private final MeterRegistry registry;
    // the counters by "verb resource": a few dozen, looked up on every request instead of built each time
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public ApiRequests(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
        String[] kind = kind(request.method(), request.uri().getRawPath(), request.uri().getRawQuery());
        counters.computeIfAbsent(kind[0] + " " + kind[1], k -> Counter.builder(REQUESTS)
                .description("Requests of the operator to the API server").tag("verb", kind[0]).tag("resource", kind[1])
                .register(registry)).increment();
    }

    /** {verb, resource} of a request: /api/v1/namespaces/ns/pods/name/status PATCH is {patch, pods/status}. */
    static String[] kind(String method, String path, String query) {
        List<String> parts = List.of(path.replaceAll("^/+|/+$", "").split("/"));
        // /api/v1/... or /apis/group/version/...
        int start = parts.isEmpty() ? 0 : parts.get(0).equals("api") ? 2 : parts.get(0).equals("apis") ? 3 : parts.size();
        List<String> rest = start >= parts.size() ? List.of() : parts.subList(start, parts.size());
        if (rest.size() >= 2 && rest.get(0).equals("namespaces") && rest.size() > 2) {
            rest = rest.subList(2, rest.size());
        }
        String resource = rest.isEmpty() ? "none" : rest.get(0) + (rest.size() > 2 ? "/" + rest.get(2) : "");
        boolean named = rest.size() >= 2;
        String verb = switch (method) {
            case "GET" -> query != null && query.contains("watch=true") ? "watch" : named ? "get" : "list";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> "delete";
            default -> method.toLowerCase(java.util.Locale.ROOT);
        };
        return new String[]{verb, resource};
    }
}
