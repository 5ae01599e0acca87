package dev.winnow.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.winnow.Needs;
import dev.winnow.sampling.io.Box;
import dev.winnow.sampling.io.Detections;
import dev.winnow.sampling.io.Predictions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * examples/object-detection/tao_step.py, the entrypoint that drives TAO 5's YOLOv4 from the step contract, run
 * against a stand-in {@code yolo_v4} (src/test/resources/tao/yolo_v4) that records its arguments and spec files and
 * writes what TAO writes. TAO itself does not run here: these tests check the mapping, not TAO.
 */
class TaoEntrypointTest {
    static final Path SCRIPT = Path.of("examples/object-detection/tao_step.py").toAbsolutePath();
    static final ObjectMapper JSON = new ObjectMapper();
    /** TAO lowercases class names; the entrypoint maps them back to these. */
    static final String CLASSES = "Car,pedestrian";

    @TempDir
    Path dir;
    Path python;
    Path calls;

    @BeforeEach
    void pool() throws IOException {
        python = Needs.program("python3", "Debian's python3; .ci/run installs it with python3-numpy");
        for (String id : List.of("000001", "000002", "000003", "000004")) {
            write("pool/" + id + ".png", "not decoded by the stand-in");
        }
        write("labels/000001.txt", "car 0.00 0 0.00 10.0 20.0 50.0 60.0 0 0 0 0 0 0 0\n");
        write("labels/000002.txt", "pedestrian 0.00 0 0.00 5.0 5.0 9.0 30.0 0 0 0 0 0 0 0\n");
        write("val/images/000100.png", "");
        write("val/labels/000100.txt", "car 0.00 0 0.00 1.0 1.0 9.0 9.0 0 0 0 0 0 0 0\n");
        write("spec.txt", """
                random_seed: 42
                yolov4_config { arch: "resnet" nlayers: 18 }
                training_config {
                  batch_size_per_gpu: 8
                  num_epochs: 3
                  checkpoint_interval: 1
                }
                eval_config { matching_iou_threshold: 0.5 batch_size: 8 }
                """);
        Path standIn = dir.resolve("bin/yolo_v4");
        Files.createDirectories(standIn.getParent());
        Files.copy(Path.of("src/test/resources/tao/yolo_v4"), standIn);
        assertTrue(standIn.toFile().setExecutable(true));
        calls = dir.resolve("calls.jsonl");
    }

    @Test
    void trainMapsTheContractOntoTaosSpecAndReportsMapAndTheCheckpoint() throws Exception {
        write("train-ids.txt", "000001\n000002\n");
        write("previous/yolov4_resnet18_epoch_003.hdf5", "last round's weights");
        Step train = run(Map.of("WINNOW_STEP", "train", "WINNOW_TRAIN_IDS", uri("train-ids.txt"),
                "WINNOW_RESUME_FROM", uri("previous/yolov4_resnet18_epoch_003.hdf5"),
                "WINNOW_CHECKPOINT_OUT", uri("artifacts/runs/r2/model") + "/", "WINNOW_SEED", "7",
                "TAO_KEY", "nvidia_tlt", "TAO_GPUS", "2"));

        assertEquals(0, train.exit(), train.log());
        List<JsonNode> tao = calls();
        assertEquals(List.of("dataset_convert", "train"), tao.stream().map(c -> c.path("task").asText()).toList());

        // train ids -> a KITTI folder of just those images and their labels -> TFRecords
        JsonNode convert = tao.get(0);
        assertEquals(List.of("000001.png", "000002.png"), strings(convert.path("images")));
        assertEquals(read("labels/000002.txt"), convert.path("labels").path("000002.txt").asText());
        String tfrecords = after(convert, "-o");
        assertTrue(convert.path("files").path("-d").asText().contains("val_split: 0"), "validation is TAO_VAL_DIR's");

        // the spec: TAO_SPEC plus seed, the checkpoint to start from, and the dataset
        JsonNode run = tao.get(1);
        String spec = run.path("files").path("-e").asText();
        assertTrue(spec.contains("random_seed: 7\n") && !spec.contains("random_seed: 42"), spec);
        assertTrue(spec.contains("pretrain_model_path: \"" + dir.resolve("previous/yolov4_resnet18_epoch_003.hdf5")
                + "\""), spec);
        assertTrue(spec.contains("tfrecords_path: \"" + tfrecords + "*\""), spec);
        assertTrue(spec.contains("label_directory_path: \"" + dir.resolve("val/labels") + "\""), spec);
        assertTrue(spec.contains("target_class_mapping { key: \"car\" value: \"car\" }"), spec);
        assertTrue(spec.contains("target_class_mapping { key: \"pedestrian\" value: \"pedestrian\" }"), spec);
        assertEquals("2", after(run, "--gpus"));
        assertEquals("nvidia_tlt", after(run, "-k"));
        assertTrue(after(run, "-r").startsWith(dir.toString()), "results under TAO_WORK_DIR");

        // the last checkpoint lands in WINNOW_CHECKPOINT_OUT; the message carries it and TAO's last mAP
        Path model = dir.resolve("artifacts/runs/r2/model/yolov4_resnet18_epoch_003.hdf5");
        assertEquals("weights of epoch 3", Files.readString(model));
        assertEquals(uri("artifacts/runs/r2/model/yolov4_resnet18_epoch_003.hdf5"),
                train.result().path("checkpoint").asText());
        assertEquals(0.4125, train.result().path("metrics").path("mAP50").asDouble(), 1e-9, train.result().toString());
        assertEquals(2, train.result().path("trained").asInt());
    }

