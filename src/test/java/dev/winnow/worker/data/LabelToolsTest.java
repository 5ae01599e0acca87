package dev.winnow.worker.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.winnow.contract.Task;
import dev.winnow.storage.FileStore;
import dev.winnow.worker.TestData;

/**
 * The exports of Label Studio and CVAT, written by hand from their documented formats
 * (https://labelstud.io/guide/task_format, https://labelstud.io/guide/export,
 * https://docs.cvat.ai/docs/other/xml_format), with the awkward cases people produce.
 */
class LabelToolsTest {

    static final ClassList FASHION = LabelFormatsTest.FASHION;
    static final ClassList KITTI = LabelFormatsTest.KITTI_CLASSES;

    @TempDir
    Path dir;

    private final FileStore store = new FileStore();

    private LabelSet labelStudio(ClassList classes, Task task) {
        return new LabelStudioLabels().read(store, TestData.dir(dir), classes, task);
    }

    private LabelSet cvat(ClassList classes, Task task) {
        return new CvatLabels().read(store, TestData.dir(dir), classes, task);
    }

    @Test
    void labelStudioClassificationExportLatestNonCancelledAnnotationWins() throws IOException {
        Files.writeString(dir.resolve("project-1-at-2026-01-02.json"), """
                [
                 {"id": 11, "data": {"image": "s3://pool/train-1.png", "winnow_id": "train-1", "winnow_rank": 1},
                  "annotations": [
                    {"id": 101, "completed_by": 1, "was_cancelled": false, "ground_truth": false,
                     "created_at": "2026-01-02T10:00:00.000000Z", "updated_at": "2026-01-02T10:00:00.000000Z",
                     "result": [{"id": "a1", "from_name": "label", "to_name": "image", "type": "choices",
                                 "value": {"choices": ["Coat"]}}]},
                    {"id": 102, "completed_by": 2, "was_cancelled": false,
                     "created_at": "2026-01-02T10:05:00.123456Z", "updated_at": "2026-01-02T10:05:00.123456Z",
                     "result": [{"id": "a2", "from_name": "label", "to_name": "image", "type": "choices",
                                 "value": {"choices": ["Bag"]}},
                                {"id": "a3", "from_name": "notes", "to_name": "image", "type": "textarea",
                                 "value": {"text": ["blurry"]}}]}],
                  "predictions": [{"model_version": "fashion-r1", "result": [{"type": "choices", "value": {"choices": ["Shirt"]}}]}]},
                 {"id": 12, "data": {"winnow_id": "train-2"},
                  "annotations": [
                    {"id": 103, "was_cancelled": false, "updated_at": "2026-01-02T09:00:00Z",
                     "result": [{"type": "choices", "value": {"choices": ["Trouser"]}}]},
                    {"id": 104, "was_cancelled": true, "updated_at": "2026-01-02T11:00:00Z", "result": []}]},
                 {"id": 13, "data": {"winnow_id": "train-3"},
                  "annotations": [{"id": 105, "was_cancelled": true, "result": []}]},
                 {"id": 14, "data": {"winnow_id": "train-4"}, "annotations": [], "predictions": []},
                 {"id": 15, "data": {"winnow_id": "train-1"},
                  "annotations": [{"id": 106, "was_cancelled": false, "updated_at": "2026-01-02T09:30:00Z",
                                   "result": [{"type": "choices", "value": {"choices": ["Sneaker"]}}]}]},
                 {"id": 16, "data": {"image": "/data/upload/1/x.png"}, "meta": {"winnow_id": "train-6"},
                  "annotations": [{"id": 107, "result": [{"type": "choices", "value": {"choices": ["Dress"]}}]}]},
                 {"id": 17, "data": {"winnow_id": "train-7"},
                  "annotations": [{"id": 108, "was_cancelled": false, "result": []}]}
                ]
                """);
        LabelSet labels = labelStudio(FASHION, Task.Classification);
        assertEquals(8, labels.get("train-1").orElseThrow().label(), "Bag, the latest of three across duplicated tasks");
        assertEquals(1, labels.get("train-2").orElseThrow().label(), "a later cancelled annotation does not undo Trouser");
        assertEquals(3, labels.get("train-6").orElseThrow().label(), "the id in meta");
        assertTrue(labels.isSkipped("train-3"), "every annotation cancelled");
        assertTrue(labels.isSkipped("train-7"), "submitted without a choice");
        assertFalse(labels.contains("train-4") || labels.isSkipped("train-4"), "no annotation yet: open");
        assertEquals(3, labels.size());

        // a later re-export holds the earlier tasks again, and train-4 labeled now
        Files.writeString(dir.resolve("project-1-at-2026-01-03.json"), """
                [{"id": 14, "data": {"winnow_id": "train-4"}, "annotations": [{"id": 109, "was_cancelled": false,
                   "updated_at": "2026-01-03T08:00:00Z", "result": [{"type": "choices", "value": {"choices": ["Sandal"]}}]}]},
                 {"id": 13, "data": {"winnow_id": "train-3"}, "annotations": [{"id": 105, "was_cancelled": true, "result": []}]},
                 {"id": 11, "data": {"winnow_id": "train-1"}, "annotations": [{"id": 101, "was_cancelled": false,
                   "updated_at": "2026-01-02T10:00:00Z", "result": [{"type": "choices", "value": {"choices": ["Coat"]}}]}]}]
                """);
        labels = labelStudio(FASHION, Task.Classification);
        assertEquals(5, labels.get("train-4").orElseThrow().label());
        assertEquals(8, labels.get("train-1").orElseThrow().label(), "re-exporting an old annotation does not make it newer");
        assertTrue(labels.isSkipped("train-3"));
    }

