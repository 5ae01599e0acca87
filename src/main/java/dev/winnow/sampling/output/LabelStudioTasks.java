package dev.winnow.sampling.output;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.winnow.sampling.SelectionResult;
import dev.winnow.sampling.Selected;
import dev.winnow.sampling.io.Box;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A Label Studio task import (a JSON array of tasks). Each task's data holds the image
 * ({@code imageRoot + id}) and Winnow's id, rank and score; its prediction is the model's
 * output as a pre-annotation: the arg-max class as a "choices" result for classification, or
 * "rectanglelabels" results (percent coordinates) for boxes of images whose size is known.
 * The labeling config is expected to name its controls "label" and "image".
 */
public final class LabelStudioTasks {
    private static final ObjectMapper JSON = new ObjectMapper();

    private LabelStudioTasks() {
    }

    public static void write(SelectionResult r, Path file) throws IOException {
        ArrayNode tasks = JSON.createArrayNode();
        for (Selected s : r.selected()) {
            ObjectNode task = tasks.addObject();
            ObjectNode data = task.putObject("data");
            data.put("image", r.imageRoot() + s.id());
            data.put("winnow_id", s.id());
            data.put("winnow_rank", s.rank());
            data.put("winnow_score", s.score());
            data.put("winnow_strategy", r.strategy());
            if (r.tag() != null) {
                data.put("winnow_tag", r.tag());
            }
            if (s.probs() != null) {
                classification(task, s, r);
            } else if (s.boxes() != null && !s.boxes().isEmpty()) {
                boxes(task, s.boxes(), r);
            }
        }
        JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), tasks);
    }

    static String className(List<String> classes, int i) {
        return i < classes.size() ? classes.get(i) : Integer.toString(i);
    }

    private static void classification(ObjectNode task, Selected s, SelectionResult r) {
        float[] p = s.probs();
        int best = 0;
        for (int i = 1; i < p.length; i++) {
            if (p[i] > p[best]) {
                best = i;
            }
        }
        ObjectNode pred = task.putArray("predictions").addObject();
        pred.put("model_version", "winnow-" + r.strategy());
        pred.put("score", p[best]);
        ObjectNode res = pred.putArray("result").addObject();
        res.put("from_name", "label");
        res.put("to_name", "image");
        res.put("type", "choices");
        res.putObject("value").putArray("choices").add(className(r.classes(), best));
    }

    private static void boxes(ObjectNode task, List<Box> boxes, SelectionResult r) {
        ObjectNode pred = task.putArray("predictions").addObject();
        pred.put("model_version", "winnow-" + r.strategy());
        ArrayNode results = pred.putArray("result");
        double mean = 0;
        for (Box b : boxes) {
            mean += b.score() / boxes.size();
        }
        pred.put("score", mean);
        // Label Studio wants percentages of the image size; without the size, COCO/KITTI carry the boxes
        for (Box b : boxes) {
            int w = b.imageWidth();
            int h = b.imageHeight();
            if (w <= 0 || h <= 0) {
                continue;
            }
            double[] bb = b.bbox();
            ObjectNode res = results.addObject();
            res.put("from_name", "label");
            res.put("to_name", "image");
            res.put("type", "rectanglelabels");
            res.put("original_width", w);
            res.put("original_height", h);
            res.put("score", b.score());
            ObjectNode v = res.putObject("value");
            v.put("x", 100.0 * bb[0] / w);
            v.put("y", 100.0 * bb[1] / h);
            v.put("width", 100.0 * (bb[2] - bb[0]) / w);
            v.put("height", 100.0 * (bb[3] - bb[1]) / h);
            v.put("rotation", 0);
            v.putArray("rectanglelabels").add(b.label());
        }
    }
}
