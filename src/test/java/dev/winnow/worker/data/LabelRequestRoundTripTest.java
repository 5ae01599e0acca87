package dev.winnow.worker.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.winnow.contract.Task;
import dev.winnow.sampling.Selected;
import dev.winnow.sampling.SelectionResult;
import dev.winnow.sampling.SelectionWriter;
import dev.winnow.storage.FileStore;
import dev.winnow.worker.TestData;
import dev.winnow.worker.io.JsonLines;

/**
 * The round trip people make each round: Winnow's label request goes into the tool, annotators
 * accept or correct the model's pre-annotations, and the tool's export, read back, is the truth.
 * The exports here are built from the request files the way each tool builds them.
 */
class LabelRequestRoundTripTest {

    static final List<String> CLASSES = List.of("car", "pedestrian", "cyclist");

    @TempDir
    Path dir;

    private final FileStore store = new FileStore();

    private Path request(List<Selected> selected, String detectionFormat) {
        SelectionResult r = new SelectionResult("margin", selected, 100, 0, 0, 1, "fashion-r1", CLASSES, detectionFormat,
                "s3://pool/images/");
        new SelectionWriter().write(r, dir.resolve("request/selection.jsonl"), "fashion-r1");
        return dir.resolve("request");
    }

    private static float[] probs(float... p) {
        return p;
    }

    @Test
    void labelStudioClassification() throws IOException {
        Path request = request(List.of(
                new Selected("img/a", 0.9, 1, probs(0.7f, 0.2f, 0.1f), null),
                new Selected("img/b", 0.8, 2, probs(0.1f, 0.5f, 0.4f), null),
                new Selected("img/c", 0.7, 3, probs(0.3f, 0.3f, 0.4f), null)), null);
        ArrayNode tasks = (ArrayNode) JsonLines.JSON.readTree(request.resolve("label-request.json").toFile());
        assertEquals("fashion-r1", tasks.get(0).path("predictions").get(0).path("model_version").asText(),
                "the pre-annotation names the TrainingRun");

        // Label Studio gives each imported task an id and exports data and predictions as imported
        Map<String, Integer> truth = Map.of("img/a", 0, "img/b", 2);
        for (int i = 0; i < tasks.size(); i++) {
            ObjectNode task = (ObjectNode) tasks.get(i);
            task.put("id", 500 + i);
            String id = task.path("data").path("winnow_id").asText();
            ArrayNode annotations = task.putArray("annotations");
            if (id.equals("img/a")) {
                // accepted as predicted
                annotations.addObject().put("id", 1).put("was_cancelled", false).set("result", task.path("predictions").get(0).path("result"));
            } else if (id.equals("img/b")) {
                ObjectNode corrected = annotations.addObject().put("id", 2).put("was_cancelled", false);
                corrected.set("result", task.path("predictions").get(0).path("result").deepCopy());
                ((ObjectNode) corrected.path("result").get(0).path("value")).putArray("choices").add("cyclist");
            } else {
                annotations.addObject().put("id", 3).put("was_cancelled", true).putArray("result");
            }
        }
        Files.createDirectories(dir.resolve("labels"));
        Files.writeString(dir.resolve("labels/export.json"), tasks.toPrettyString());

        LabelSet back = new LabelStudioLabels().read(store, TestData.dir(dir.resolve("labels")), new ClassList(CLASSES),
                Task.Classification);
        Map<String, Integer> read = new LinkedHashMap<>();
        back.asMap().forEach((id, label) -> read.put(id, label.label()));
        assertEquals(truth, read);
        assertTrue(back.isSkipped("img/c"));
    }

    private static dev.winnow.sampling.io.Box predicted(String label, double x1, double y1, double x2, double y2) {
        return new dev.winnow.sampling.io.Box(label, 0.8, null, new double[] {x1, y1, x2, y2}, 1242, 375);
    }

    @Test
    void labelStudioAndCvatBoxes() throws IOException {
        Path request = request(List.of(
                new Selected("000001", 0.9, 1, null, List.of(predicted("car", 587.01, 173.33, 614.12, 200.12),
                        predicted("pedestrian", 712.4, 143, 810.73, 307.92))),
                new Selected("000002", 0.8, 2, null, List.of(predicted("cyclist", 10, 20, 30, 40)))), "jsonl");
        ClassList classes = new ClassList(CLASSES);
        Map<String, List<Box>> truth = Map.of(
                "000001", List.of(new Box(0, 587.01, 173.33, 614.12, 200.12), new Box(1, 712.4, 143, 810.73, 307.92)),
                "000002", List.of(new Box(2, 10, 20, 30, 40)));

        // Label Studio: annotators submit the predicted boxes unchanged
        ArrayNode tasks = (ArrayNode) JsonLines.JSON.readTree(request.resolve("label-request.json").toFile());
        for (JsonNode t : tasks) {
            ObjectNode annotation = ((ObjectNode) t).putArray("annotations").addObject().put("was_cancelled", false);
            annotation.set("result", t.path("predictions").get(0).path("result"));
        }
        Files.createDirectories(dir.resolve("ls"));
        Files.writeString(dir.resolve("ls/export.json"), tasks.toString());
        assertBoxes(truth, new LabelStudioLabels().read(store, TestData.dir(dir.resolve("ls")), classes, Task.ObjectDetection));

        // CVAT: the imported pre-annotations come back in its export as they were
        String xml = Files.readString(request.resolve("label-request.cvat.xml"));
        assertTrue(xml.contains("<image id=\"0\" name=\"000001\" width=\"1242\" height=\"375\">"), xml);
        Files.createDirectories(dir.resolve("cvat"));
        Files.writeString(dir.resolve("cvat/annotations.xml"), xml.replace("source=\"auto\"", "source=\"manual\""));
        assertBoxes(truth, new CvatLabels().read(store, TestData.dir(dir.resolve("cvat")), classes, Task.ObjectDetection));

        // COCO pre-annotations beside them, for tools that import COCO
        assertBoxes(truth, new CocoLabels().read(store, TestData.file(request.resolve("label-request.coco.json")), classes,
                Task.ObjectDetection));
    }

    @Test
    void cvatClassificationTagsFromTheRequest() throws IOException {
        Path request = request(List.of(new Selected("train-7", 0.9, 1, probs(0.1f, 0.1f, 0.8f), null)), null);
        Files.createDirectories(dir.resolve("cvat"));
        Files.copy(request.resolve("label-request.cvat.xml"), dir.resolve("cvat/annotations.xml"));
        LabelSet back = new CvatLabels().read(store, TestData.dir(dir.resolve("cvat")), new ClassList(CLASSES),
                Task.Classification);
        assertEquals(2, back.get("train-7").orElseThrow().label());
    }

    private static void assertBoxes(Map<String, List<Box>> truth, LabelSet back) {
        assertEquals(truth.keySet(), back.ids());
        truth.forEach((id, boxes) -> {
            List<Box> read = back.get(id).orElseThrow().boxes();
            assertEquals(boxes.size(), read.size(), id);
            for (int i = 0; i < boxes.size(); i++) {
                LabelToolsTest.assertBox(boxes.get(i), read.get(i));
            }
        });
    }
}