    @Test
    void labelStudioBoxesInPercentBecomePixels() throws IOException {
        Files.writeString(dir.resolve("export.json"), """
                [{"id": 1, "data": {"image": "s3://kitti/000001.png", "winnow_id": "000001"},
                  "annotations": [{"id": 1, "was_cancelled": false, "result": [
                    {"id": "r1", "type": "rectanglelabels", "from_name": "label", "to_name": "image",
                     "original_width": 1242, "original_height": 375, "image_rotation": 0,
                     "value": {"x": 50, "y": 20, "width": 10, "height": 40, "rotation": 0, "rectanglelabels": ["Car"]}},
                    {"id": "r2", "type": "rectanglelabels", "from_name": "label", "to_name": "image",
                     "original_width": 1242, "original_height": 375,
                     "value": {"x": 0, "y": 0, "width": 5, "height": 10, "rectanglelabels": ["Pedestrian"]}}]}]},
                 {"id": 2, "data": {"winnow_id": "000002"},
                  "annotations": [{"id": 2, "was_cancelled": false, "result": []}]}]
                """);
        LabelSet labels = labelStudio(KITTI, Task.ObjectDetection);
        List<Box> boxes = labels.get("000001").orElseThrow().boxes();
        assertEquals(2, boxes.size());
        assertBox(new Box(0, 621, 75, 745.2, 225), boxes.get(0));
        assertEquals(1, boxes.get(1).label());
        assertTrue(labels.get("000002").orElseThrow().boxes().isEmpty(), "submitted with no box: nothing there");
        assertEquals(0, labelStudio(KITTI, Task.Classification).get("000001").orElseThrow().label(),
                "a classification from boxes: the most frequent class, the lower index on a tie");
    }