    @Test
    void runsAsKittiLoopYamlStartsItFromAConfigMapAndResumesAsAsked() throws Exception {
        write("train-ids.txt", "000001\n");
        Map<String, String> step = new HashMap<>(Map.of("WINNOW_STEP", "train", "WINNOW_TRAIN_IDS", uri("train-ids.txt"),
                "WINNOW_RESUME_FROM", uri("previous/w.hdf5"), "TAO_RESUME_AS", "resume_model_path",
                "WINNOW_CHECKPOINT_OUT", uri("model") + "/", "TAO_SPEC", "/nonexistent",
                "TAO_SPEC_TEXT", read("spec.txt")));
        // python3 -c "$(TAO_STEP_PY)": the script's text from the ConfigMap, expanded by Kubernetes
        Step train = run(step, List.of("-c", Files.readString(SCRIPT)));

        assertEquals(0, train.exit(), train.log());
        String spec = calls().get(1).path("files").path("-e").asText();
        assertTrue(spec.contains("resume_model_path: \"" + dir.resolve("previous/w.hdf5") + "\""), spec);
        assertFalse(spec.contains("pretrain_model_path"), spec);
        assertTrue(spec.contains("batch_size_per_gpu: 8"), "TAO_SPEC_TEXT is the base: " + spec);
    }

    @Test
    void everyTaoVariableOfTheExampleIsOneTheScriptReads() throws IOException {
        String script = Files.readString(SCRIPT);
        String manifest = Files.readString(Path.of("examples/object-detection/kitti-loop.yaml"));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("name: (TAO_[A-Z_]+)").matcher(manifest);
        List<String> names = new ArrayList<>();
        while (m.find()) {
            names.add(m.group(1));
            if (m.group(1).equals("TAO_STEP_PY")) {
                continue; // the script's own text
            }
            assertTrue(script.contains("\"" + m.group(1) + "\""), m.group(1) + " is set in kitti-loop.yaml but "
                    + "tao_step.py never reads it");
        }
        assertTrue(names.containsAll(List.of("TAO_STEP_PY", "TAO_SPEC_TEXT", "TAO_VAL_DIR")), names.toString());
    }

    @Test
    void inferWritesTaosKittiWhereTheContractSaysAndWinnowReadsItsScores() throws Exception {
        write("model/yolov4_resnet18_epoch_003.hdf5", "weights");
        write("predict-ids.txt", "000003\n000004\n000001\n");
        Step infer = run(Map.of("WINNOW_STEP", "infer", "WINNOW_PREDICT_IDS", uri("predict-ids.txt"),
                "WINNOW_CHECKPOINT", uri("model/yolov4_resnet18_epoch_003.hdf5"),
                "WINNOW_PREDICTIONS_OUT", uri("predictions") + "/", "STANDIN_DETECTIONS", DETECTIONS));

        assertEquals(0, infer.exit(), infer.log());
        JsonNode call = calls().get(0);
        assertEquals("inference", call.path("task").asText());
        assertEquals(dir.resolve("model/yolov4_resnet18_epoch_003.hdf5").toString(), after(call, "-m"));
        assertEquals(List.of("000001.png", "000003.png", "000004.png"), strings(call.path("images")));
        assertEquals("0.1", after(call, "-t"));
        String spec = call.path("files").path("-e").asText();
        assertTrue(spec.contains("target_class_mapping { key: \"car\" value: \"car\" }"), spec);
        assertFalse(spec.contains("model_path"), spec);

        // KITTI with the score as 16th column, under WINNOW_PREDICTIONS_OUT/labels, with ids.txt beside it
        Path out = dir.resolve("predictions");
        List<String> lines = Files.readAllLines(out.resolve("labels/000003.txt"));
        assertEquals(2, lines.size());
        String[] first = lines.get(0).split(" ");
        assertEquals(16, first.length);
        assertEquals("Car", first[0], "TAO's lowercased class mapped back to WINNOW_CLASSES");
        assertEquals("0.91", first[15]);
        assertEquals("", Files.readString(out.resolve("labels/000004.txt")));
        assertEquals(List.of("000003", "000004", "000001"), Files.readAllLines(out.resolve("ids.txt")));
        assertEquals(uri("predictions") + "/", infer.result().path("predictions").asText());
        assertEquals(3, infer.result().path("count").asInt());

        // Winnow's own reader (KittiDir, through Predictions) gives per-image boxes with their scores
        assertWinnowReads(out, "kitti");
    }

