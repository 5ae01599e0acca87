package dev.winnow.worker.data;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import dev.winnow.contract.Task;
import dev.winnow.storage.ArtifactStore;
import dev.winnow.storage.StorageException;
import dev.winnow.worker.io.JsonLines;

/**
 * {@code LabelStudio} labels: what Label Studio exports, as one file or a directory of files read in
 * name order. A file is a JSON export (an array of tasks, each with {@code annotations[]}), or one
 * object as its S3/GCS/Azure target storage writes it: a task with its annotations, or (older
 * versions, files named by annotation id without an extension) an annotation with its {@code task}.
 * Formats: https://labelstud.io/guide/task_format and https://labelstud.io/guide/export (target storage).
 * <ul>
 *   <li>The sample id is the {@code winnow_id} that Winnow's label request put in each task's
 *       {@code data} (or {@code meta}); a task without it is an error naming the file and task.</li>
 *   <li>Classification reads a {@code choices} result; detection reads {@code rectanglelabels}
 *       results, whose percent coordinates become pixels through {@code original_width/height}.
 *       Other result types (text areas, ratings) are ignored.</li>
 *   <li>A task may carry several annotations, and re-exports and duplicated tasks repeat them: of all
 *       the annotations for a sample id, the latest non-cancelled one wins ({@code updated_at}, then
 *       {@code created_at}; the later file on a tie). A sample whose annotations are all cancelled
 *       (skipped in the tool), or whose winning annotation names no class, is skipped; a task
 *       without annotations is still open.</li>
 * </ul>
 */
public final class LabelStudioLabels implements LabelReader {

    /** The key of Winnow's sample id in a task's {@code data} (and {@code meta}). */
    public static final String ID_KEY = "winnow_id";

    private record Annotation(String id, String where, Instant when, int order, boolean cancelled, JsonNode result) {
    }

    /** Every annotation seen per sample id, numbered in reading order (the later file wins a tie). */
    private static final class Annotations extends LinkedHashMap<String, List<Annotation>> {
        int seen;
    }

    @Override
    public LabelSet read(ArtifactStore store, URI uri, ClassList classes, Task task) {
        Annotations byId = new Annotations();
        for (URI file : LabelFiles.find(store, uri, LabelStudioLabels::isExportFile)) {
            readFile(parse(store, file), file.toString(), byId);
        }
        LabelSet labels = new LabelSet();
        byId.forEach((id, annotations) -> {
            Annotation latest = annotations.stream().filter(a -> !a.cancelled())
                    .max(Comparator.comparing(Annotation::when).thenComparingInt(Annotation::order)).orElse(null);
            SampleLabel label = latest == null ? null : toLabel(latest.result(), latest.where(), classes, task);
            if (label != null) {
                labels.put(id, label);
            } else if (!annotations.isEmpty()) {
                labels.skip(id);
            }
        });
        return labels;
    }

    /** Exports end in .json; target storage names a file by the annotation's id, without an extension. */
    static boolean isExportFile(String name) {
        return name.endsWith(".json") || (!name.contains(".") && !name.isEmpty());
    }

    private static JsonNode parse(ArtifactStore store, URI file) {
        try (InputStream in = store.open(file)) {
            return JsonLines.JSON.readTree(in);
        } catch (IOException e) {
            throw new StorageException("cannot read Label Studio export " + file + ": " + e.getMessage(), e);
        }
    }

    private static void readFile(JsonNode root, String file, Annotations byId) {
        if (root != null && root.isArray()) {
            for (int i = 0; i < root.size(); i++) {
                readTask(root.get(i), file + " task " + root.get(i).path("id").asText(String.valueOf(i + 1)), byId);
            }
        } else if (root != null && root.has("annotations")) {
            readTask(root, file + " task " + root.path("id").asText("?"), byId);
        } else if (root != null && root.has("result") && root.path("task").isObject()) {
            String id = sampleId(root.get("task"), file + " task " + root.get("task").path("id").asText("?"));
            add(byId, id, file + " annotation " + root.path("id").asText("?"), root);
        } else {
            throw new IllegalArgumentException(file + ": not a Label Studio export (an array of tasks,"
                    + " a task with \"annotations\", or an annotation with \"result\" and its \"task\")");
        }
    }

    private static void readTask(JsonNode task, String where, Annotations byId) {
        String id = sampleId(task, where);
        byId.computeIfAbsent(id, k -> new ArrayList<>());
        for (JsonNode annotation : task.path("annotations")) {
            add(byId, id, where + " annotation " + annotation.path("id").asText("?"), annotation);
        }
    }

    private static void add(Annotations byId, String id, String where, JsonNode annotation) {
        byId.computeIfAbsent(id, k -> new ArrayList<>()).add(new Annotation(id, where, time(annotation), byId.seen++,
                annotation.path("was_cancelled").asBoolean(false), annotation.path("result")));
    }

    private static String sampleId(JsonNode task, String where) {
        JsonNode id = task.path("data").path(ID_KEY);
        if (!id.isValueNode()) {
            id = task.path("meta").path(ID_KEY);
        }
        if (!id.isValueNode() || id.asText().isBlank()) {
            throw new IllegalArgumentException(where + ": no data." + ID_KEY + ", so no Winnow sample id;"
                    + " import the tasks of Winnow's label-request.json, which carry it");
        }
        return id.asText();
    }

    private static Instant time(JsonNode annotation) {
        for (String field : new String[] {"updated_at", "created_at"}) {
            String text = annotation.path(field).asText("");
            if (!text.isEmpty()) {
                try {
                    return java.time.OffsetDateTime.parse(text).toInstant();
                } catch (DateTimeParseException e) {
                    // an unreadable time orders like none
                }
            }
        }
        return Instant.MIN;
    }

    private static SampleLabel toLabel(JsonNode result, String where, ClassList classes, Task task) {
        Integer choice = null;
        List<Box> boxes = new ArrayList<>();
        for (JsonNode item : result) {
            JsonNode value = item.path("value");
            switch (item.path("type").asText("")) {
                case "choices" -> {
                    JsonNode choices = value.path("choices");
                    if (choice == null && choices.isArray() && !choices.isEmpty()) {
                        choice = classes.require(choices.get(0).asText(), where);
                    }
                }
                case "rectanglelabels" -> boxes.add(box(item, value, where, classes));
                default -> {
                    // other controls of the labeling config carry nothing Winnow reads
                }
            }
        }
        if (task == Task.ObjectDetection) {
            return SampleLabel.ofBoxes(boxes);
        }
        return choice != null ? SampleLabel.ofClass(choice) : LabelReader.forTask(boxes, classes, task);
    }

    private static Box box(JsonNode item, JsonNode value, String where, ClassList classes) {
        JsonNode names = value.path("rectanglelabels");
        if (!names.isArray() || names.isEmpty()) {
            throw new IllegalArgumentException(where + ": a rectanglelabels result without a label");
        }
        int label = classes.require(names.get(0).asText(), where);
        double width = item.path("original_width").asDouble(0);
        double height = item.path("original_height").asDouble(0);
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException(where + ": a rectanglelabels result needs original_width and"
                    + " original_height to turn its percent coordinates into pixels");
        }
        double x = value.path("x").asDouble() * width / 100;
        double y = value.path("y").asDouble() * height / 100;
        return new Box(label, x, y, x + value.path("width").asDouble() * width / 100,
                y + value.path("height").asDouble() * height / 100);
    }
}
