package dev.winnow.worker.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.winnow.contract.LabelFormat;
import dev.winnow.contract.Task;
import dev.winnow.storage.FileStore;
import dev.winnow.worker.TestData;

class LabelFormatsTest {

    static final ClassList KITTI_CLASSES = new ClassList(List.of("car", "pedestrian", "cyclist"));
    static final ClassList FASHION = new ClassList(List.of(TestData.FASHION_CLASSES.split(",")));

    @TempDir
    Path dir;

    private final FileStore store = new FileStore();

    @Test
    void jsonlByNameOrIndexLaterLinesWin() throws IOException {
        Files.writeString(dir.resolve("a.jsonl"), """
                {"id": "train-1", "label": "trouser"}
                {"id": "train-2", "label": 3}

                {"id": "train-1", "label": "Bag"}
                """);
        Files.writeString(dir.resolve("b.jsonl"), """
                {"id": "train-2", "label": null}
                {"id": "train-3", "label": "9"}
                """);
        Files.writeString(dir.resolve("notes.txt"), "not labels");
        LabelSet labels = new JsonlLabels().read(store, TestData.dir(dir), FASHION, Task.Classification);
        assertEquals(2, labels.size());
        assertEquals(8, labels.get("train-1").orElseThrow().label());
        assertFalse(labels.contains("train-2"));
        assertEquals(9, labels.get("train-3").orElseThrow().label());
        assertEquals(1, labels.histogram(FASHION, null).get("bag"));
    }

    @Test
    void jsonlSingleFileAndMissingStore() throws IOException {
        Path file = dir.resolve("labels.jsonl");
        Files.writeString(file, "{\"id\": \"x\", \"label\": \"coat\"}\n");
        assertEquals(1, new JsonlLabels().read(store, TestData.file(file), FASHION, Task.Classification).size());
        assertEquals(0, new JsonlLabels().read(store, TestData.dir(dir.resolve("none")), FASHION,
                Task.Classification).size());
    }

