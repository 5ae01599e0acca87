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
        assertEquals("{\"selected\":3,\"labeled\":3,\"skipped\":0,\"open\":0,\"mode\":\"Simulated\"}", Files.readString(dir.resolve("termination-log")));
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
    void simulatedDetectionLabelsChangeUnitsBetweenKittiTruthAndYoloLabels() throws IOException {
        // two images of different sizes: KITTI's pixels become YOLO's fractions of each image, and back
        Files.createDirectories(dir.resolve("images"));
        javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(200, 100, java.awt.image.BufferedImage.TYPE_INT_RGB), "png",
                dir.resolve("images/wide.png").toFile());
        javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(50, 80, java.awt.image.BufferedImage.TYPE_INT_RGB), "png",
                dir.resolve("images/tall.png").toFile());
        Files.createDirectories(dir.resolve("kitti"));
        Files.writeString(dir.resolve("kitti/wide.txt"), "b 0.00 0 0.00 20.00 10.00 60.00 50.00 0 0 0 0 0 0 0\n");
        Files.writeString(dir.resolve("kitti/tall.txt"), "c 0.00 0 0.00 0.00 0.00 25.00 40.00 0 0 0 0 0 0 0\n");
        Files.writeString(dir.resolve("pick.jsonl"), "{\"id\": \"wide\"}\n{\"id\": \"tall\"}\n");
        Files.createDirectories(dir.resolve("yolo"));
        Map<String, String> detection = TestData.env("a,b,c", TestData.dir(dir.resolve("images")), "ImageFolder",
                TestData.dir(dir.resolve("yolo")), "Yolo", TestData.dir(dir.resolve("artifacts")), dir.resolve("termination-log"));
        detection.put("WINNOW_TASK", "ObjectDetection");
        detection.put("WINNOW_SELECTION", TestData.file(dir.resolve("pick.jsonl")).toString());
        detection.put("WINNOW_LABELING_MODE", "Simulated");
        detection.put("WINNOW_GROUND_TRUTH_URI", TestData.dir(dir.resolve("kitti")).toString());
        detection.put("WINNOW_GROUND_TRUTH_FORMAT", "Kitti");
        StepResult result = Steps.run("await-labels", detection);
        assertEquals(0, result.exitCode(), result.toJson());
        assertEquals("1 0.200000 0.300000 0.200000 0.400000", Files.readString(dir.resolve("yolo/wide.txt")).strip());
        assertEquals("2 0.250000 0.250000 0.500000 0.500000", Files.readString(dir.resolve("yolo/tall.txt")).strip());

        // the YOLO labels read back as the same pixels, which is what the built-in detector trains on
        LabelSet yolo = new dev.winnow.worker.data.YoloLabels().read(new FileStore(), TestData.dir(dir.resolve("yolo")),
                new ClassList(List.of("a", "b", "c")), Task.ObjectDetection);
        assertEquals(List.of(new dev.winnow.worker.data.Box(1, 20, 10, 60, 50)),
                yolo.pixelBoxes("wide", new dev.winnow.worker.data.ImageShape(3, 100, 200)).stream().map(AwaitLabelsStepTest::rounded).toList());
    }

    private static dev.winnow.worker.data.Box rounded(dev.winnow.worker.data.Box b) {
        return new dev.winnow.worker.data.Box(b.label(), Math.round(b.x1() * 1e6) / 1e6, Math.round(b.y1() * 1e6) / 1e6,
                Math.round(b.x2() * 1e6) / 1e6, Math.round(b.y2() * 1e6) / 1e6);
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
        assertEquals("{\"selected\":3,\"labeled\":3,\"skipped\":0,\"open\":0,\"mode\":\"External\"}", Files.readString(dir.resolve("termination-log")));
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

    @Test
    void externalEndsEarlyToReportProgressTheOperatorHasNotSeen() {
        env.put("WINNOW_POLL_SECONDS", "0.05");
        env.put("WINNOW_REPORT_SECONDS", "0");
        env.put("WINNOW_LABELS_REPORTED", "0/0");
        StepResult result = Steps.run("await-labels", env);
        assertEquals(0, result.exitCode(), result.toJson());
        assertEquals("{\"selected\":3,\"labeled\":1,\"skipped\":0,\"open\":2,\"mode\":\"External\",\"waiting\":true}",
                result.json().toString());

        // what the operator already recorded is no news: the step waits on, here until its deadline
        env.put("WINNOW_LABELS_REPORTED", "1/0");
        env.put("WINNOW_DEADLINE_SECONDS", "1");
        assertEquals(StepResult.BAD_INPUT, Steps.run("await-labels", env).exitCode());
    }

    @Test
    void externalLabelStudioExportEndsWhenNothingIsOpenCountingSkippedTasks() throws IOException {
        env.put("WINNOW_LABELS_FORMAT", "LabelStudio");
        env.put("WINNOW_POLL_SECONDS", "0.05");
        env.put("WINNOW_DEADLINE_SECONDS", "10");
        // train-1 labeled twice (a duplicated task), train-4 skipped, train-8 cancelled then labeled
        Files.writeString(dir.resolve("labels/export.json"), """
                [{"id": 1, "data": {"winnow_id": "train-1"}, "annotations": [{"id": 1, "was_cancelled": false,
                   "updated_at": "2026-01-02T10:00:00Z", "result": [{"type": "choices", "value": {"choices": ["b"]}}]}]},
                 {"id": 2, "data": {"winnow_id": "train-4"}, "annotations": [{"id": 2, "was_cancelled": true, "result": []}]},
                 {"id": 3, "data": {"winnow_id": "train-8"}, "annotations": [
                   {"id": 3, "was_cancelled": true, "updated_at": "2026-01-02T10:00:00Z", "result": []},
                   {"id": 4, "was_cancelled": false, "updated_at": "2026-01-02T09:00:00Z",
                    "result": [{"type": "choices", "value": {"choices": ["c"]}}]}]},
                 {"id": 4, "data": {"winnow_id": "train-1"}, "annotations": []}]
                """);
        StepResult result = Steps.run("await-labels", env);
        assertEquals(0, result.exitCode(), result.toJson());
        assertEquals("{\"selected\":3,\"labeled\":2,\"skipped\":1,\"open\":0,\"mode\":\"External\"}",
                result.json().toString(), "no waiting for a sample people skipped");
    }
}