    @Test
    void shardsWriteDetectionsJsonlThatWinnowReadsAcrossParts() throws Exception {
        write("model/w.hdf5", "weights");
        write("predict-ids.txt", "000003\n000004\n000001\n");
        for (int shard = 0; shard < 2; shard++) {
            Step infer = run(Map.of("WINNOW_STEP", "infer", "WINNOW_PREDICT_IDS", uri("predict-ids.txt"),
                    "WINNOW_CHECKPOINT", uri("model/w.hdf5"), "WINNOW_PREDICTIONS_OUT", uri("predictions") + "/",
                    "WINNOW_SHARDS", "2", "JOB_COMPLETION_INDEX", String.valueOf(shard),
                    "STANDIN_DETECTIONS", DETECTIONS));
            assertEquals(0, infer.exit(), infer.log());
            assertEquals(uri("predictions/part-" + shard) + "/", infer.result().path("predictions").asText());
            assertEquals(shard == 0 ? 1 : 2, infer.result().path("count").asInt());
        }
        assertTrue(Files.isRegularFile(dir.resolve("predictions/part-1/labels/000001.txt")));

        assertWinnowReads(dir.resolve("predictions"), "jsonl");
    }

    @Test
    void badInputIsExitTwoWithTheReasonInTheTerminationMessage() throws Exception {
        write("train-ids.txt", "000001\n000003\n");
        Map<String, String> train = Map.of("WINNOW_STEP", "train", "WINNOW_TRAIN_IDS", uri("train-ids.txt"),
                "WINNOW_CHECKPOINT_OUT", uri("model") + "/");

        Step unlabeled = run(train);
        assertEquals(2, unlabeled.exit(), unlabeled.log());
        assertTrue(unlabeled.result().path("error").asText().contains("'000003' has no label file"),
                unlabeled.result().toString());

        Map<String, String> s3 = new HashMap<>(train);
        s3.put("WINNOW_DATASET_URI", "s3://traffic/images/");
        Step objectStore = run(s3);
        assertEquals(2, objectStore.exit(), objectStore.log());
        assertTrue(objectStore.result().path("error").asText().contains("reads file:// URIs only"),
                objectStore.result().toString());

        write("spec.txt", "training_config { num_epochs: 1 }\ndataset_config { }\n");
        Step owned = run(train);
        assertEquals(2, owned.exit(), owned.log());
        assertTrue(owned.result().path("error").asText().contains("sets dataset_config"), owned.result().toString());
        assertEquals(List.of(), calls(), "TAO is not started on bad input");
    }

    @Test
    void aFailingTaoIsExitOneNamingTheTask() throws Exception {
        write("train-ids.txt", "000001\n");
        Step train = run(Map.of("WINNOW_STEP", "train", "WINNOW_TRAIN_IDS", uri("train-ids.txt"),
                "WINNOW_CHECKPOINT_OUT", uri("model") + "/", "STANDIN_FAIL", "train"));

        assertEquals(1, train.exit(), train.log());
        assertEquals("yolo_v4 train exited 255 (its log is above)", train.result().path("error").asText());
        assertFalse(Files.exists(dir.resolve("model")), "no checkpoint reported or copied");

        write("model/w.hdf5", "weights");
        write("predict-ids.txt", "000003\n");
        Step infer = run(Map.of("WINNOW_STEP", "infer", "WINNOW_PREDICT_IDS", uri("predict-ids.txt"),
                "WINNOW_CHECKPOINT", uri("model/w.hdf5"), "WINNOW_PREDICTIONS_OUT", uri("predictions") + "/",
                "STANDIN_DETECTIONS", "{\"000003\": [[\"truck\", 1, 2, 3, 4, 0.5]]}"));
        assertEquals(1, infer.exit(), infer.log());
        assertTrue(infer.result().path("error").asText().contains("expected a class of WINNOW_CLASSES"),
                infer.result().toString());
    }

