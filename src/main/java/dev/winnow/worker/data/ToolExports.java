package dev.winnow.worker.data;

import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.winnow.worker.io.JsonLines;

/**
 * Labels written the way the labeling tools export them, so a simulated oracle can fill a
 * {@code LabelStudio} or {@code Cvat} label store that {@link LabelStudioLabels} and
 * {@link CvatLabels} read back.
 */
final class ToolExports {

    private ToolExports() {
    }

    /**
     * A Label Studio JSON export: one task per sample with its id in {@code data.winnow_id} and one
     * annotation. Boxes are refused: Label Studio's percent coordinates need each image's size,
     * which a label store does not know.
     */
    static String labelStudio(ClassList classes, Map<String, SampleLabel> samples) {
        String now = Instant.now().toString();
        ArrayNode tasks = JsonLines.JSON.createArrayNode();
        samples.forEach((id, label) -> {
            if (!label.hasClass()) {
                throw new IllegalArgumentException("LabelStudio labels for detection come from Label Studio itself:"
                        + " its percent coordinates need each image's size (sample '" + id + "')");
            }
            ObjectNode task = tasks.addObject();
            task.putObject("data").put(LabelStudioLabels.ID_KEY, id);
            ObjectNode annotation = task.putArray("annotations").addObject();
            annotation.put("was_cancelled", false).put("created_at", now).put("updated_at", now);
            ObjectNode choice = annotation.putArray("result").addObject()
                    .put("from_name", "label").put("to_name", "image").put("type", "choices");
            choice.putObject("value").putArray("choices").add(classes.name(label.label()));
        });
        return tasks.toPrettyString();
    }

    /** A CVAT for images 1.1 export: an image per sample named by its id, with a tag or its boxes. */
    static String cvat(ClassList classes, Map<String, SampleLabel> samples) {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<annotations>\n  <version>1.1</version>\n");
        int imageId = 0;
        for (Map.Entry<String, SampleLabel> e : samples.entrySet()) {
            SampleLabel label = e.getValue();
            xml.append("  <image id=\"").append(imageId++).append("\" name=\"").append(escape(e.getKey())).append("\">\n");
            if (label.hasClass()) {
                xml.append("    <tag label=\"").append(escape(classes.name(label.label()))).append("\" source=\"manual\"/>\n");
            } else if (label.boxes().isEmpty()) {
                xml.append("    <tag label=\"empty\" source=\"manual\"/>\n");
            }
            for (Box b : label.boxes()) {
                xml.append(String.format(java.util.Locale.ROOT,
                        "    <box label=\"%s\" occluded=\"0\" source=\"manual\" xtl=\"%.2f\" ytl=\"%.2f\" xbr=\"%.2f\" ybr=\"%.2f\" z_order=\"0\"/>%n",
                        escape(classes.name(b.label())), b.x1(), b.y1(), b.x2(), b.y2()));
            }
            xml.append("  </image>\n");
        }
        return xml.append("</annotations>\n").toString();
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
