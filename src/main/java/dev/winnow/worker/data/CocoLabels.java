package dev.winnow.worker.data;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import dev.winnow.contract.Task;
import dev.winnow.storage.ArtifactStore;
import dev.winnow.storage.StorageException;
import dev.winnow.worker.io.JsonLines;

/**
 * {@code Coco} labels: a COCO annotation file, or a directory of {@code *.json} files read in name
 * order. Sample ids are the images' {@code file_name} without the image extension. Categories are
 * matched to the classes by name; others are skipped. Every image listed is labeled, with the
 * boxes its annotations give ({@code bbox} is {@code [x, y, width, height]} in COCO).
 */
public final class CocoLabels implements LabelReader {

    @Override
    public LabelSet read(ArtifactStore store, URI uri, ClassList classes, Task task) {
        LabelSet labels = new LabelSet();
        for (URI file : LabelFiles.find(store, uri, ".json")) {
            JsonNode root;
            try (InputStream in = store.open(file)) {
                root = JsonLines.JSON.readTree(in);
            } catch (IOException e) {
                throw new StorageException("cannot read COCO file " + file + ": " + e.getMessage(), e);
            }
            readFile(root, file, classes, task, labels);
        }
        return labels;
    }

    private static void readFile(JsonNode root, URI file, ClassList classes, Task task, LabelSet labels) {
        if (root == null || !root.path("images").isArray()) {
            throw new IllegalArgumentException(file + ": not a COCO file (no \"images\" array)");
        }
        Map<Long, Integer> categories = new HashMap<>();
        for (JsonNode category : root.path("categories")) {
            classes.find(category.path("name").asText()).ifPresent(
                    index -> categories.put(category.path("id").asLong(), index));
        }
        Map<Long, String> ids = new LinkedHashMap<>();
        Map<Long, List<Box>> boxes = new HashMap<>();
        for (JsonNode image : root.path("images")) {
            String name = image.path("file_name").asText("");
            if (name.isEmpty() || !image.has("id")) {
                throw new IllegalArgumentException(file + ": an image needs \"id\" and \"file_name\"");
            }
            ids.put(image.get("id").asLong(), LabelFiles.stripImageExtension(name));
            boxes.put(image.get("id").asLong(), new ArrayList<>());
        }
        for (JsonNode annotation : root.path("annotations")) {
            long imageId = annotation.path("image_id").asLong();
            Integer label = categories.get(annotation.path("category_id").asLong());
            JsonNode bbox = annotation.path("bbox");
            List<Box> list = boxes.get(imageId);
            if (list == null) {
                throw new IllegalArgumentException(file + ": annotation for unknown image_id " + imageId);
            }
            if (label == null) {
                continue;
            }
            if (!bbox.isArray() || bbox.size() != 4) {
                throw new IllegalArgumentException(file + ": annotation " + annotation.path("id")
                        + " needs bbox [x, y, w, h]");
            }
            double x = bbox.get(0).asDouble();
            double y = bbox.get(1).asDouble();
            list.add(new Box(label, x, y, x + bbox.get(2).asDouble(), y + bbox.get(3).asDouble()));
        }
        ids.forEach((imageId, id) -> {
            SampleLabel label = LabelReader.forTask(boxes.get(imageId), classes, task);
            if (label != null) {
                labels.put(id, label);
            }
        });
    }
}