    @Test
    void labelStudioTargetStorageOneFilePerAnnotationOrTask() throws IOException {
        // older Label Studio: one file per annotation named by its id, no extension, the task inside
        Files.writeString(dir.resolve("101"), """
                {"id": 101, "created_at": "2026-01-02T10:00:00Z", "updated_at": "2026-01-02T10:00:00Z",
                 "was_cancelled": false, "result": [{"type": "choices", "value": {"choices": ["Coat"]}}],
                 "task": {"id": 11, "data": {"winnow_id": "train-1"}, "meta": {}}}
                """);
        Files.writeString(dir.resolve("102"), """
                {"id": 102, "updated_at": "2026-01-02T11:00:00Z", "was_cancelled": false,
                 "result": [{"type": "choices", "value": {"choices": ["Pullover"]}}],
                 "task": {"id": 11, "data": {"winnow_id": "train-1"}}}
                """);
        // newer Label Studio: one file per task, named by the task id, with its annotations
        Files.writeString(dir.resolve("12.json"), """
                {"id": 12, "data": {"winnow_id": "train-2"},
                 "annotations": [{"id": 103, "was_cancelled": true, "result": []}]}
                """);
        Files.writeString(dir.resolve("README.md"), "not an export");
        LabelSet labels = labelStudio(FASHION, Task.Classification);
        assertEquals(2, labels.get("train-1").orElseThrow().label());
        assertTrue(labels.isSkipped("train-2"));
        assertEquals(1, labels.size());
    }

    @Test
    void labelStudioErrorsNameTheFileAndRecord() throws IOException {
        Files.writeString(dir.resolve("export.json"), """
                [{"id": 41, "data": {"image": "/data/upload/41.png"}, "annotations": []}]
                """);
        var e = assertThrows(IllegalArgumentException.class, () -> labelStudio(FASHION, Task.Classification));
        assertTrue(e.getMessage().contains("export.json task 41") && e.getMessage().contains("winnow_id"), e.getMessage());

        Files.writeString(dir.resolve("export.json"), """
                [{"id": 42, "data": {"winnow_id": "train-9"}, "annotations": [{"id": 7,
                   "result": [{"type": "choices", "value": {"choices": ["Hat"]}}]}]}]
                """);
        e = assertThrows(IllegalArgumentException.class, () -> labelStudio(FASHION, Task.Classification));
        assertTrue(e.getMessage().contains("export.json task 42 annotation 7") && e.getMessage().contains("unknown class 'Hat'"),
                e.getMessage());

        Files.writeString(dir.resolve("export.json"), """
                [{"id": 43, "data": {"winnow_id": "000001"}, "annotations": [{"id": 8, "result": [
                   {"type": "rectanglelabels", "value": {"x": 1, "y": 1, "width": 1, "height": 1, "rectanglelabels": ["Car"]}}]}]}]
                """);
        e = assertThrows(IllegalArgumentException.class, () -> labelStudio(KITTI, Task.ObjectDetection));
        assertTrue(e.getMessage().contains("task 43 annotation 8") && e.getMessage().contains("original_width"), e.getMessage());

        Files.writeString(dir.resolve("export.json"), "{\"images\": []}");
        e = assertThrows(IllegalArgumentException.class, () -> labelStudio(FASHION, Task.Classification));
        assertTrue(e.getMessage().contains("not a Label Studio export"), e.getMessage());
    }

    static final String CVAT_EXPORT = """
            <?xml version="1.0" encoding="utf-8"?>
            <annotations>
              <version>1.1</version>
              <meta>
                <task><id>7</id><name>kitti round 1</name><size>4</size><mode>annotation</mode>
                  <labels><label><name>Car</name><type>rectangle</type></label></labels></task>
              </meta>
              <image id="0" name="000001.png" width="1242" height="375">
                <box label="Car" source="manual" occluded="0" xtl="587.01" ytl="173.33" xbr="614.12" ybr="200.12" z_order="0">
                  <attribute name="truncated">0</attribute>
                </box>
                <box label="Pedestrian" source="auto" occluded="1" xtl="712.40" ytl="143.00" xbr="810.73" ybr="307.92" z_order="0"/>
                <polygon label="Car" source="manual" occluded="0" points="1,1;5,1;5,5" z_order="0"/>
              </image>
              <image id="1" name="sub/000002.jpg" width="1242" height="375">
                <tag label="empty" source="manual"/>
              </image>
              <image id="2" name="000003.png" width="1242" height="375">
              </image>
            </annotations>
            """;

