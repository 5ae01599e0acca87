package dev.winnow.operator;

import dev.winnow.api.v1alpha1.ActiveLearningLoop;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What Prometheus and the kubelet's probes get from the operator's HTTP port while a loop runs. */
class MetricsEndpointTest extends ClusterTest {
    OperatorHttpServer http;
    final HttpClient web = HttpClient.newHttpClient();

    @Override
    void startOperators() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Operator operator = cluster.startAnother(Optional.empty(), registry);
        http = OperatorHttpServer.start(operator, registry, 0);
    }

    @AfterEach
    void stopServer() {
        http.close();
    }

    @Test
    void countersMoveWhileALoopRuns() throws Exception {
        kubelet.manual();
        create(Manifests.dataset("fashion"));
        create(Manifests.loop("fashion", "fashion", 2));
        // index, initial selection and its labels, the first training
        for (int step = 0; step < 4; step++) {
            Eventually.until(TIMEOUT, () -> kubelet.pending().size() == 1, () -> "jobs run: " + kubelet.ran());
            kubelet.runPending();
        }
        Eventually.until(TIMEOUT, () -> kubelet.pending().size() == 1, () -> "jobs run: " + kubelet.ran());
        Scrape during = scrape();
        assertTrue(during.sum("reconciliations_started_total", "controller_name=\"activelearningloop\"") > 0, during.text);
        assertEquals(1, during.sum("winnow_step_duration_seconds_count", "step=\"train\""), during.text);
        assertEquals(100, during.sum("winnow_labels_requested_total", "namespace=\"ml\""), "the initial selection");
        assertEquals(100, during.sum("winnow_labels_received_total", "namespace=\"ml\""));
        assertEquals(0, during.sum("winnow_rounds_completed_total", ""), "round 1 still infers");
        assertEquals(1, during.sum("winnow_loops", "phase=\"Inferring\"") + during.sum("winnow_loops", "phase=\"Training\""),
                during.text);

        kubelet.automatic();
        await(ActiveLearningLoop.class, "fashion", s -> phase(s, "Succeeded"));
        Scrape after = scrape();
        assertTrue(after.sum("reconciliations_started_total", "controller_name=\"activelearningloop\"")
                > during.sum("reconciliations_started_total", "controller_name=\"activelearningloop\""));
        assertEquals(2, after.sum("winnow_step_duration_seconds_count", "step=\"train\""), after.text);
        assertEquals(2, after.sum("winnow_rounds_completed_total", "namespace=\"ml\""));
        assertEquals(150, after.sum("winnow_labels_requested_total", "namespace=\"ml\""), "100 initial + 50 in round 1");
        assertEquals(1, after.sum("winnow_loops", "phase=\"Succeeded\""));
        assertEquals(0, after.sum("winnow_loops", "phase=\"Training\""), "a phase no loop is in reads 0");
        assertEquals(0, after.sum("reconciliations_failure_total", ""), after.text);
    }

    @Test
    void probesAnswerOnTheSamePort() throws Exception {
        HttpResponse<String> live = get("/healthz");
        assertEquals(200, live.statusCode());
        assertTrue(live.body().contains("\"status\":\"UP\""), live.body());
        assertEquals(200, get("/readyz").statusCode());
        assertEquals(404, get("/nothing").statusCode());
    }

    private Scrape scrape() throws IOException, InterruptedException {
        HttpResponse<String> response = get("/metrics");
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
        return new Scrape(response.body());
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return web.send(HttpRequest.newBuilder(URI.create("http://localhost:" + http.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Prometheus' text format, read the way a query would: the sum over the series of a name that carry a label. */
    record Scrape(String text) {
        double sum(String name, String label) {
            return text.lines()
                    .filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
                    .filter(l -> l.contains(label))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                    .sum();
        }
    }
}
