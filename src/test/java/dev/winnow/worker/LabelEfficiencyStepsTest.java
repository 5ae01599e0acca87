package dev.winnow.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.winnow.worker.io.NpyWriter;

/**
 * The built-in steps with a backbone and with pseudo-labels, on a tiny synthetic IDX set (40 pool images of 12 x 12,
 * two classes, 4 of them labeled): pseudo-labels come from predictions, stay out of the labels store and the label
 * counts, and reach the training set; a backbone from the embed step is where training starts.
 */
class LabelEfficiencyStepsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LABELS = """
            {"id": "train-0", "label": "a"}
            {"id": "train-1", "label": "b"}
            {"id": "train-2", "label": "a"}
            {"id": "train-3", "label": "b"}
            """;

    @TempDir
    Path dir;
    private Map<String, String> env;

    @BeforeEach
    void indexed() throws IOException {
        TestData.writeIdx(dir.resolve("idx"), 40, 4, 12, 2, false);
        Files.createDirectories(dir.resolve("labels"));
        Files.writeString(dir.resolve("labels/l.jsonl"), LABELS);
        env = new HashMap<>(TestData.env("a,b", TestData.dir(dir.resolve("idx")), "Idx", TestData.dir(dir.resolve("labels")),
                "Jsonl", TestData.dir(dir.resolve("artifacts")), dir.resolve("termination-log")));
        env.put("WINNOW_TRAIN_IDS", TestData.file(dir.resolve("run/train-ids.txt")).toString());
        env.put("WINNOW_PREDICT_IDS", TestData.file(dir.resolve("run/predict-ids.txt")).toString());
        env.put("WINNOW_CHECKPOINT_OUT", TestData.dir(dir.resolve("run/model")).toString());
        StepResult indexed = Steps.run("index", env);
        assertEquals(0, indexed.exitCode(), indexed.toJson());
    }

    /**
     * A previous round's predictions of the whole pool: every third image unsure (0.6), the others 0.99 on their
     * true class, and the labeled ones 0.99 on the wrong class (a person's label must win over them).
     */
    private Path predictions() throws IOException {
        Path p = Files.createDirectories(dir.resolve("previous"));
        List<String> ids = new ArrayList<>();
        float[] probs = new float[40 * 2];
        for (int i = 0; i < 40; i++) {
            ids.add("train-" + i);
            int truth = TestData.idxLabel(i, 2);
            int top = i < 4 ? 1 - truth : truth;
            float p1 = i % 3 == 0 && i >= 4 ? 0.6f : 0.99f;
            probs[i * 2 + top] = p1;
            probs[i * 2 + 1 - top] = 1 - p1;
        }
        try (NpyWriter writer = new NpyWriter(p.resolve("probs.npy"), 40, 2)) {
            writer.write(probs);
        }
        Files.write(p.resolve("ids.txt"), ids);
        return p;
    }

    private void withPseudoLabels() throws IOException {
        env.put("WINNOW_PSEUDO_LABEL_SOURCE", TestData.dir(predictions()).toString());
        env.put("WINNOW_PSEUDO_LABEL_THRESHOLD", "0.95");
        env.put("WINNOW_PSEUDO_LABELS", TestData.file(dir.resolve("run/pseudo-labels.jsonl")).toString());
    }

    @Test
    void prepareWritesTheConfidentUnlabeledPredictionsAndLeavesTheLabelsAlone() throws IOException {
        withPseudoLabels();
        StepResult prepared = Steps.run("prepare", env);
        assertEquals(0, prepared.exitCode(), prepared.toJson());

        List<JsonNode> pseudo = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("run/pseudo-labels.jsonl"))) {
            pseudo.add(JSON.readTree(line));
        }
        // 36 unlabeled, of which 12 (train-6, -9, ..., -39) are unsure
        assertEquals(24, pseudo.size());
        assertEquals(24, prepared.json().get("pseudoLabeled").asInt());
        for (JsonNode p : pseudo) {
            int i = Integer.parseInt(p.get("id").asText().substring("train-".length()));
            assertTrue(i >= 4 && i % 3 != 0, p.toString());
            assertEquals(i % 2 == 0 ? "a" : "b", p.get("label").asText());
            assertEquals(0.99, p.get("confidence").asDouble(), 1e-6);
        }
        assertEquals(List.of("train-0", "train-1", "train-2", "train-3"), Files.readAllLines(dir.resolve("run/train-ids.txt")),
                "the train ids are the labeled ones only");
        assertEquals(LABELS, Files.readString(dir.resolve("labels/l.jsonl")), "the labels store is untouched");
        assertEquals(List.of("l.jsonl"), Files.list(dir.resolve("labels")).map(f -> f.getFileName().toString()).toList());
    }

    @Test
    void theBuiltInTrainerTrainsOnLabelsAndPseudoLabelsButCountsOnlyTheLabels() throws IOException {
        withPseudoLabels();
        assertEquals(0, Steps.run("prepare", env).exitCode());
        env.put("WINNOW_EPOCHS", "2");
        env.put("WINNOW_BATCH_SIZE", "8");

        StepResult trained = Steps.run("train", env);

        assertEquals(0, trained.exitCode(), trained.toJson());
        assertEquals(4, trained.json().get("trained").asInt(), "trained counts true labels only");
        assertEquals(24, trained.json().get("pseudoLabeled").asInt());
        assertEquals(LABELS, Files.readString(dir.resolve("labels/l.jsonl")));
    }

    @Test
    void withoutThePseudoLabelsFileTheTrainerSaysSo() throws IOException {
        assertEquals(0, Steps.run("prepare", env).exitCode());
        env.put("WINNOW_PSEUDO_LABELS", TestData.file(dir.resolve("run/none.jsonl")).toString());
        StepResult trained = Steps.run("train", env);
        assertEquals(StepResult.BAD_INPUT, trained.exitCode());
        assertTrue(trained.json().get("error").asText().startsWith("WINNOW_PSEUDO_LABELS: nothing at"), trained.toJson());
    }

    @Test
    void theTrainerStartsFromTheEmbedStepsEncoderAndRefusesAnotherArchitecture() throws IOException {
        Map<String, String> embed = new HashMap<>(env);
        embed.put("WINNOW_EPOCHS", "1");
        embed.put("WINNOW_EMBED_SAMPLE_SIZE", "32");
        embed.put("WINNOW_EMBED_DIMS", "8");
        embed.put("WINNOW_BATCH_SIZE", "16");
        StepResult embedded = Steps.run("embed", embed);
        assertEquals(0, embedded.exitCode(), embedded.toJson());
        String encoder = embedded.json().get("encoder").asText();
        assertTrue(encoder.endsWith("/datasets/test/encoder/"), encoder);

        assertEquals(0, Steps.run("prepare", env).exitCode());
        env.put("WINNOW_BACKBONE", encoder);
        env.put("WINNOW_EPOCHS", "1");
        env.put("WINNOW_BATCH_SIZE", "4");
        StepResult trained = Steps.run("train", env);
        assertEquals(0, trained.exitCode(), trained.toJson());
        assertEquals("simclr", trained.json().get("model").asText());
        assertEquals(8, JSON.readTree(dir.resolve("run/model/model.json").toFile()).get("featureDims").asInt());
        assertFalse(trained.json().has("pseudoLabeled"));

        env.put("WINNOW_MODEL", "cnn");
        StepResult refused = Steps.run("train", env);
        assertEquals(StepResult.BAD_INPUT, refused.exitCode());
        assertEquals("the backbone at " + encoder + " is a simclr encoder (8 features), but the classifier's architecture is cnn"
                + " (WINNOW_MODEL): its weights fit only a simclr classifier; unset WINNOW_MODEL or set it to simclr",
                refused.json().get("error").asText());
    }
}
