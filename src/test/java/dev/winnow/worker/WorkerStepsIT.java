package dev.winnow.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import dev.winnow.storage.S3ProxyServer;
import dev.winnow.storage.S3Store;
import dev.winnow.storage.Uris;
import dev.winnow.worker.io.IdList;
import dev.winnow.worker.io.NpyArray;

/**
 * The worker run exactly as a step Job runs it: {@code java -jar quarkus-run.jar worker <step>}
 * in a child process whose environment holds only the contract's variables, the artifacts and
 * labels in S3 (s3proxy, reached through the standard AWS variables), the dataset being the Debian
 * Fashion-MNIST files. The steps build on each other, so the tests run in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WorkerStepsIT {

    static final URI ARTIFACTS = URI.create("s3://winnow/fashion/");
    static final URI LABELS = URI.create("s3://winnow/fashion-labels/");
    static final URI CHECKPOINT = Uris.resolve(ARTIFACTS, "runs/r1/model/");
    static final int LABELED = 2000;
    static final int POOL = 5000;
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static S3ProxyServer server;
    static S3Store s3;
    static Path jar;

    @BeforeAll
    static void start() throws Exception {
        String property = System.getProperty("winnow.jar");
        assertTrue(property != null, "failsafe passes the packaged jar as system property winnow.jar");
        jar = Path.of(property);
        assertTrue(Files.isRegularFile(jar), "no packaged jar at " + jar + ": run mvn verify");
        server = new S3ProxyServer();
        server.createBucket("winnow");
        s3 = new S3Store(server.settings());
    }

    @AfterAll
    static void stop() throws Exception {
        if (s3 != null) {
            s3.close();
            server.close();
        }
    }

    /** What a process run left: exit code, termination message, stderr. */
    record Run(int exitCode, JsonNode message, String stderr) {
    }

    static Map<String, String> contract(String step) {
        Map<String, String> env = new HashMap<>(server.awsEnvironment());
        env.put("WINNOW_STEP", step);
        env.put("WINNOW_TASK", "Classification");
        env.put("WINNOW_CLASSES", TestData.FASHION_CLASSES);
        env.put("WINNOW_DATASET", "fashion");
        env.put("WINNOW_DATASET_URI", TestData.dir(TestData.FASHION).toString());
        env.put("WINNOW_DATASET_FORMAT", "Idx");
        env.put("WINNOW_LABELS_URI", LABELS.toString());
        env.put("WINNOW_LABELS_FORMAT", "Jsonl");
        env.put("WINNOW_ARTIFACTS_URI", ARTIFACTS.toString());
        env.put("WINNOW_MANIFEST", Uris.resolve(ARTIFACTS, "datasets/fashion/manifest.jsonl").toString());
        return env;
    }

    static Run run(String step, Map<String, String> env) throws IOException, InterruptedException {
        Path log = Files.createTempFile(dir, step + "-", ".log");
        Path stderr = Files.createTempFile(dir, step + "-", ".err");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-jar", jar.toString(), "worker", step);
        builder.environment().clear(); // the contract's variables and nothing else
        builder.environment().putAll(env);
        builder.environment().put("WINNOW_TERMINATION_LOG", log.toString());
        builder.redirectError(stderr.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Process process = builder.start();
        assertTrue(process.waitFor(5, TimeUnit.MINUTES), step + " did not finish");
        String message = Files.readString(log);
        return new Run(process.exitValue(), message.isEmpty() ? null : JSON.readTree(message), Files.readString(stderr));
    }

    static NpyArray npy(URI uri) throws IOException {
        try (InputStream in = s3.open(uri)) {
            return NpyArray.read(in);
        }
    }

    @Test
    @Order(1)
    void simulatedLabelingThenIndex() throws Exception {
        List<String> selected = IntStream.range(0, LABELED).mapToObj(i -> "train-" + (i * 29)).toList();
        URI selection = Uris.resolve(ARTIFACTS, "rounds/initial/selection.jsonl");
        s3.writeString(selection, selected.stream().map(id -> "{\"id\":\"" + id + "\",\"rank\":1}")
                .collect(Collectors.joining("\n")));
        IdList.write(s3, Uris.resolve(ARTIFACTS, "tags/initial.txt"), selected);

        Map<String, String> env = contract("await-labels");
        env.put("WINNOW_SELECTION", selection.toString());
        env.put("WINNOW_LABELING_MODE", "Simulated");
        Run labeled = run("await-labels", env);
        assertEquals(0, labeled.exitCode(), labeled.stderr());
        assertEquals(LABELED, labeled.message().get("labeled").asInt());

        Run index = run("index", contract("index"));
        assertEquals(0, index.exitCode(), index.stderr());
        assertEquals(60000, index.message().get("samples").asInt());
        assertEquals(LABELED, index.message().get("labeled").asInt());
        assertEquals("initial", index.message().get("tags").get(0).get("name").asText());
        assertEquals(LABELED, index.message().get("tags").get(0).get("count").asInt());
    }

    @Test
    @Order(2)
    void prepareThenTrainReachesTheAccuracyTarget() throws Exception {
        Map<String, String> prepare = contract("prepare");
        prepare.put("WINNOW_TRAIN_TAGS", "initial");
        prepare.put("WINNOW_PREDICT_TARGET", "Unlabeled");
        prepare.put("WINNOW_TRAIN_IDS", Uris.resolve(ARTIFACTS, "runs/r1/train-ids.txt").toString());
        prepare.put("WINNOW_PREDICT_IDS", Uris.resolve(ARTIFACTS, "runs/r1/unlabeled-ids.txt").toString());
        Run prepared = run("prepare", prepare);
        assertEquals(0, prepared.exitCode(), prepared.stderr());
        assertEquals(LABELED, prepared.message().get("trainIds").asInt());
        assertEquals(60000 - LABELED, prepared.message().get("predictIds").asInt());

        Map<String, String> env = contract("train");
        env.put("WINNOW_TRAIN_IDS", Uris.resolve(ARTIFACTS, "runs/r1/train-ids.txt").toString());
        env.put("WINNOW_RESUME_FROM", "");
        env.put("WINNOW_CHECKPOINT_OUT", CHECKPOINT.toString());
        long started = System.nanoTime();
        Run train = run("train", env);
        assertEquals(0, train.exitCode(), train.stderr());
        System.out.printf("worker train (process): %s in %.1f s%n", train.message(), (System.nanoTime() - started) / 1e9);
        double accuracy = train.message().get("metrics").get("accuracy").asDouble();
        assertTrue(accuracy >= 0.75 && accuracy <= 1, "accuracy " + accuracy);
        assertEquals(LABELED, train.message().get("trained").asInt());
        assertEquals(CHECKPOINT.toString(), train.message().get("checkpoint").asText());
    }

    @Test
    @Order(3)
    void inferWritesPredictionsAndFourShardsCoverThePoolOnce() throws Exception {
        List<String> unlabeled = IdList.read(s3, Uris.resolve(ARTIFACTS, "runs/r1/unlabeled-ids.txt"));
        List<String> pool = unlabeled.subList(0, POOL);
        URI ids = Uris.resolve(ARTIFACTS, "runs/r1/predict-ids.txt");
        IdList.write(s3, ids, pool);

        URI whole = Uris.resolve(ARTIFACTS, "runs/r1/predictions/");
        Map<String, String> env = contract("infer");
        env.put("WINNOW_CHECKPOINT", CHECKPOINT.toString());
        env.put("WINNOW_PREDICT_IDS", ids.toString());
        env.put("WINNOW_PREDICTIONS_OUT", whole.toString());
        env.put("WINNOW_OUTPUTS", "probabilities,embeddings,mc-dropout:2");
        Run infer = run("infer", env);
        assertEquals(0, infer.exitCode(), infer.stderr());
        assertEquals(POOL, infer.message().get("count").asInt());
        assertEquals(pool, IdList.read(s3, Uris.resolve(whole, "ids.txt")));
        NpyArray probs = npy(Uris.resolve(whole, "probs.npy"));
        assertArrayEquals(new long[] {POOL, 10}, probs.shape());
        for (int i = 0; i < POOL; i++) {
            double sum = 0;
            for (int c = 0; c < 10; c++) {
                float p = probs.get(i, c);
                assertTrue(p >= 0 && p <= 1);
                sum += p;
            }
            assertEquals(1.0, sum, 1e-4, "row " + i);
        }
        assertArrayEquals(new long[] {POOL, 128}, npy(Uris.resolve(whole, "embeddings.npy")).shape());
        assertArrayEquals(new long[] {2, POOL, 10}, npy(Uris.resolve(whole, "mc_probs.npy")).shape());

        URI sharded = Uris.resolve(ARTIFACTS, "runs/r1/sharded/");
        List<String> covered = new ArrayList<>();
        List<Float> shardedProbs = new ArrayList<>();
        for (int shard = 0; shard < 4; shard++) {
            Map<String, String> part = contract("infer");
            part.put("WINNOW_CHECKPOINT", CHECKPOINT.toString());
            part.put("WINNOW_PREDICT_IDS", ids.toString());
            part.put("WINNOW_PREDICTIONS_OUT", sharded.toString());
            part.put("WINNOW_OUTPUTS", "probabilities");
            part.put("WINNOW_SHARDS", "4");
            part.put("JOB_COMPLETION_INDEX", Integer.toString(shard));
            Run run = run("infer", part);
            assertEquals(0, run.exitCode(), run.stderr());
            URI partDir = Uris.resolve(sharded, "part-" + shard + "/");
            List<String> partIds = IdList.read(s3, Uris.resolve(partDir, "ids.txt"));
            assertEquals(POOL / 4, partIds.size());
            NpyArray partProbs = npy(Uris.resolve(partDir, "probs.npy"));
            assertEquals(partIds.size(), partProbs.shape()[0]);
            covered.addAll(partIds);
            for (float value : partProbs.data()) {
                shardedProbs.add(value);
            }
        }
        assertEquals(pool, covered, "the four parts, in order, are the pool exactly once");
        for (int i = 0; i < probs.data().length; i++) {
            assertEquals(probs.data()[i], shardedProbs.get(i), 1e-5, "value " + i);
        }
    }

    @Test
    @Order(4)
    void badInputExitsNonZeroWithAOneLineReason() throws Exception {
        Map<String, String> env = contract("train");
        env.put("WINNOW_CHECKPOINT_OUT", Uris.resolve(ARTIFACTS, "runs/bad/model/").toString());
        Run run = run("train", env);
        assertNotEquals(0, run.exitCode());
        String lastLine = run.stderr().strip().lines().reduce((a, b) -> b).orElse("");
        assertEquals("error: WINNOW_TRAIN_IDS is required but not set", lastLine);
        assertEquals("WINNOW_TRAIN_IDS is required but not set", run.message().get("error").asText());
        assertTrue(!new String(run.stderr().getBytes(StandardCharsets.UTF_8)).isBlank());
    }
}
