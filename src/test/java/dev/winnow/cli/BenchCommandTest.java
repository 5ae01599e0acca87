package dev.winnow.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.winnow.api.v1alpha1.CrdValidator;
import dev.winnow.local.demo.DemoManifests;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchCommandTest {
    @TempDir
    Path dir;

    @Test
    void emitManifestsWritesLoopsACLusterAccepts() throws Exception {
        int exit = new CommandLine(new BenchCommand()).execute("--name", "fm", "--strategies", "margin,bald,random",
                "--seeds", "3", "--first-seed", "4", "--rounds", "8", "--emit-manifests", dir.toString());
        assertEquals(0, exit);
        List<ObjectNode> docs = DemoManifests.read(Files.newInputStream(dir.resolve("fm.yaml")));
        assertEquals(18, docs.size(), "a Dataset and a loop per strategy and seed");
        for (ObjectNode doc : docs) {
            assertEquals(List.of(), CrdValidator.of(doc.path("kind").asText()).refusals(doc), doc.toString());
        }
        assertEquals(List.of("fm-margin-s4", "fm-margin-s5", "fm-margin-s6"), docs.stream()
                .filter(d -> d.path("kind").asText().equals("ActiveLearningLoop")).limit(3)
                .map(d -> d.path("metadata").path("name").asText()).toList());
    }

    @Test
    void detectionBenchmarksTheDetectionDemosLoopWithEachAggregation() throws Exception {
        int exit = new CommandLine(new BenchCommand()).execute("--task", "detection", "--name", "det", "--strategies",
                "least-confidence:aggregation=max,least-confidence:aggregation=mean,random", "--seeds", "2",
                "--emit-manifests", dir.toString());
        assertEquals(0, exit);
        List<ObjectNode> docs = DemoManifests.read(Files.newInputStream(dir.resolve("det.yaml")));
        assertEquals(12, docs.size(), "a Dataset and a loop per strategy and seed");
        for (ObjectNode doc : docs) {
            assertEquals(List.of(), CrdValidator.of(doc.path("kind").asText()).refusals(doc), doc.toString());
            if (doc.path("kind").asText().equals("Dataset")) {
                assertEquals("ObjectDetection", doc.path("spec").path("task").asText(), "the detection demo's Dataset");
            }
        }
        ObjectNode mean = docs.stream().filter(d -> d.path("metadata").path("name").asText()
                .equals("det-least-confidence-aggregation-mean-s1") && d.path("kind").asText().equals("ActiveLearningLoop"))
                .findFirst().orElseThrow();
        assertEquals("mean", mean.path("spec").path("round").path("selection").path("strategy").path("params")
                .path("aggregation").asText(), mean.toString());
    }

    @Test
    void anUnknownStrategyOrPresetIsAClearError() {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new BenchCommand()).setErr(new PrintWriter(err));
        assertEquals(2, cli.execute("--strategies", "margin,nope", "--emit-manifests", dir.toString()));
        assertTrue(err.toString().contains("--strategies: unknown strategy nope"), err.toString());
        err.getBuffer().setLength(0);
        assertEquals(2, cli.execute("--preset", "cifar", "--emit-manifests", dir.toString()));
        assertTrue(err.toString().contains("--preset: unknown preset cifar; one of [cdal]"), err.toString());
        err.getBuffer().setLength(0);
        assertEquals(2, cli.execute("--task", "segmentation", "--emit-manifests", dir.toString()));
        assertTrue(err.toString().contains("--task: classification or detection, not segmentation"), err.toString());
        err.getBuffer().setLength(0);
        assertEquals(2, cli.execute("--task", "detection", "--pseudo-labels", "--emit-manifests", dir.toString()));
        assertTrue(err.toString().contains("--backbone and --pseudo-labels are for classification"), err.toString());
        err.getBuffer().setLength(0);
        assertEquals(2, cli.execute("--task", "classification", "--pseudo-labels", "1.5", "--emit-manifests", dir.toString()));
        assertTrue(err.toString().contains("--pseudo-labels: pseudo-labels need a threshold in (0, 1]"), err.toString());
    }
}
