package dev.winnow.sampling.output;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.winnow.sampling.SelectionResult;
import dev.winnow.sampling.Selected;
import dev.winnow.sampling.io.Box;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A Label Studio task import (a JSON array of tasks). Each task's data holds the image (its URI
 * in the pool's manifest, else {@code imageRoot + id}) and Winnow's id, rank and score; its prediction is the model's
 * output as a pre-annotation: the arg-max class as a "choices" result for classification, or
 * "rectanglelabels" results (percent coordinates) for boxes of images whose size is known.
 * {@code model_version} names the model (the TrainingRun) so annotators and Label Studio's
 * prediction filters can tell rounds apart. Winnow's id goes in {@code data.winnow_id}, which
 * Label Studio keeps in every export: the label readers map annotations back through it.
 * The labeling config is expected to name its controls "label" and "image". Written with the
 * streaming generator: jackson-databind's classes alone take longer to load than a
 * 1,000-task file takes to write.
 */
public final class LabelStudioTasks {
    private static final JsonFactory JSON = new JsonFactory();

    private LabelStudioTasks() {
    }

    public static void write(SelectionResult r, Path file) throws IOException {
        write(r, file, "winnow-" + r.strategy());
    }

    public static void write(SelectionResult r, Path file, String modelVersion) throws IOException {
        try (JsonGenerator g = JSON.createGenerator(file.toFile(), JsonEncoding.UTF8)) {
            g.useDefaultPrettyPrinter();
            g.writeStartArray();
            for (Selected s : r.selected()) {
                g.writeStartObject();
                g.writeObjectFieldStart("data");
                g.writeStringField("image", r.image(s.id()));
                g.writeStringField("winnow_id", s.id());
                g.writeNumberField("winnow_rank", s.rank());
                g.writeNumberField("winnow_score", s.score());
                g.writeStringField("winnow_strategy", r.strategy());
                if (r.tag() != null) {
                    g.writeStringField("winnow_tag", r.tag());
                }
                g.writeEndObject();
                if (s.probs() != null) {
                    classification(g, s, r, modelVersion);
                } else if (s.boxes() != null && !s.boxes().isEmpty()) {
                    boxes(g, s.boxes(), r, modelVersion);
                }
                g.writeEndObject();
            }
            g.writeEndArray();
        }
    }

    static int argMax(float[] p) {
        int best = 0;
        for (int i = 1; i < p.length; i++) {
            if (p[i] > p[best]) {
                best = i;
            }
        }
        return best;
    }

    static String className(List<String> classes, int i) {
        return i < classes.size() ? classes.get(i) : Integer.toString(i);
    }

    private static void classification(JsonGenerator g, Selected s, SelectionResult r, String modelVersion) throws IOException {
        float[] p = s.probs();
        int best = argMax(p);
        g.writeArrayFieldStart("predictions");
        g.writeStartObject();
        g.writeStringField("model_version", modelVersion);
        g.writeNumberField("score", p[best]);
        g.writeArrayFieldStart("result");
        g.writeStartObject();
        g.writeStringField("from_name", "label");
        g.writeStringField("to_name", "image");
        g.writeStringField("type", "choices");
        g.writeObjectFieldStart("value");
        g.writeArrayFieldStart("choices");
        g.writeString(className(r.classes(), best));
        g.writeEndArray();
        g.writeEndObject();
        g.writeEndObject();
        g.writeEndArray();
        g.writeEndObject();
        g.writeEndArray();
    }

    private static void boxes(JsonGenerator g, List<Box> boxes, SelectionResult r, String modelVersion) throws IOException {
        g.writeArrayFieldStart("predictions");
        g.writeStartObject();
        g.writeStringField("model_version", modelVersion);
        g.writeArrayFieldStart("result");
        // Label Studio wants percentages of the image size; without the size, COCO/KITTI carry the boxes
        for (Box b : boxes) {
            int w = b.imageWidth();
            int h = b.imageHeight();
            if (w <= 0 || h <= 0) {
                continue;
            }
            double[] bb = b.bbox();
            g.writeStartObject();
            g.writeStringField("from_name", "label");
            g.writeStringField("to_name", "image");
            g.writeStringField("type", "rectanglelabels");
            g.writeNumberField("original_width", w);
            g.writeNumberField("original_height", h);
            g.writeNumberField("score", b.score());
            g.writeObjectFieldStart("value");
            g.writeNumberField("x", 100.0 * bb[0] / w);
            g.writeNumberField("y", 100.0 * bb[1] / h);
            g.writeNumberField("width", 100.0 * (bb[2] - bb[0]) / w);
            g.writeNumberField("height", 100.0 * (bb[3] - bb[1]) / h);
            g.writeNumberField("rotation", 0);
            g.writeArrayFieldStart("rectanglelabels");
            g.writeString(b.label());
            g.writeEndArray();
            g.writeEndObject();
            g.writeEndObject();
        }
        g.writeEndArray();
        double mean = 0;
        for (Box b : boxes) {
            mean += b.score() / boxes.size();
        }
        g.writeNumberField("score", mean);
        g.writeEndObject();
        g.writeEndArray();
    }
}
