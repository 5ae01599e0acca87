package dev.winnow.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.winnow.storage.S3ProxyServer;
import dev.winnow.storage.S3Store;
import dev.winnow.storage.Uris;
import dev.winnow.worker.data.IdxSource;
import dev.winnow.worker.io.IdList;
import dev.winnow.worker.io.NpyArray;
import dev.winnow.worker.model.Checkpoint;
import dev.winnow.worker.model.ModelMetadata;

/**
 * {@code train} then {@code infer} in this JVM on 2,000 labeled Fashion-MNIST images, with the
 * artifacts in an S3 server (s3proxy) and the dataset on local disk, as on a cluster with MinIO.
 * One checkpoint is trained once and shared by the tests.
 */
class TrainInferTest {

    static final int LABELED = 2000;
    static final URI ARTIFACTS = URI.create("s3://winnow/fashion/");
    static final URI CHECKPOINT = Uris.resolve(ARTIFACTS, "runs/r1/model/");

    @TempDir
    static Path dir;
    static S3ProxyServer server;
    static S3Store s3;
    static IdxSource fashion;
    static StepResult trained;
    static List<String> pool;

    @BeforeAll
    static void trainOnce() throws Exception {
        server = new S3ProxyServer();
        server.createBucket("winnow");
        s3 = new S3Store(server.settings());
        fashion = IdxSource.open(new dev.winnow.storage.FileStore(), TestData.dir(TestData.FASHION));
        // the "human" labels 2,000 pool images (every 30th), written as a labeling tool exports them
        List<String> labeled = IntStream.range(0, LABELED).mapToObj(i -> "train-" + (i * 30)).toList();
        Files.createDirectories(dir.resolve("labels"));
        Files.writeString(dir.resolve("labels/batch-1.jsonl"), labeled.stream()
                .map(id -> "{\"id\":\"" + id + "\",\"label\":" + fashion.groundTruth(id).getAsInt() + "}")
                .collect(Collectors.joining("\n")));
        IdList.write(s3, Uris.resolve(ARTIFACTS, "runs/r1/train-ids.txt"), labeled);
        pool = IntStream.range(0, 1000).mapToObj(i -> "train-" + (i * 30 + 7)).toList();
        IdList.write(s3, Uris.resolve(ARTIFACTS, "runs/r1/predict-ids.txt"), pool);

        Map<String, String> env = env("train");
        env.put("WINNOW_TRAIN_IDS", Uris.resolve(ARTIFACTS, "runs/r1/train-ids.txt").toString());
        env.put("WINNOW_CHECKPOINT_OUT", CHECKPOINT.toString());
        trained = Steps.run("train", env);
    }

    @AfterAll
    static void stop() throws Exception {
        s3.close();
        server.close();
    }

    static Map<String, String> env(String name) {
        Map<String, String> env = new HashMap<>(TestData.env(TestData.FASHION_CLASSES, TestData.dir(TestData.FASHION),
                "Idx", TestData.dir(dir.resolve("labels")), "Jsonl", ARTIFACTS, dir.resolve(name + ".log")));
        env.putAll(server.awsEnvironment());
        return env;
    }

    static NpyArray npy(URI uri) throws IOException {
        try (InputStream in = s3.open(uri)) {
            return NpyArray.read(in);
        }
    }

    @Test
    void trainingReachesTheAccuracyTarget() {
        assertEquals(0, trained.exitCode(), trained.toJson());
        JsonNode json = trained.json();
        double accuracy = json.get("metrics").get("accuracy").asDouble();
        assertTrue(accuracy >= 0.75, "accuracy " + accuracy);
        assertEquals(LABELED, json.get("trained").asInt());
        assertEquals(10000, json.get("evaluated").asInt());
        assertEquals(CHECKPOINT.toString(), json.get("checkpoint").asText());
        assertTrue(s3.exists(Uris.resolve(CHECKPOINT, "model.params")));
        ModelMetadata metadata = Checkpoint.metadata(s3, CHECKPOINT);
        assertEquals(List.of(1, 28, 28), metadata.inputShape());
        assertEquals(TrainStep.DEFAULT_EPOCHS, metadata.history().size());
    }

    @Test
    void inferWritesWellFormedPredictionsInIdOrder() throws IOException {
        Map<String, String> env = env("infer");
        URI out = Uris.resolve(ARTIFACTS, "runs/r1/predictions/");
        env.put("WINNOW_CHECKPOINT", CHECKPOINT.toString());
        env.put("WINNOW_PREDICT_IDS", Uris.resolve(ARTIFACTS, "runs/r1/predict-ids.txt").toString());
        env.put("WINNOW_PREDICTIONS_OUT", out.toString());
        env.put("WINNOW_OUTPUTS", "probabilities,embeddings,mc-dropout:4");
        StepResult result = Steps.run("infer", env);
        assertEquals(0, result.exitCode(), result.toJson());
        assertEquals(pool.size(), result.json().get("count").asInt());

        assertEquals(pool, IdList.read(s3, Uris.resolve(out, "ids.txt")));
        NpyArray probs = npy(Uris.resolve(out, "probs.npy"));
        NpyArray embeddings = npy(Uris.resolve(out, "embeddings.npy"));
        NpyArray mc = npy(Uris.resolve(out, "mc_probs.npy"));
        assertArrayEquals(new long[] {pool.size(), 10}, probs.shape());
        assertArrayEquals(new long[] {pool.size(), 128}, embeddings.shape());
        assertArrayEquals(new long[] {4, pool.size(), 10}, mc.shape());
        int correct = 0;
        double mcSpread = 0;
        for (int i = 0; i < pool.size(); i++) {
            assertEquals(1.0, rowSum(probs, i), 1e-4);
            assertEquals(1.0, rowSum(mc, 3 * pool.size() + i), 1e-4);
            if (argmax(probs, i) == fashion.groundTruth(pool.get(i)).getAsInt()) {
                correct++;
            }
            for (int c = 0; c < 10; c++) {
                mcSpread += Math.abs(mc.get(0, i, c) - mc.get(1, i, c));
            }
        }
        // rows are in ids.txt order: otherwise they would not match the ground truth of those ids
        assertTrue(correct >= 0.7 * pool.size(), correct + " of " + pool.size());
        assertTrue(mcSpread > 1.0, "MC-dropout samples should differ, spread " + mcSpread);
    }

