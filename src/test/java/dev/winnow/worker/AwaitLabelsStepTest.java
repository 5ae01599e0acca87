package dev.winnow.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.winnow.contract.Task;
import dev.winnow.storage.FileStore;
import dev.winnow.worker.data.ClassList;
import dev.winnow.worker.data.JsonlLabels;
import dev.winnow.worker.data.LabelSet;

class AwaitLabelsStepTest {

    @TempDir
    Path dir;
    private Map<String, String> env;

    @BeforeEach
    void selection() throws IOException {
        TestData.writeIdx(dir.resolve("idx"), 10, 2, 8, 3, false);
        Files.createDirectories(dir.resolve("labels"));
        Files.writeString(dir.resolve("labels/existing.jsonl"), "{\"id\": \"train-1\", \"label\": \"b\"}\n");
        Files.writeString(dir.resolve("selection.jsonl"), """
                {"id": "train-1", "score": 0.9, "rank": 1}
                {"id": "train-4", "score": 0.8, "rank": 2}
                {"id": "train-8", "score": 0.7, "rank": 3}
                """);
        env = TestData.env("a,b,c", TestData.dir(dir.resolve("idx")), "Idx", TestData.dir(dir.resolve("labels")),
                "Jsonl", TestData.dir(dir.resolve("artifacts")), dir.resolve("termination-log"));
        env.put("WINNOW_SELECTION", TestData.file(dir.resolve("selection.jsonl")).toString());
    }

    private LabelSet labels() {
        return new JsonlLabels().read(new FileStore(), TestData.dir(dir.resolve("labels")),
                new ClassList(List.of("a", "b", "c")), Task.Classification);
    }

    @Test
    void simulatedWritesGroundTruthFromTheIdxLabels() throws IOException {
        env.put("WINNOW_LABELING_MODE", "Simulated");
        StepResult result = Steps.run("await-labels", env);
        assertEquals(0, result.exitCode(), result.toJson());
        assertEquals("{\"selected\":3,\"labeled\":3,\"mode\":\"Simulated\"}", Files.readString(dir.resolve("termination-log")));
        LabelSet labels = labels();
        assertEquals(TestData.idxLabel(4, 3), labels.get("train-4").orElseThrow().label());
        assertEquals(TestData.idxLabel(8, 3), labels.get("train-8").orElseThrow().label());
        try (var files = Files.list(dir.resolve("labels"))) {
            List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(2, names.size());
            assertTrue(names.get(1).matches("simulated-[0-9a-f]{16}\\.jsonl"), names.toString());
        }
        // a retried step rewrites the same file instead of adding another
        assertEquals(0, Steps.run("await-labels", env).exitCode());
        try (var files = Files.list(dir.resolve("labels"))) {
            assertEquals(2, files.count());
        }
    }

    @Test
    void simulatedFromAGroundTruthStore() throws IOException {
        Files.writeString(dir.resolve("truth.jsonl"), """
                {"id": "train-1", "label": "c"}
                {"id": "train-4", "label": "c"}
                {"id": "train-8", "label": "a"}
                """);
        env.put("WINNOW_LABELING_MODE", "Simulated");
        env.put("WINNOW_GROUND_TRUTH_URI", TestData.file(dir.resolve("truth.jsonl")).toString());
        assertEquals(0, Steps.run("await-labels", env).exitCode());
        assertEquals(2, labels().get("train-1").orElseThrow().label());
        assertEquals(0, labels().get("train-8").orElseThrow().label());
    }

    @Test
    void externalWaitsUntilTheLabelsArrive() throws Exception {
        env.put("WINNOW_POLL_SECONDS", "0.05");
        env.put("WINNOW_DEADLINE_SECONDS", "30");
        CompletableFuture<StepResult> waiting = CompletableFuture.supplyAsync(() -> Steps.run("await-labels", env));
        Thread.sleep(300);
        assertTrue(!waiting.isDone(), "finished before the labels were there");
        Files.writeString(dir.resolve("labels/tool-export.jsonl"), """
                {"id": "train-4", "label": "a"}
                {"id": "train-8", "label": "c"}
                """);
        StepResult result = waiting.get(20, TimeUnit.SECONDS);
        assertEquals(0, result.exitCode(), result.toJson());
        assertEquals("{\"selected\":3,\"labeled\":3,\"mode\":\"External\"}", Files.readString(dir.resolve("termination-log")));
    }

    @Test
    void externalSucceedsAtTheMinimum() {
        env.put("WINNOW_MIN_LABELS", "1");
        env.put("WINNOW_POLL_SECONDS", "0.05");
        StepResult result = Steps.run("await-labels", env);
        assertEquals(0, result.exitCode(), result.toJson());
        assertEquals(1, result.json().get("labeled").asInt());
    }

    @Test
    void externalFailsAtTheDeadline() {
        env.put("WINNOW_POLL_SECONDS", "0.05");
        env.put("WINNOW_DEADLINE_SECONDS", "1");
        long start = System.nanoTime();
        StepResult result = Steps.run("await-labels", env);
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10));
        assertEquals(StepResult.BAD_INPUT, result.exitCode());
        assertTrue(result.json().get("error").asText().contains("1 of 3"), result.toJson());
    }
}
