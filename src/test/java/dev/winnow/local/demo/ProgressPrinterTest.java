package dev.winnow.local.demo;

import dev.winnow.api.v1alpha1.ActiveLearningLoop;
import dev.winnow.api.v1alpha1.ActiveLearningLoopSpec;
import dev.winnow.api.v1alpha1.ActiveLearningLoopStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@EnableKubernetesMockClient(crud = true)
class ProgressPrinterTest {
    KubernetesClient client;

    private static ActiveLearningLoop loop(Map<String, Double> metrics) {
        ActiveLearningLoop loop = new ActiveLearningLoop();
        loop.setMetadata(new ObjectMetaBuilder().withName("det-random-s1").build());
        loop.setSpec(new ActiveLearningLoopSpec()); // as a benchmark makes it: no stop metric
        ActiveLearningLoopStatus status = new ActiveLearningLoopStatus();
        ActiveLearningLoopStatus.RoundEntry entry = new ActiveLearningLoopStatus.RoundEntry();
        entry.round = 1;
        entry.labeled = 100L;
        entry.metrics = metrics;
        status.history = List.of(entry);
        loop.setStatus(status);
        return loop;
    }

    @Test
    void aDetectorsRoundsShowTheirMap50WhenTheLoopNamesNoStopMetric() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressPrinter printer = new ProgressPrinter(new PrintStream(bytes, true, StandardCharsets.UTF_8), Instant.now(), client);
        printer.loopChanged(loop(Map.of("loss", 1.53, "map50", 0.0752)));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertEquals("map50", printer.metric());
        assertTrue(out.contains("map50") && out.contains("0.0752"), out);
    }

    @Test
    void classificationRoundsShowAccuracy() {
        ProgressPrinter printer = new ProgressPrinter(new PrintStream(new ByteArrayOutputStream()), Instant.now(), client);
        printer.loopChanged(loop(Map.of("loss", 0.9, "accuracy", 0.71)));
        assertEquals("accuracy", printer.metric());
    }
}
