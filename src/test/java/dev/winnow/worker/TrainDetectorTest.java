package dev.winnow.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.winnow.Needs;
import dev.winnow.sampling.io.Predictions;
import dev.winnow.storage.FileStore;
import dev.winnow.worker.data.FashionDetection;
import dev.winnow.worker.io.IdList;
import dev.winnow.worker.io.NpyArray;

/**
 * {@code train} and {@code infer} on an ObjectDetection dataset made by {@code winnow dataset fashion-detection}:
 * mAP@0.5 on the test/ folder, a resumed run, and the predictions the select step reads.
 */
class TrainDetectorTest {

    static final int POOL = Integer.getInteger("detector.pool", 120);
    static final int TEST = Integer.getInteger("detector.test", 40);
    static final String EPOCHS = System.getProperty("detector.epochs", "6");

    @TempDir
    static Path dir;

    @BeforeAll
    static void dataset() throws IOException {
        Needs.directory(TestData.FASHION, "Debian's dataset-fashion-mnist, which .ci/run installs");
        FashionDetection.write(TestData.FASHION, dir.resolve("data"), new FashionDetection.Options(POOL, TEST, 3, true));
    }

    private static Map<String, String> env() {
        Map<String, String> env = TestData.env(String.join(",", FashionDetection.CLASSES),
                TestData.dir(dir.resolve("data/images")), "ImageFolder", TestData.dir(dir.resolve("data/labels")), "Kitti",
                TestData.dir(dir.resolve("artifacts")), dir.resolve("log"));
        env.put("WINNOW_TASK", "ObjectDetection");
        env.put("WINNOW_IMAGE_SIZE", System.getProperty("detector.size", "64"));
        env.put("WINNOW_EPOCHS", EPOCHS);
        if (System.getProperty("detector.lr") != null) {
            env.put("WINNOW_LEARNING_RATE", System.getProperty("detector.lr"));
        }
        return env;
    }

    @Test
    void trainsReportsMapOnTheTestFolderResumesAndPredictsBoxesForTheSelectStep() throws IOException {
        List<String> ids = IntStream.range(0, POOL).mapToObj(i -> String.format("%06d", i)).toList();
        IdList.write(new FileStore(), TestData.file(dir.resolve("train.txt")), ids);
        Map<String, String> env = env();
        env.put("WINNOW_TRAIN_IDS", TestData.file(dir.resolve("train.txt")).toString());
        env.put("WINNOW_CHECKPOINT_OUT", TestData.dir(dir.resolve("r1")).toString());
        long started = System.nanoTime();
        StepResult first = Steps.run("train", env);
        System.out.printf("train %d images x %s epochs: %.1f s, %s%n", POOL, EPOCHS, (System.nanoTime() - started) / 1e9, first.toJson());
        assertEquals(0, first.exitCode(), first.toJson());
        assertEquals(POOL, first.json().get("trained").asInt(), "the test/ images are held out, not trained on");
        assertEquals(TEST, first.json().get("evaluated").asInt());
        double map = first.json().get("metrics").get("map50").asDouble();
        assertTrue(map > 0 && map <= 1, first.toJson());
        assertTrue(first.json().get("ap50").size() >= 5, "AP per class with test boxes: " + first.toJson());

        env.put("WINNOW_RESUME_FROM", TestData.dir(dir.resolve("r1")).toString());
        env.put("WINNOW_CHECKPOINT_OUT", TestData.dir(dir.resolve("r2")).toString());
        StepResult resumed = Steps.run("train", env);
        assertEquals(0, resumed.exitCode(), resumed.toJson());
        assertEquals(2 * Integer.parseInt(EPOCHS), resumed.json().get("epochs").asInt(), resumed.toJson());
        System.out.printf("resumed: %s%n", resumed.toJson());

        env.put("WINNOW_CHECKPOINT", TestData.dir(dir.resolve("r2")).toString());
        env.put("WINNOW_PREDICT_IDS", TestData.file(dir.resolve("train.txt")).toString());
        env.put("WINNOW_PREDICTIONS_OUT", TestData.dir(dir.resolve("predictions")).toString());
        env.put("WINNOW_OUTPUTS", "probabilities,embeddings,kitti");
        StepResult infer = Steps.run("infer", env);
        assertEquals(0, infer.exitCode(), infer.toJson());
        assertEquals("[\"detections.jsonl\",\"embeddings.npy\",\"labels/\",\"ids.txt\"]", infer.json().get("files").toString());
        Path out = dir.resolve("predictions");
        assertEquals(POOL, NpyArray.read(Files.newInputStream(out.resolve("embeddings.npy"))).shape()[0]);
        assertTrue(Files.notExists(out.resolve("probs.npy")), "per-box distributions only, so selection keeps the boxes");

        Predictions predictions = Predictions.open(out);
        var detections = predictions.detections("test");
        assertEquals(POOL, predictions.ids().size());
        assertEquals("jsonl", detections.format());
        var boxes = IntStream.range(0, POOL).mapToObj(detections::of).flatMap(List::stream).toList();
        assertTrue(boxes.size() >= POOL / 2, "boxes found: " + boxes.size());
        var box = boxes.get(0);
        assertEquals(FashionDetection.CLASSES.size(), box.probs().length);
        assertEquals(128, box.imageWidth(), "boxes are in pixels of the stored 128x128 canvas");
        assertTrue(FashionDetection.CLASSES.contains(box.label()));

        List<String> kitti = Files.readAllLines(out.resolve("labels/000000.txt"));
        assertTrue(kitti.stream().allMatch(l -> l.split(" ").length == 16), "KITTI with TAO's confidence column: " + kitti);
    }
}