    /** What the stand-in's inference finds, in TAO's lowercase class names. */
    static final String DETECTIONS = """
            {"000003": [["car", 10.5, 20, 30, 40.25, 0.91], ["pedestrian", 1, 2, 3, 4, 0.12]],
             "000001": [["pedestrian", 5, 6, 7, 8, 0.55]]}""";

    /** The select step's reader finds {@link #DETECTIONS} per image, in the predict ids' order. */
    private static void assertWinnowReads(Path predictionsDir, String format) {
        Predictions predictions = Predictions.open(predictionsDir);
        Detections detections = predictions.detections("LeastConfidence");
        assertEquals(format, detections.format());
        assertEquals(List.of("000003", "000004", "000001"), ids(predictions));
        List<Box> first = detections.of(0);
        assertEquals(2, first.size());
        assertEquals("Car", first.get(0).label());
        assertEquals(0.91, first.get(0).score(), 1e-9);
        assertArrayEquals(new double[] {10.5, 20, 30, 40.25}, first.get(0).bbox(), 1e-9);
        assertEquals(0.12, first.get(1).score(), 1e-9);
        assertEquals(List.of(), detections.of(1), "an image where TAO found nothing");
        assertEquals("pedestrian", detections.of(2).get(0).label());
        assertEquals(0.55, detections.of(2).get(0).score(), 1e-9);
    }

    private static List<String> ids(Predictions predictions) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < predictions.ids().size(); i++) {
            ids.add(predictions.ids().get(i));
        }
        return ids;
    }

    record Step(int exit, JsonNode result, String log) {
    }

    private Step run(Map<String, String> step) throws Exception {
        return run(step, List.of(SCRIPT.toString()));
    }

    /** Runs the entrypoint as a step pod would, with the contract's environment and the stand-in first on PATH. */
    private Step run(Map<String, String> step, List<String> pythonArgs) throws Exception {
        List<String> command = new ArrayList<>(List.of(python.toString()));
        command.addAll(pythonArgs);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("WINNOW_") || k.startsWith("TAO_") || k.startsWith("STANDIN_"));
        env.put("PATH", dir.resolve("bin") + java.io.File.pathSeparator + env.getOrDefault("PATH", ""));
        env.put("STANDIN_LOG", calls.toString());
        env.put("WINNOW_TASK", "ObjectDetection");
        env.put("WINNOW_CLASSES", CLASSES);
        env.put("WINNOW_DATASET_URI", uri("pool") + "/");
        env.put("WINNOW_DATASET_FORMAT", "ImageFolder");
        env.put("WINNOW_LABELS_URI", uri("labels") + "/");
        env.put("WINNOW_LABELS_FORMAT", "Kitti");
        env.put("WINNOW_TERMINATION_LOG", dir.resolve("termination-log").toString());
        env.put("TAO_SPEC", dir.resolve("spec.txt").toString());
        env.put("TAO_VAL_DIR", dir.resolve("val").toString());
        env.put("TAO_WORK_DIR", Files.createTempDirectory(dir, "work").toString());
        env.putAll(step);
        Files.deleteIfExists(dir.resolve("termination-log"));
        Process p = pb.start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the entrypoint finished");
        JsonNode result = JSON.readTree(Files.readString(dir.resolve("termination-log")));
        return new Step(p.exitValue(), result, log);
    }

    private List<JsonNode> calls() throws IOException {
        List<JsonNode> list = new ArrayList<>();
        if (Files.exists(calls)) {
            for (String line : Files.readAllLines(calls)) {
                list.add(JSON.readTree(line));
            }
        }
        return list;
    }

    private static String after(JsonNode call, String flag) {
        List<String> argv = strings(call.path("argv"));
        int at = argv.indexOf(flag);
        assertTrue(at >= 0 && at + 1 < argv.size(), flag + " in " + argv);
        return argv.get(at + 1);
    }

    private static List<String> strings(JsonNode array) {
        List<String> list = new ArrayList<>();
        array.forEach(n -> list.add(n.asText()));
        return list;
    }

    private String uri(String path) {
        return "file://" + dir.resolve(path);
    }

    private void write(String path, String text) throws IOException {
        Path file = dir.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private String read(String path) throws IOException {
        return Files.readString(dir.resolve(path));
    }
}
