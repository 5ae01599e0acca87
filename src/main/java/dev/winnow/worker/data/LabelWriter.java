package dev.winnow.worker.data;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.winnow.contract.LabelFormat;
import dev.winnow.storage.ArtifactStore;
import dev.winnow.storage.Uris;
import dev.winnow.worker.io.JsonLines;

/**
 * Adds labels to a label store in its own format, each file published atomically, so a reader
 * (the loop's next {@code prepare}, a person's tool) sees each file whole or not at all.
 * {@code Jsonl}, {@code Coco}, {@code LabelStudio} (an export of tasks) and {@code Cvat} (an XML
 * export) get one new file named after {@code batchName}; {@code Kitti} and {@code Yolo} one file per
 * sample, as those formats require.
 */
public final class LabelWriter {

    private LabelWriter() {
    }

    /** @return how many samples were written */
    public static int write(ArtifactStore store, LabelFormat format, URI labels, ClassList classes,
                            Map<String, SampleLabel> samples, String batchName) {
        boolean classesOnly = format == LabelFormat.Kitti || format == LabelFormat.Yolo || format == LabelFormat.Coco;
        if (classesOnly && samples.values().stream().anyMatch(SampleLabel::hasClass)) {
            throw new IllegalArgumentException(format + " labels hold boxes, not image classes;"
                    + " use Jsonl, LabelStudio or Cvat labels for classification");
        }
        switch (format) {
            case Jsonl -> writeJsonl(store, labels, classes, samples, batchName);
            case Coco -> writeCoco(store, labels, classes, samples, batchName);
            case LabelStudio -> store.writeString(batchFile(labels, format, batchName + ".json"),
                    ToolExports.labelStudio(classes, samples));
            case Cvat -> store.writeString(batchFile(labels, format, batchName + ".xml"), ToolExports.cvat(classes, samples));
            case Kitti, Yolo -> samples.forEach((id, label) -> store.writeString(
                    Uris.resolve(Uris.asDirectory(labels), id + ".txt"), perSampleFile(format, classes, id, label)));
        }
        return samples.size();
    }

    private static void writeJsonl(ArtifactStore store, URI labels, ClassList classes,
                                   Map<String, SampleLabel> samples, String batchName) {
        ByteArrayOutputStream lines = new ByteArrayOutputStream();
        samples.forEach((id, label) -> {
            ObjectNode row = JsonLines.JSON.createObjectNode().put("id", id);
            if (label.hasClass()) {
                row.put("label", classes.name(label.label()));
            } else {
                ArrayNode boxes = row.putArray("boxes");
                label.boxes().forEach(b -> {
                    ObjectNode box = boxes.addObject().put("label", classes.name(b.label()));
                    box.putArray("bbox").add(b.x1()).add(b.y1()).add(b.x2()).add(b.y2());
                });
            }
            lines.writeBytes((row.toString() + "\n").getBytes(StandardCharsets.UTF_8));
        });
        if (Uris.isDirectory(labels)) {
            store.write(Uris.resolve(labels, batchName + ".jsonl"), out -> lines.writeTo(out));
        } else {
            // a single labels file: publish old content plus the new lines as one new version
            byte[] old = store.exists(labels) ? store.readAllBytes(labels) : new byte[0];
            store.write(labels, out -> {
                out.write(old);
                if (old.length > 0 && old[old.length - 1] != '\n') {
                    out.write('\n');
                }
                lines.writeTo(out);
            });
        }
    }

    /** A new file in a label store that must be a directory, as the tools' exports are whole files. */
    private static URI batchFile(URI labels, LabelFormat format, String name) {
        if (!Uris.isDirectory(labels)) {
            throw new IllegalArgumentException(format + " labels must be a directory (trailing /) to add files to: " + labels);
        }
        return Uris.resolve(labels, name);
    }

    private static void writeCoco(ArtifactStore store, URI labels, ClassList classes,
                                  Map<String, SampleLabel> samples, String batchName) {
        batchFile(labels, LabelFormat.Coco, batchName + ".json");
        ObjectNode root = JsonLines.JSON.createObjectNode();
        ArrayNode images = root.putArray("images");
        ArrayNode annotations = root.putArray("annotations");
        ArrayNode categories = root.putArray("categories");
        for (int c = 0; c < classes.size(); c++) {
            categories.addObject().put("id", c + 1).put("name", classes.name(c));
        }
        int imageId = 0;
        int annotationId = 0;
        for (Map.Entry<String, SampleLabel> e : samples.entrySet()) {
            imageId++;
            images.addObject().put("id", imageId).put("file_name", e.getKey());
            for (Box b : boxesOf(e.getValue())) {
                ObjectNode a = annotations.addObject().put("id", ++annotationId).put("image_id", imageId)
                        .put("category_id", b.label() + 1);
                a.putArray("bbox").add(b.x1()).add(b.y1()).add(b.x2() - b.x1()).add(b.y2() - b.y1());
            }
        }
        store.writeString(Uris.resolve(labels, batchName + ".json"), root.toString());
    }

    private static String perSampleFile(LabelFormat format, ClassList classes, String id, SampleLabel label) {
        StringBuilder text = new StringBuilder();
        for (Box b : boxesOf(label)) {
            if (format == LabelFormat.Kitti) {
                text.append(String.format(Locale.ROOT, "%s 0.00 0 0.00 %.2f %.2f %.2f %.2f 0.00 0.00 0.00 0.00 0.00 0.00 0.00%n",
                        classes.name(b.label()).replace(' ', '_'), b.x1(), b.y1(), b.x2(), b.y2()));
            } else {
                text.append(String.format(Locale.ROOT, "%d %.6f %.6f %.6f %.6f%n", b.label(),
                        (b.x1() + b.x2()) / 2, (b.y1() + b.y2()) / 2, b.x2() - b.x1(), b.y2() - b.y1()));
            }
        }
        return text.toString();
    }

    private static java.util.List<Box> boxesOf(SampleLabel label) {
        return label.boxes();
    }
}
