package dev.winnow.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.winnow.worker.io.NpyArray;

class EmbedStepTest {
    private static final int POOL = 96;
    private static final int DIMS = 8;

    @TempDir
    Path dir;

    @Test
    void embedsTheWholePoolAlignedWithTheManifestAndTheLossFalls() throws IOException {
        Path artifacts = index(dir.resolve("a"));

        StepResult result = Steps.run("embed", embedEnv(dir.resolve("a"), artifacts, "3"));

        assertEquals(0, result.exitCode(), result.toJson());
        JsonNode json = result.json();
        Path out = artifacts.resolve("datasets/test/embeddings");
        assertEquals(TestData.dir(out).toString(), json.get("embeddings").asText());
        assertEquals(POOL, json.get("count").asInt());
        assertEquals(DIMS, json.get("dims").asInt());
        assertEquals(6, json.get("epochs").asInt());
        assertEquals(64, json.get("trainedOn").asInt()); // the sample size, not the pool
        assertTrue(json.get("loss").asDouble() < json.get("firstLoss").asDouble(), json.toString());
        assertTrue(json.get("seconds").asDouble() > 0);

        List<String> manifest = Files.readAllLines(artifacts.resolve("datasets/test/manifest.jsonl")).stream()
                .map(line -> line.replaceAll(".*\"id\":\"([^\"]+)\".*", "$1")).toList();
        assertEquals(manifest, Files.readAllLines(out.resolve("ids.txt")));
        NpyArray embeddings = read(out.resolve("embeddings.npy"));
        assertArrayEquals(new long[] {POOL, DIMS}, embeddings.shape());
        assertTrue(Arrays.stream(toDouble(embeddings.data())).allMatch(Double::isFinite));
        // images of a class share a bright row: after training, same-class pairs sit closer than others
        assertTrue(meanDistance(embeddings, true) < meanDistance(embeddings, false));
    }

    @Test
    void theSameSeedGivesTheSameEmbeddingsAndAnotherSeedOthers() throws IOException {
        float[] first = embed(dir.resolve("a"), "3");
        float[] again = embed(dir.resolve("b"), "3");
        float[] other = embed(dir.resolve("c"), "4");

        assertArrayEquals(first, again, 1e-4f);
        assertFalse(Arrays.equals(first, other));
    }

    @Test
    void aRerunOnTheSameInputsKeepsTheEmbeddingsAndOtherSettingsEmbedAgain() throws IOException {
        Path artifacts = index(dir.resolve("a"));
        Map<String, String> env = embedEnv(dir.resolve("a"), artifacts, "3");
        StepResult first = Steps.run("embed", env);
        Path npy = artifacts.resolve("datasets/test/embeddings/embeddings.npy");
        var written = Files.getLastModifiedTime(npy);

        StepResult again = Steps.run("embed", env);

        assertEquals(0, again.exitCode(), again.toJson());
        assertTrue(again.json().get("reused").asBoolean());
        assertEquals(first.json().get("loss"), again.json().get("loss"));
        assertEquals(written, Files.getLastModifiedTime(npy));

        env.put("WINNOW_EPOCHS", "2");
        StepResult other = Steps.run("embed", env);
        assertEquals(0, other.exitCode(), other.toJson());
        assertFalse(other.json().has("reused"));
        assertEquals(2, other.json().get("epochs").asInt());
    }

    @Test
    void badSettingsAreAClearError() throws IOException {
        Path artifacts = index(dir.resolve("a"));
        Map<String, String> env = embedEnv(dir.resolve("a"), artifacts, "3");
        env.put("WINNOW_EPOCHS", "0");

        StepResult result = Steps.run("embed", env);

        assertEquals(StepResult.BAD_INPUT, result.exitCode());
        assertTrue(result.json().get("error").asText().contains("need epochs >= 1"), result.toJson());
    }

    @Test
    void aSubsampleIsSeededAndKeepsPoolOrder() {
        List<String> pool = List.of("a", "b", "c", "d", "e", "f");
        assertEquals(pool, EmbedStep.subsample(pool, 10, 1));
        List<String> three = EmbedStep.subsample(pool, 3, 1);
        assertEquals(3, three.size());
        assertEquals(three, EmbedStep.subsample(pool, 3, 1));
        assertEquals(three.stream().sorted().toList(), three);
    }

    private float[] embed(Path work, String seed) throws IOException {
        Path artifacts = index(work);
        StepResult result = Steps.run("embed", embedEnv(work, artifacts, seed));
        assertEquals(0, result.exitCode(), result.toJson());
        return read(artifacts.resolve("datasets/test/embeddings/embeddings.npy")).data();
    }

    private Path index(Path work) throws IOException {
        TestData.writeIdx(work.resolve("idx"), POOL, 4, 12, 3, false);
        Files.createDirectories(work.resolve("labels"));
        Path artifacts = work.resolve("artifacts");
        StepResult indexed = Steps.run("index", env(work, artifacts));
        assertEquals(0, indexed.exitCode(), indexed.toJson());
        return artifacts;
    }

    private Map<String, String> env(Path work, Path artifacts) {
        return new HashMap<>(TestData.env("a,b,c", TestData.dir(work.resolve("idx")), "Idx", TestData.dir(work.resolve("labels")),
                "Jsonl", TestData.dir(artifacts), work.resolve("termination-log")));
    }

    private Map<String, String> embedEnv(Path work, Path artifacts, String seed) {
        Map<String, String> env = env(work, artifacts);
        env.put("WINNOW_EPOCHS", "6");
        env.put("WINNOW_EMBED_SAMPLE_SIZE", "64");
        env.put("WINNOW_EMBED_DIMS", String.valueOf(DIMS));
        env.put("WINNOW_BATCH_SIZE", "32");
        env.put("WINNOW_SEED", seed);
        return env;
    }

    private static NpyArray read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return NpyArray.read(in);
        }
    }

    private static double[] toDouble(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }

    /** Mean distance between rows of the same class (i % 3) or of different classes. */
    private static double meanDistance(NpyArray e, boolean sameClass) {
        int n = (int) e.shape()[0];
        int d = (int) e.shape()[1];
        double sum = 0;
        int pairs = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                if ((TestData.idxLabel(i, 3) == TestData.idxLabel(j, 3)) != sameClass) {
                    continue;
                }
                double s = 0;
                for (int k = 0; k < d; k++) {
                    double diff = e.data()[i * d + k] - e.data()[j * d + k];
                    s += diff * diff;
                }
                sum += Math.sqrt(s);
                pairs++;
            }
        }
        return sum / pairs;
    }
}
