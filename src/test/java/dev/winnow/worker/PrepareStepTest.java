package dev.winnow.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrepareStepTest {

    @TempDir
    Path dir;
    private Map<String, String> env;

    @BeforeEach
    void indexedDataset() throws IOException {
        TestData.writeIdx(dir.resolve("idx"), 10, 2, 8, 2, false);
        Files.createDirectories(dir.resolve("labels"));
        Files.writeString(dir.resolve("labels/l.jsonl"), """
                {"id": "train-1", "label": "a"}
                {"id": "train-3", "label": "b"}
                {"id": "train-5", "label": "b"}
                {"id": "test-0", "label": "a"}
                """);
        Path tags = Files.createDirectories(dir.resolve("artifacts/tags"));
        Files.writeString(tags.resolve("initial.txt"), "train-3\ntrain-1\ntrain-7\n");
        env = TestData.env("a,b", TestData.dir(dir.resolve("idx")), "Idx", TestData.dir(dir.resolve("labels")),
                "Jsonl", TestData.dir(dir.resolve("artifacts")), dir.resolve("termination-log"));
        env.put("WINNOW_TRAIN_IDS", TestData.file(dir.resolve("train.txt")).toString());
        env.put("WINNOW_PREDICT_IDS", TestData.file(dir.resolve("predict.txt")).toString());
        assertEquals(0, Steps.run("index", env).exitCode());
    }

    @Test
    void trainsOnLabeledTaggedIdsAndPredictsTheUnlabeled() throws IOException {
        env.put("WINNOW_TRAIN_TAGS", "initial");
        StepResult result = Steps.run("prepare", env);
        assertEquals(0, result.exitCode(), result.toJson());
        assertEquals(List.of("train-1", "train-3"), Files.readAllLines(dir.resolve("train.txt")));
        assertEquals(List.of("train-0", "train-2", "train-4", "train-6", "train-7", "train-8", "train-9"),
                Files.readAllLines(dir.resolve("predict.txt")));
        assertEquals("{\"trainIds\":2,\"predictIds\":7}", Files.readString(dir.resolve("termination-log")));
    }

    @Test
    void allLabeledAndPredictAll() throws IOException {
        env.put("WINNOW_TRAIN_ALL_LABELED", "true");
        env.put("WINNOW_PREDICT_TARGET", "All");
        assertEquals(0, Steps.run("prepare", env).exitCode());
        assertEquals(List.of("train-1", "train-3", "train-5"), Files.readAllLines(dir.resolve("train.txt")));
        assertEquals(10, Files.readAllLines(dir.resolve("predict.txt")).size());
    }

    @Test
    void emptyTrainingSetIsAClearError() throws IOException {
        Files.writeString(dir.resolve("artifacts/tags/empty.txt"), "train-0\n");
        env.put("WINNOW_TRAIN_TAGS", "empty");
        StepResult result = Steps.run("prepare", env);
        assertEquals(StepResult.BAD_INPUT, result.exitCode());
        assertTrue(result.json().get("error").asText().startsWith("no labeled samples to train on"), result.toJson());
    }

    @Test
    void anEmptyTagListIsAClearErrorNotAllLabeled() {
        env.put("WINNOW_TRAIN_TAGS", "");
        StepResult result = Steps.run("prepare", env);
        assertEquals(StepResult.BAD_INPUT, result.exitCode());
        assertEquals("WINNOW_TRAIN_TAGS is set but names no tag, so no samples to train on; set WINNOW_TRAIN_ALL_LABELED=true"
                + " to train on every labeled sample", result.json().path("error").asText());
    }

    @Test
    void unknownTagIsAClearError() {
        env.put("WINNOW_TRAIN_TAGS", "initial,round-9");
        StepResult result = Steps.run("prepare", env);
        assertEquals(StepResult.BAD_INPUT, result.exitCode());
        assertTrue(result.json().get("error").asText().contains("round-9"), result.toJson());
    }
}