    @Test
    void cvatBoxesTagsAndOpenImages() throws IOException {
        Files.writeString(dir.resolve("annotations.xml"), CVAT_EXPORT);
        LabelSet labels = cvat(KITTI, Task.ObjectDetection);
        assertEquals(2, labels.size());
        List<Box> boxes = labels.get("000001").orElseThrow().boxes();
        assertEquals(2, boxes.size(), "the polygon is not a box");
        assertBox(new Box(0, 587.01, 173.33, 614.12, 200.12), boxes.get(0));
        assertTrue(labels.get("sub/000002").orElseThrow().boxes().isEmpty(), "a tag on an image without boxes: nothing there");
        assertFalse(labels.contains("000003"), "exported but not annotated: open");

        Files.delete(dir.resolve("annotations.xml"));
        Files.writeString(dir.resolve("round-1.xml"), """
                <annotations><version>1.1</version>
                  <image id="0" name="train-1.png"><tag label="Ankle-Boot" source="manual"/></image>
                  <image id="1" name="train-2.png"></image>
                </annotations>
                """);
        labels = cvat(FASHION, Task.Classification);
        assertEquals(9, labels.get("train-1").orElseThrow().label());
        assertEquals(1, labels.size());
    }

    @Test
    void cvatExportZipAndLaterFilesWin() throws IOException {
        try (OutputStream out = Files.newOutputStream(dir.resolve("a-task-7.zip")); ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("images/000001.png"));
            zip.write(new byte[] {1, 2, 3});
            zip.putNextEntry(new ZipEntry("annotations.xml"));
            zip.write(CVAT_EXPORT.getBytes(StandardCharsets.UTF_8));
        }
        Files.writeString(dir.resolve("b-fix.xml"), """
                <annotations><version>1.1</version>
                  <image id="0" name="000001.png"><box label="cyclist" xtl="1" ytl="2" xbr="3" ybr="4"/></image>
                </annotations>
                """);
        LabelSet labels = cvat(KITTI, Task.ObjectDetection);
        assertEquals(List.of(new Box(2, 1, 2, 3, 4)), labels.get("000001").orElseThrow().boxes());
        assertTrue(labels.contains("sub/000002"));
    }

    @Test
    void cvatErrorsNameTheFileAndImage() throws IOException {
        Files.writeString(dir.resolve("annotations.xml"), """
                <annotations><image id="3" name="000009.png"><box label="Truck" xtl="1" ytl="2" xbr="3" ybr="4"/></image></annotations>
                """);
        var e = assertThrows(IllegalArgumentException.class, () -> cvat(KITTI, Task.ObjectDetection));
        assertTrue(e.getMessage().contains("annotations.xml image '000009.png'") && e.getMessage().contains("unknown class 'Truck'"),
                e.getMessage());

        Files.writeString(dir.resolve("annotations.xml"), """
                <annotations><image id="3" name="000009.png"><box label="Car" xtl="one" ytl="2" xbr="3" ybr="4"/></image></annotations>
                """);
        e = assertThrows(IllegalArgumentException.class, () -> cvat(KITTI, Task.ObjectDetection));
        assertTrue(e.getMessage().contains("xtl='one'"), e.getMessage());

        Files.writeString(dir.resolve("annotations.xml"), """
                <?xml version="1.0"?>
                <!DOCTYPE annotations [<!ENTITY x SYSTEM "file:///etc/passwd">]>
                <annotations><image id="0" name="a.png"><tag label="&x;"/></image></annotations>
                """);
        e = assertThrows(IllegalArgumentException.class, () -> cvat(FASHION, Task.Classification));
        assertTrue(e.getMessage().contains("not XML"), "no DTDs from people's files: " + e.getMessage());

        Files.writeString(dir.resolve("annotations.xml"), "<dataset/>");
        e = assertThrows(IllegalArgumentException.class, () -> cvat(FASHION, Task.Classification));
        assertTrue(e.getMessage().contains("not a CVAT for images export"), e.getMessage());
    }

    static void assertBox(Box expected, Box actual) {
        assertEquals(expected.label(), actual.label());
        assertEquals(expected.x1(), actual.x1(), 1e-6);
        assertEquals(expected.y1(), actual.y1(), 1e-6);
        assertEquals(expected.x2(), actual.x2(), 1e-6);
        assertEquals(expected.y2(), actual.y2(), 1e-6);
    }
}
