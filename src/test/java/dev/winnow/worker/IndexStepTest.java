package dev.winnow.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;


class IndexStepTest {

    @TempDir
    Path dir;

    private JsonNode termination() throws IOException {
        return new ObjectMapper().readTree(dir.resolve("termination-log").toFile());
    }

    private Map<String, String> env(String classes, Path dataset, String format, Path labels, String labelsFormat) {
        return TestData.env(classes, TestData.dir(dataset), format, TestData.dir(labels), labelsFormat,
                TestData.dir(dir.resolve("artifacts")), dir.resolve("termination-log"));
    }

    @Test
    void indexesIdxFilesWithJsonlLabelsAndTags() throws IOException {
        TestData.writeIdx(dir.resolve("idx"), 20, 6, 8, 3, true);
        Files.createDirectories(dir.resolve("labels"));
        Files.writeString(dir.resolve("labels/a.jsonl"), """
                {"id": "train-0", "label": "a"}
                {"id": "train-1", "label": "b"}
                {"id": "train-2", "label": 1}
                {"id": "test-0", "label": "a"}
                """);
        Path tags = Files.createDirectories(dir.resolve("artifacts/tags"));
        Files.writeString(tags.resolve("initial.txt"), "train-0\ntrain-1\n");
        Files.writeString(tags.resolve("round-1.txt"), "train-2\n");
        Files.setLastModifiedTime(tags.resolve("initial.txt"), FileTime.from(Instant.parse("2024-01-01T00:00:00Z")));

        StepResult result = Steps.run("index", env("a,b,c", dir.resolve("idx"), "Idx", dir.resolve("labels"), "Jsonl"));

        assertEquals(0, result.exitCode(), result.toJson());
        JsonNode json = termination();
        assertEquals(20, json.get("samples").asInt());
        assertEquals(3, json.get("labeled").asInt()); // test-0 is held out, not in the pool
        assertEquals(6, json.get("heldOut").asInt());
        assertEquals(Map.of("a", 1, "b", 2, "c", 0),
                new ObjectMapper().convertValue(json.get("classHistogram"), Map.class));
        assertEquals(TestData.file(dir.resolve("artifacts/datasets/test/class-histogram.json")).toString(),
                json.get("classHistogramUri").asText());
        assertEquals(IndexStep.sha256(Files.readAllBytes(dir.resolve("artifacts/datasets/test/class-histogram.json"))),
                json.get("classHistogramSha256").asText());
        assertEquals(List.of("round-1", "initial"), json.get("tags").findValuesAsText("name"));
        assertEquals(2, json.get("tags").get(1).get("count").asInt());
        assertEquals(IndexStep.sha256("train-0\ntrain-1\n".getBytes()), json.get("tags").get(1).get("sha256").asText());
        List<String> manifest = Files.readAllLines(dir.resolve("artifacts/datasets/test/manifest.jsonl"));
        assertEquals(20, manifest.size());
        assertEquals("{\"id\":\"train-0\"}", manifest.get(0));
        assertEquals(json.get("manifest").asText(), TestData.file(dir.resolve("artifacts/datasets/test/manifest.jsonl")).toString());
    }

    @Test
    void aThousandClassesGoToTheStoreWholeAndTheMessageStaysUnder4KiB() throws IOException {
        TestData.writeIdx(dir.resolve("idx"), 20, 6, 8, 3, true);
        Files.createDirectories(dir.resolve("labels"));
        Files.writeString(dir.resolve("labels/a.jsonl"), "{\"id\": \"train-0\", \"label\": \"class-0999\"}\n");
        String classes = String.join(",", java.util.stream.IntStream.range(0, 1000)
                .mapToObj(i -> String.format("class-%04d", i)).toList());

        StepResult result = Steps.run("index", env(classes, dir.resolve("idx"), "Idx", dir.resolve("labels"), "Jsonl"));

        assertEquals(0, result.exitCode(), result.toJson());
        byte[] message = Files.readAllBytes(dir.resolve("termination-log"));
        assertTrue(message.length <= StepResult.MAX_MESSAGE_BYTES, message.length + " bytes");
        JsonNode json = termination();
        assertTrue(json.path("classHistogram").isMissingNode(), "never a cut-off histogram in the message");
        Path file = dir.resolve("artifacts/datasets/test/class-histogram.json");
        assertEquals(IndexStep.sha256(Files.readAllBytes(file)), json.get("classHistogramSha256").asText());
        JsonNode histogram = new ObjectMapper().readTree(file.toFile());
        assertEquals(1000, histogram.size(), "every class, in the store");
        assertEquals(1, histogram.get("class-0999").asInt());
        assertEquals(0, histogram.get("class-0000").asInt());
    }

