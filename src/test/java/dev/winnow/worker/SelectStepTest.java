package dev.winnow.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.winnow.worker.io.NpyWriter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The select step as its Job runs it: environment in, selection and tag published, summary out. */
class SelectStepTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    Map<String, String> env;

    @BeforeEach
    void pool() throws IOException {
        TestData.writeIdx(dir.resolve("idx"), 10, 2, 8, 3, false);
        Files.createDirectories(dir.resolve("labels"));
        // train-0 is labeled, train-1 was picked in an earlier round
        Files.writeString(dir.resolve("labels/l.jsonl"), "{\"id\": \"train-0\", \"label\": \"a\"}\n");
        Files.createDirectories(dir.resolve("artifacts/tags"));
        Files.writeString(dir.resolve("artifacts/tags/loop-r0.txt"), "train-1\n");
        Files.createDirectories(dir.resolve("artifacts/datasets/fashion"));
        StringBuilder manifest = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            manifest.append("{\"id\": \"train-").append(i).append("\"}\n");
        }
        Files.writeString(dir.resolve("artifacts/datasets/fashion/manifest.jsonl"), manifest);
        env = TestData.env("a,b,c", TestData.dir(dir.resolve("idx")), "Idx", TestData.dir(dir.resolve("labels")),
                "Jsonl", TestData.dir(dir.resolve("artifacts")), dir.resolve("termination-log"));
        env.put("WINNOW_DATASET", "fashion");
        env.put("WINNOW_MANIFEST", TestData.file(dir.resolve("artifacts/datasets/fashion/manifest.jsonl")).toString());
        env.put("WINNOW_TAG", "loop-r1");
        env.put("WINNOW_EXCLUDE_TAGS", "loop-r0");
        env.put("WINNOW_SELECTION_OUT", TestData.file(dir.resolve("artifacts/rounds/loop-r1/selection.jsonl")).toString());
        env.put("WINNOW_SEED", "3");
    }

    /** Two shards of predictions over train-0..train-5, as an Indexed infer Job writes them. */
    void predictions() throws IOException {
        float[][] rows = {
                {0.9f, 0.05f, 0.05f}, {0.34f, 0.33f, 0.33f}, {0.5f, 0.5f, 0f},
                {0.98f, 0.01f, 0.01f}, {0.6f, 0.3f, 0.1f}, {0.4f, 0.35f, 0.25f}};
        for (int part = 0; part < 2; part++) {
            Path p = dir.resolve("artifacts/runs/loop-r1/predictions/part-" + part);
            Files.createDirectories(p);
            StringBuilder ids = new StringBuilder();
            try (NpyWriter probs = new NpyWriter(p.resolve("probs.npy"), 3, 3)) {
                for (int r = part * 3; r < part * 3 + 3; r++) {
                    ids.append("train-").append(r).append('\n');
                    probs.write(rows[r]);
                }
            }
            Files.writeString(p.resolve("ids.txt"), ids);
        }
        env.put("WINNOW_PREDICTIONS", TestData.dir(dir.resolve("artifacts/runs/loop-r1/predictions")).toString());
    }

    @Test
    void aStrategysOwnAggregationParameterWinsOverTheSpecsDetectionAggregation() {
        assertEquals(Map.of("aggregation", "mean", "empty-score", "0.5"), SelectStep.params(StepEnvironment.of(Map.of(
                "WINNOW_STRATEGY_PARAMS", "{\"aggregation\":\"mean\",\"empty-score\":\"0.5\"}", "WINNOW_DETECTION_AGGREGATION", "max"))));
        assertEquals(Map.of("aggregation", "max"), SelectStep.params(StepEnvironment.of(Map.of("WINNOW_DETECTION_AGGREGATION", "max"))));
    }

    @Test
    void marginPicksTheClosestCallsAmongTheShardsAndPublishesSelectionAndTag() throws IOException {
        predictions();
        env.put("WINNOW_STRATEGY", "margin");
        env.put("WINNOW_COUNT", "2");
        env.put("WINNOW_TRAINING_RUN", "loop-r1");
        // an image source's manifest names each sample's file: the label request points Label Studio at it
        Path manifest = dir.resolve("artifacts/datasets/fashion/manifest.jsonl");
        Files.writeString(manifest, Files.readString(manifest).replace("{\"id\": \"train-2\"}",
                "{\"id\": \"train-2\", \"uri\": \"s3://shoes/images/train-2.png\"}"));

        StepResult result = Steps.run("select", env);
        assertEquals(0, result.exitCode(), result.toJson());
        // train-1 has the smallest margin but was chosen before; train-2 (0.0) and train-5 (0.05) come next
        List<String> lines = Files.readAllLines(dir.resolve("artifacts/rounds/loop-r1/selection.jsonl"));
        assertEquals(List.of("train-2", "train-5"), lines.stream().map(l -> id(l)).toList());
        assertEquals(List.of("train-2", "train-5"), Files.readAllLines(dir.resolve("artifacts/tags/loop-r1.txt")));
        JsonNode tasks = JSON.readTree(dir.resolve("artifacts/rounds/loop-r1/label-request.json").toFile());
        assertEquals("train-2", tasks.get(0).path("data").path("winnow_id").asText());
        assertEquals("s3://shoes/images/train-2.png", tasks.get(0).path("data").path("image").asText(), "the image itself");
        assertEquals("train-5", tasks.get(1).path("data").path("image").asText(), "no file in the manifest: the id");
        assertEquals("loop-r1", tasks.get(0).path("predictions").get(0).path("model_version").asText(),
                "annotators see which TrainingRun pre-annotated");
        assertTrue(Files.readString(dir.resolve("artifacts/rounds/loop-r1/label-request.cvat.xml")).contains("name=\"train-2\""));

        JsonNode summary = JSON.readTree(Files.readString(dir.resolve("termination-log")));
        assertEquals(2, summary.path("selected").asInt());
        assertEquals("loop-r1", summary.path("tag").asText());
        assertEquals(64, summary.path("sha256").asText().length());
        assertTrue(summary.path("tagUri").asText().endsWith("/tags/loop-r1.txt"));
    }

    @Test
    void everySelectionLineCarriesTheNumericRoundAndTheTag() throws IOException {
        predictions();
        env.put("WINNOW_STRATEGY", "margin");
        env.put("WINNOW_COUNT", "2");
        env.put("WINNOW_ROUND", "1");

        assertEquals(0, Steps.run("select", env).exitCode());
        for (String line : Files.readAllLines(dir.resolve("artifacts/rounds/loop-r1/selection.jsonl"))) {
            JsonNode row = JSON.readTree(line);
            assertTrue(row.path("round").isInt(), line);
            assertEquals(1, row.path("round").asInt(), line);
            assertEquals("loop-r1", row.path("tag").asText(), line);
        }
    }

    @Test
    void modelFreeRandomSelectionDrawsFromTheManifestWithoutExcludedIds() throws IOException {
        env.put("WINNOW_STRATEGY", "random");
        env.put("WINNOW_COUNT", "8");
        StepResult result = Steps.run("select", env);
        assertEquals(0, result.exitCode(), result.toJson());
        List<String> chosen = Files.readAllLines(dir.resolve("artifacts/tags/loop-r1.txt"));
        assertEquals(8, chosen.size());
        assertFalse(chosen.contains("train-0") || chosen.contains("train-1"), chosen.toString());
    }

    @Test
    void modelFreeCoresetSpreadsOverPooledPixels() throws IOException {
        env.put("WINNOW_STRATEGY", "coreset");
        env.put("WINNOW_COUNT", "3");
        StepResult first = Steps.run("select", env);
        assertEquals(0, first.exitCode(), first.toJson());
        assertEquals("Pixels", first.json().get("embeddingSpace").asText());
        List<String> chosen = Files.readAllLines(dir.resolve("artifacts/tags/loop-r1.txt"));
        assertEquals(3, chosen.size());
        assertFalse(chosen.contains("train-0") || chosen.contains("train-1"), chosen.toString());
        assertEquals(chosen, List.copyOf(new java.util.LinkedHashSet<>(chosen)), "no id twice");

        assertEquals(0, Steps.run("select", env).exitCode());
        assertEquals(chosen, Files.readAllLines(dir.resolve("artifacts/tags/loop-r1.txt")), "same seed, same pick");
    }

    @Test
    void modelFreeCoresetMeasuresInTheDatasetsEmbeddingsWhenGiven() throws IOException {
        // three tight groups in embedding space (the images' pixels know nothing of them); the first holds the
        // labeled train-0 and the earlier pick train-1, so k-center's first two picks cover the other two groups
        Path embeddings = Files.createDirectories(dir.resolve("artifacts/datasets/fashion/embeddings"));
        float[][] rows = {{0, 0}, {0, 0}, {0, 0}, {0, 0.1f}, {0.1f, 0}, {10, 0}, {10, 0.1f}, {10.1f, 0}, {0, 10}, {0.1f, 10}};
        try (NpyWriter npy = new NpyWriter(embeddings.resolve("embeddings.npy"), rows.length, 2)) {
            for (float[] row : rows) {
                npy.write(row);
            }
        }
        Files.write(embeddings.resolve("ids.txt"), java.util.stream.IntStream.range(0, 10).mapToObj(i -> "train-" + i).toList());
        env.put("WINNOW_EMBEDDINGS", TestData.dir(embeddings).toString());
        env.put("WINNOW_STRATEGY", "coreset");
        env.put("WINNOW_COUNT", "3");

        StepResult result = Steps.run("select", env);

        assertEquals(0, result.exitCode(), result.toJson());
        assertEquals("SelfSupervised", result.json().get("embeddingSpace").asText());
        List<String> chosen = Files.readAllLines(dir.resolve("artifacts/tags/loop-r1.txt"));
        java.util.Set<Integer> groups = new java.util.HashSet<>();
        for (String id : chosen.subList(0, 2)) {
            int i = Integer.parseInt(id.substring("train-".length()));
            groups.add(i < 5 ? 0 : i < 8 ? 1 : 2);
        }
        assertEquals(java.util.Set.of(1, 2), groups, chosen.toString());
    }

    @Test
    void aRandomPickHasNoEmbeddingSpace() {
        env.put("WINNOW_EMBEDDINGS", TestData.dir(dir.resolve("nowhere")).toString());
        env.put("WINNOW_STRATEGY", "random");
        env.put("WINNOW_COUNT", "2");
        StepResult result = Steps.run("select", env);
        assertEquals(0, result.exitCode(), result.toJson());
        assertFalse(result.json().has("embeddingSpace"));
    }

    @Test
    void modelFreeUncertaintyIsRefusedWithAHint() {
        env.put("WINNOW_STRATEGY", "margin");
        env.put("WINNOW_COUNT", "3");
        StepResult result = Steps.run("select", env);
        assertEquals(StepResult.BAD_INPUT, result.exitCode());
        assertTrue(result.toJson().contains("margin needs a model's predictions"), result.toJson());
    }

    @Test
    void askingForMoreThanThePoolHoldsIsBadInputAndPublishesNothing() {
        env.put("WINNOW_STRATEGY", "random");
        env.put("WINNOW_COUNT", "9");
        StepResult result = Steps.run("select", env);
        assertEquals(StepResult.BAD_INPUT, result.exitCode());
        assertTrue(result.toJson().contains("only 8 samples are left"), result.toJson());
        assertFalse(Files.exists(dir.resolve("artifacts/rounds/loop-r1/selection.jsonl")));
        assertFalse(Files.exists(dir.resolve("artifacts/tags/loop-r1.txt")));
    }

    @Test
    void missingTagToExcludeIsBadInput() {
        env.put("WINNOW_STRATEGY", "random");
        env.put("WINNOW_COUNT", "1");
        env.put("WINNOW_EXCLUDE_TAGS", "nope");
        StepResult result = Steps.run("select", env);
        assertEquals(StepResult.BAD_INPUT, result.exitCode());
        assertTrue(result.toJson().contains("tag 'nope' not found"), result.toJson());
    }

    private static String id(String line) {
        try {
            return JSON.readTree(line).path("id").asText();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