    @Test
    void shardsCoverTheIdsExactlyOnce() throws IOException {
        URI out = Uris.resolve(ARTIFACTS, "runs/r1/sharded/");
        List<String> ids = new ArrayList<>();
        List<Float> firstColumn = new ArrayList<>();
        int shards = 3;
        for (int shard = 0; shard < shards; shard++) {
            Map<String, String> env = env("infer-" + shard);
            env.put("WINNOW_CHECKPOINT", CHECKPOINT.toString());
            env.put("WINNOW_PREDICT_IDS", Uris.resolve(ARTIFACTS, "runs/r1/predict-ids.txt").toString());
            env.put("WINNOW_PREDICTIONS_OUT", out.toString());
            env.put("WINNOW_OUTPUTS", "probabilities");
            env.put("WINNOW_SHARDS", Integer.toString(shards));
            env.put("JOB_COMPLETION_INDEX", Integer.toString(shard));
            StepResult result = Steps.run("infer", env);
            assertEquals(0, result.exitCode(), result.toJson());
            URI part = Uris.resolve(out, "part-" + shard + "/");
            assertEquals(part.toString(), result.json().get("predictions").asText());
            List<String> partIds = IdList.read(s3, Uris.resolve(part, "ids.txt"));
            NpyArray probs = npy(Uris.resolve(part, "probs.npy"));
            assertEquals(partIds.size(), probs.shape()[0]);
            assertTrue(Math.abs(partIds.size() - pool.size() / shards) <= 1);
            ids.addAll(partIds);
            for (int i = 0; i < partIds.size(); i++) {
                firstColumn.add(probs.get(i, 0));
            }
            assertTrue(!s3.exists(Uris.resolve(part, "embeddings.npy")));
        }
        assertEquals(pool, ids);
        assertEquals(pool.size(), firstColumn.size());
    }

    @Test
    void resumingContinuesFromTheCheckpoint() {
        assertEquals(0, trained.exitCode(), trained.toJson());
        List<Double> before = Checkpoint.metadata(s3, CHECKPOINT).history();
        URI resumed = Uris.resolve(ARTIFACTS, "runs/r2/model/");
        Map<String, String> env = env("resume");
        env.put("WINNOW_TRAIN_IDS", Uris.resolve(ARTIFACTS, "runs/r1/train-ids.txt").toString());
        env.put("WINNOW_RESUME_FROM", CHECKPOINT.toString());
        env.put("WINNOW_CHECKPOINT_OUT", resumed.toString());
        env.put("WINNOW_EPOCHS", "1");
        StepResult result = Steps.run("train", env);
        assertEquals(0, result.exitCode(), result.toJson());
        assertEquals(TrainStep.DEFAULT_EPOCHS + 1, result.json().get("epochs").asInt());
        ModelMetadata metadata = Checkpoint.metadata(s3, resumed);
        assertEquals(before, metadata.history().subList(0, before.size()));
        double resumedLoss = metadata.history().get(before.size());
        // a fresh network's first epoch is far worse; a resumed one picks up near where it stopped
        assertTrue(resumedLoss < 0.6 * before.get(0), "resumed loss " + resumedLoss + " vs fresh " + before.get(0));
        assertTrue(resumedLoss < 1.3 * before.get(before.size() - 1), "resumed loss " + resumedLoss + " vs " + before);
        assertTrue(result.json().get("metrics").get("accuracy").asDouble() >= 0.75, result.toJson());
    }

    @Test
    void trainingIdsWithoutLabelsAreBadInput() {
        URI ids = Uris.resolve(ARTIFACTS, "runs/bad/train-ids.txt");
        IdList.write(s3, ids, List.of("train-1", "train-2"));
        Map<String, String> env = env("bad");
        env.put("WINNOW_TRAIN_IDS", ids.toString());
        env.put("WINNOW_CHECKPOINT_OUT", Uris.resolve(ARTIFACTS, "runs/bad/model/").toString());
        StepResult result = Steps.run("train", env);
        assertEquals(StepResult.BAD_INPUT, result.exitCode());
        assertTrue(result.json().get("error").asText().contains("has a label"), result.toJson());
        assertTrue(!s3.exists(Uris.resolve(ARTIFACTS, "runs/bad/model/")));
    }

    private static double rowSum(NpyArray array, int row) {
        int c = (int) array.shape()[array.shape().length - 1];
        double sum = 0;
        for (int k = 0; k < c; k++) {
            sum += array.data()[row * c + k];
        }
        return sum;
    }

    private static int argmax(NpyArray array, int row) {
        int best = 0;
        for (int k = 1; k < 10; k++) {
            if (array.get(row, k) > array.get(row, best)) {
                best = k;
            }
        }
        return best;
    }
}