    @Test
    void indexesImagesWithKittiLabels() throws IOException {
        TestData.image(dir.resolve("images/000001.png"), 0x808080, "png");
        TestData.image(dir.resolve("images/000002.png"), 0x808080, "png");
        TestData.image(dir.resolve("images/000003.png"), 0x808080, "png");
        Files.createDirectories(dir.resolve("label_2"));
        Files.writeString(dir.resolve("label_2/000001.txt"), """
                Car 0.00 0 -1.58 587.01 173.33 614.12 200.12 1.65 1.67 3.64 -0.65 1.71 46.70 -1.59
                Car 0.00 0 -1.58 100.00 173.33 214.12 200.12 1.65 1.67 3.64 -0.65 1.71 46.70 -1.59
                Cyclist 0.00 0 -0.20 712.40 143.00 810.73 307.92 1.89 0.48 1.20 1.84 1.47 8.41 0.01
                DontCare -1 -1 -10 605.81 171.14 628.54 187.08 -1 -1 -1 -1000 -1000 -1000 -10
                """);
        Files.writeString(dir.resolve("label_2/000002.txt"), "");
        Map<String, String> env = env("car,pedestrian,cyclist", dir.resolve("images"), "ImageFolder",
                dir.resolve("label_2"), "Kitti");
        env.put("WINNOW_TASK", "ObjectDetection");

        StepResult result = Steps.run("index", env);

        assertEquals(0, result.exitCode(), result.toJson());
        JsonNode json = termination();
        assertEquals(3, json.get("samples").asInt());
        assertEquals(2, json.get("labeled").asInt());
        assertEquals(2, json.get("classHistogram").get("car").asInt());
        assertEquals(1, json.get("classHistogram").get("cyclist").asInt());
        String first = Files.readAllLines(dir.resolve("artifacts/datasets/test/manifest.jsonl")).get(0);
        assertTrue(first.startsWith("{\"id\":\"000001\",\"uri\":\"file:///") && first.endsWith("000001.png\"}"), first);
    }

    @Test
    void indexesImagesWithCocoLabels() throws IOException {
        TestData.image(dir.resolve("images/a.jpg"), 0x808080, "jpg");
        TestData.image(dir.resolve("images/b.jpg"), 0x808080, "jpg");
        Files.createDirectories(dir.resolve("coco"));
        Files.writeString(dir.resolve("coco/instances.json"), """
                {"images": [{"id": 1, "file_name": "a.jpg"}, {"id": 2, "file_name": "b.jpg"},
                            {"id": 3, "file_name": "elsewhere.jpg"}],
                 "annotations": [{"id": 1, "image_id": 1, "category_id": 7, "bbox": [1, 2, 3, 4]},
                                 {"id": 2, "image_id": 1, "category_id": 7, "bbox": [1, 2, 3, 4]},
                                 {"id": 3, "image_id": 2, "category_id": 8, "bbox": [1, 2, 3, 4]}],
                 "categories": [{"id": 7, "name": "pedestrian"}, {"id": 8, "name": "car"}]}
                """);
        Map<String, String> env = env("car,pedestrian", dir.resolve("images"), "ImageFolder", dir.resolve("coco"), "Coco");
        env.put("WINNOW_TASK", "ObjectDetection");

        StepResult result = Steps.run("index", env);

        assertEquals(0, result.exitCode(), result.toJson());
        JsonNode json = termination();
        assertEquals(2, json.get("samples").asInt());
        assertEquals(2, json.get("labeled").asInt()); // elsewhere.jpg is not in the pool
        assertEquals(2, json.get("classHistogram").get("pedestrian").asInt());
        assertEquals(1, json.get("classHistogram").get("car").asInt());
    }

    @Test
    void manyTagsStayWithinTheMessageLimit() throws IOException {
        TestData.writeIdx(dir.resolve("idx"), 4, 2, 8, 2, false);
        Path tags = Files.createDirectories(dir.resolve("artifacts/tags"));
        for (int i = 0; i < 80; i++) {
            Files.writeString(tags.resolve("a-rather-long-tag-name-for-round-" + i + ".txt"), "train-0\n");
        }
        StepResult result = Steps.run("index", env("a,b", dir.resolve("idx"), "Idx", dir.resolve("labels"), "Jsonl"));
        assertEquals(0, result.exitCode(), result.toJson());
        assertTrue(Files.size(dir.resolve("termination-log")) <= 4096);
        JsonNode json = termination();
        assertEquals(80, json.get("tagsTotal").asInt());
        assertTrue(json.get("tags").size() > 5 && json.get("tags").size() <= IndexStep.MAX_TAGS);
    }

    @Test
    void missingDatasetIsBadInput() {
        StepResult result = Steps.run("index", env("a,b", dir.resolve("nothing"), "Idx", dir.resolve("labels"), "Jsonl"));
        assertEquals(StepResult.BAD_INPUT, result.exitCode());
        assertTrue(result.json().get("error").asText().contains("train-images-idx3-ubyte"), result.toJson());
    }
}
