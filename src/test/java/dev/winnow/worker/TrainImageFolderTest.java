package dev.winnow.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.winnow.storage.FileStore;
import dev.winnow.worker.io.IdList;
import dev.winnow.worker.io.NpyArray;

/** {@code train} and {@code infer} on an ImageFolder: evaluation on a validation slice of the labeled ids. */
class TrainImageFolderTest {

    @TempDir
    Path dir;

    @Test
    void trainsOnImagesAndValidatesOnASliceOfTheLabels() throws IOException {
        List<String> ids = new ArrayList<>();
        StringBuilder labels = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            String colour = i % 2 == 0 ? "red" : "blue";
            String id = colour + "/" + i;
            TestData.image(dir.resolve("images/" + id + ".png"), i % 2 == 0 ? 0xe01010 : 0x1010e0, "png");
            ids.add(id);
            labels.append("{\"id\":\"").append(id).append("\",\"label\":\"").append(colour).append("\"}\n");
        }
        Files.createDirectories(dir.resolve("labels"));
        Files.writeString(dir.resolve("labels/l.jsonl"), labels);
        IdList.write(new FileStore(), TestData.file(dir.resolve("train.txt")), ids);
        Map<String, String> env = TestData.env("red,blue", TestData.dir(dir.resolve("images")), "ImageFolder",
                TestData.dir(dir.resolve("labels")), "Jsonl", TestData.dir(dir.resolve("artifacts")),
                dir.resolve("log"));
        env.put("WINNOW_IMAGE_SIZE", "12");
        env.put("WINNOW_TRAIN_IDS", TestData.file(dir.resolve("train.txt")).toString());
        env.put("WINNOW_CHECKPOINT_OUT", TestData.dir(dir.resolve("model")).toString());
        env.put("WINNOW_EPOCHS", "3");
        env.put("WINNOW_BATCH_SIZE", "8");

        StepResult small = Steps.run("train", env);
        assertEquals(0, small.exitCode(), small.toJson());
        assertEquals(40, small.json().get("trained").asInt()); // under 50 labeled: no validation slice
        assertTrue(small.json().get("metrics").get("accuracy") == null, small.toJson());

        for (int i = 40; i < 80; i++) {
            String colour = i % 2 == 0 ? "red" : "blue";
            TestData.image(dir.resolve("images/" + colour + "/" + i + ".png"), i % 2 == 0 ? 0xe01010 : 0x1010e0, "png");
            ids.add(colour + "/" + i);
            labels.append("{\"id\":\"").append(colour).append("/").append(i).append("\",\"label\":\"").append(colour).append("\"}\n");
        }
        Files.writeString(dir.resolve("labels/l.jsonl"), labels);
        IdList.write(new FileStore(), TestData.file(dir.resolve("train.txt")), ids);
        StepResult result = Steps.run("train", env);
        assertEquals(0, result.exitCode(), result.toJson());
        int evaluated = result.json().get("evaluated").asInt();
        assertTrue(evaluated > 0 && evaluated < 20, result.toJson());
        assertEquals(80, evaluated + result.json().get("trained").asInt());
        assertTrue(result.json().get("metrics").get("accuracy").asDouble() >= 0.9, result.toJson());

        env.put("WINNOW_CHECKPOINT", TestData.dir(dir.resolve("model")).toString());
        env.put("WINNOW_PREDICT_IDS", TestData.file(dir.resolve("train.txt")).toString());
        env.put("WINNOW_PREDICTIONS_OUT", TestData.dir(dir.resolve("predictions")).toString());
        assertEquals(0, Steps.run("infer", env).exitCode());
        NpyArray probs = NpyArray.read(Files.newInputStream(dir.resolve("predictions/probs.npy")));
        assertEquals(80, probs.shape()[0]);
        assertTrue(probs.get(0, 0) > 0.5f && probs.get(1, 1) > 0.5f);
    }
}