    @Test
    void jsonlUnknownClassIsAnErrorWithItsPlace() throws IOException {
        Files.writeString(dir.resolve("a.jsonl"), "{\"id\": \"x\", \"label\": \"hat\"}\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new JsonlLabels().read(store, TestData.dir(dir), FASHION, Task.Classification));
        assertTrue(e.getMessage().contains("a.jsonl record 1") && e.getMessage().contains("hat"), e.getMessage());
    }

    @Test
    void kittiSample() throws IOException {
        Path labels = dir.resolve("label_2");
        Files.createDirectories(labels);
        // from the KITTI object benchmark's devkit format
        Files.writeString(labels.resolve("000001.txt"), """
                Car 0.00 0 -1.58 587.01 173.33 614.12 200.12 1.65 1.67 3.64 -0.65 1.71 46.70 -1.59
                Pedestrian 0.00 0 -0.20 712.40 143.00 810.73 307.92 1.89 0.48 1.20 1.84 1.47 8.41 0.01
                DontCare -1 -1 -10 605.81 171.14 628.54 187.08 -1 -1 -1 -1000 -1000 -1000 -10
                """);
        Files.writeString(labels.resolve("000002.txt"), "Car 0.00 0 1.85 387.63 181.54 423.81 203.12 1.67 1.87 3.69 -16.53 2.39 58.49 1.57 0.93\n");
        Files.writeString(labels.resolve("000003.txt"), "");
        LabelSet set = new KittiLabels().read(store, TestData.dir(labels), KITTI_CLASSES, Task.ObjectDetection);
        assertEquals(3, set.size());
        SampleLabel first = set.get("000001").orElseThrow();
        assertEquals(2, first.boxes().size());
        assertEquals(new Box(0, 587.01, 173.33, 614.12, 200.12), first.boxes().get(0));
        assertTrue(set.get("000003").orElseThrow().boxes().isEmpty());
        assertEquals(Map.of("car", 2, "pedestrian", 1, "cyclist", 0), set.histogram(KITTI_CLASSES, null));

        LabelSet asClasses = new KittiLabels().read(store, TestData.dir(labels), KITTI_CLASSES, Task.Classification);
        assertEquals(2, asClasses.size()); // the empty image has no class
        assertEquals(0, asClasses.get("000001").orElseThrow().label());
    }

    @Test
    void cocoSample() throws IOException {
        Files.writeString(dir.resolve("instances.json"), """
                {"images": [{"id": 397133, "file_name": "000000397133.jpg", "width": 640, "height": 427},
                            {"id": 37777, "file_name": "000000037777.jpg", "width": 352, "height": 230}],
                 "annotations": [
                   {"id": 1, "image_id": 397133, "category_id": 1, "bbox": [388.66, 69.92, 109.41, 277.62]},
                   {"id": 2, "image_id": 397133, "category_id": 3, "bbox": [0.0, 262.81, 62.16, 36.77]},
                   {"id": 3, "image_id": 397133, "category_id": 90, "bbox": [1, 1, 2, 2]}],
                 "categories": [{"id": 1, "name": "pedestrian"}, {"id": 3, "name": "car"},
                                {"id": 90, "name": "toothbrush"}]}
                """);
        LabelSet set = new CocoLabels().read(store, TestData.dir(dir), KITTI_CLASSES, Task.ObjectDetection);
        assertEquals(2, set.size());
        List<Box> boxes = set.get("000000397133").orElseThrow().boxes();
        assertEquals(2, boxes.size()); // toothbrush is not a class
        assertEquals(1, boxes.get(0).label());
        assertEquals(388.66 + 109.41, boxes.get(0).x2(), 1e-9);
        assertTrue(set.get("000000037777").orElseThrow().boxes().isEmpty());
    }

    @Test
    void yoloSample() throws IOException {
        Files.writeString(dir.resolve("classes.txt"), "car\npedestrian\ncyclist\n");
        Files.createDirectories(dir.resolve("train"));
        Files.writeString(dir.resolve("train/img1.txt"), "2 0.5 0.5 0.2 0.4\n0 0.1 0.1 0.1 0.1\n");
        LabelSet set = new YoloLabels().read(store, TestData.dir(dir), KITTI_CLASSES, Task.ObjectDetection);
        assertEquals(1, set.size());
        Box box = set.get("train/img1").orElseThrow().boxes().get(0);
        assertEquals(2, box.label());
        assertEquals(0.4, box.x1(), 1e-9);
        assertEquals(0.7, box.y2(), 1e-9);
    }

    @Test
    void writersRoundTripThroughReaders() {
        Map<String, SampleLabel> samples = new LinkedHashMap<>();
        samples.put("a/000001", SampleLabel.ofBoxes(List.of(new Box(1, 10, 20, 30, 40))));
        samples.put("000002", SampleLabel.ofBoxes(List.of()));
        for (LabelFormat format : LabelFormat.values()) {
            URI labels = TestData.dir(dir.resolve(format.name()));
            if (format == LabelFormat.LabelStudio) {
                assertThrows(IllegalArgumentException.class, () -> LabelWriter.write(store, format, labels, KITTI_CLASSES,
                        samples, "simulated-1"), "percent coordinates need the image size");
                continue;
            }
            assertEquals(2, LabelWriter.write(store, format, labels, KITTI_CLASSES, samples, "simulated-1"));
            LabelSet back = LabelReader.of(format).read(store, labels, KITTI_CLASSES, Task.ObjectDetection);
            assertEquals(samples.keySet(), back.ids(), format.name());
            Box box = back.get("a/000001").orElseThrow().boxes().get(0);
            assertEquals(1, box.label(), format.name());
            assertEquals(30, box.x2(), 0.01, format.name());
        }
        Map<String, SampleLabel> classes = Map.of("train-1", SampleLabel.ofClass(4));
        URI jsonl = TestData.dir(dir.resolve("cls"));
        LabelWriter.write(store, LabelFormat.Jsonl, jsonl, FASHION, classes, "simulated-2");
        assertEquals(4, new JsonlLabels().read(store, jsonl, FASHION, Task.Classification)
                .get("train-1").orElseThrow().label());
        for (LabelFormat tool : List.of(LabelFormat.LabelStudio, LabelFormat.Cvat)) {
            URI labels = TestData.dir(dir.resolve("cls-" + tool));
            LabelWriter.write(store, tool, labels, FASHION, classes, "simulated-2");
            assertEquals(4, LabelReader.of(tool).read(store, labels, FASHION, Task.Classification)
                    .get("train-1").orElseThrow().label(), tool.name());
        }
        assertThrows(IllegalArgumentException.class, () -> LabelWriter.write(store, LabelFormat.Kitti,
                TestData.dir(dir.resolve("k")), FASHION, classes, "x"));
    }

    @Test
    void jsonlWriterAppendsToASingleFile() throws IOException {
        Path file = dir.resolve("labels.jsonl");
        Files.writeString(file, "{\"id\": \"a\", \"label\": \"coat\"}");
        LabelWriter.write(store, LabelFormat.Jsonl, TestData.file(file), FASHION,
                Map.of("b", SampleLabel.ofClass(0)), "ignored");
        assertEquals(2, new JsonlLabels().read(store, TestData.file(file), FASHION, Task.Classification).size());
    }
}
