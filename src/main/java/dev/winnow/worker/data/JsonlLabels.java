package dev.winnow.worker.data;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.winnow.contract.Task;
import dev.winnow.storage.ArtifactStore;
import dev.winnow.worker.io.JsonLines;

/**
 * {@code Jsonl} labels: a file, or a directory of {@code *.jsonl} files read in name order; later
 * lines win. Classification lines are {@code {"id", "label"}} with a class name or index;
 * detection lines are {@code {"id", "boxes": [{"label", "bbox": [x1, y1, x2, y2]}]}}. A
 * {@code "label": null} line takes a label back.
 */
public final class JsonlLabels implements LabelReader {

    @Override
    public LabelSet read(ArtifactStore store, URI uri, ClassList classes, Task task) {
        LabelSet labels = new LabelSet();
        for (URI file : LabelFiles.find(store, uri, ".jsonl")) {
            List<ObjectNode> rows = JsonLines.read(store, file);
            for (int i = 0; i < rows.size(); i++) {
                readLine(rows.get(i), file + " record " + (i + 1), classes, task, labels);
            }
        }
        return labels;
    }

    private static void readLine(ObjectNode row, String where, ClassList classes, Task task, LabelSet labels) {
        JsonNode id = row.get("id");
        if (id == null || !id.isValueNode() || id.asText().isBlank()) {
            throw new IllegalArgumentException(where + ": no \"id\"");
        }
        JsonNode boxes = row.get("boxes");
        JsonNode label = row.get("label");
        if (boxes != null && boxes.isArray()) {
            List<Box> parsed = new ArrayList<>();
            for (JsonNode box : boxes) {
                JsonNode bbox = box.get("bbox");
                if (bbox == null || !bbox.isArray() || bbox.size() != 4 || !box.has("label")) {
                    throw new IllegalArgumentException(where + ": a box needs \"label\" and \"bbox\": [x1,y1,x2,y2]");
                }
                parsed.add(new Box(classes.require(box.get("label").asText(), where),
                        bbox.get(0).asDouble(), bbox.get(1).asDouble(), bbox.get(2).asDouble(), bbox.get(3).asDouble()));
            }
            SampleLabel sample = LabelReader.forTask(parsed, classes, task);
            if (sample != null) {
                labels.put(id.asText(), sample);
            }
        } else if (label != null && !label.isNull()) {
            int index = classes.require(label.asText(), where);
            labels.put(id.asText(), task == Task.ObjectDetection
                    ? SampleLabel.ofBoxes(List.of()) : SampleLabel.ofClass(index));
        } else if (label != null) {
            labels.remove(id.asText());
        } else {
            throw new IllegalArgumentException(where + ": no \"label\" or \"boxes\"");
        }
    }
}
