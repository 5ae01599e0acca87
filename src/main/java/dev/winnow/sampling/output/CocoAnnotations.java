package dev.winnow.sampling.output;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.winnow.sampling.SelectionResult;
import dev.winnow.sampling.Selected;
import dev.winnow.sampling.io.Box;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * COCO pre-annotations for the chosen images: images (id = rank, file_name = sample id),
 * categories (from classes, then any other label seen, ids from 1), and one annotation per
 * predicted box with bbox [x, y, width, height] and the model's score.
 */
public final class CocoAnnotations {
    private static final ObjectMapper JSON = new ObjectMapper();

    private CocoAnnotations() {
    }

    public static void write(SelectionResult r, Path file) throws IOException {
        Map<String, Integer> categories = new LinkedHashMap<>();
        for (String c : r.classes()) {
            categories.putIfAbsent(c, categories.size() + 1);
        }
        ObjectNode root = JSON.createObjectNode();
        ArrayNode images = root.putArray("images");
        ArrayNode annotations = root.putArray("annotations");
        int annId = 1;
        for (Selected s : r.selected()) {
            ObjectNode img = images.addObject();
            img.put("id", s.rank());
            img.put("file_name", s.id());
            if (s.boxes() == null) {
                continue;
            }
            for (Box b : s.boxes()) {
                if (b.imageWidth() > 0 && !img.has("width")) {
                    img.put("width", b.imageWidth());
                    img.put("height", b.imageHeight());
                }
                int cat = categories.computeIfAbsent(b.label(), l -> categories.size() + 1);
                double[] bb = b.bbox();
                double w = bb[2] - bb[0];
                double h = bb[3] - bb[1];
                ObjectNode a = annotations.addObject();
                a.put("id", annId++);
                a.put("image_id", s.rank());
                a.put("category_id", cat);
                a.putArray("bbox").add(bb[0]).add(bb[1]).add(w).add(h);
                a.put("area", w * h);
                a.put("iscrowd", 0);
                a.put("score", b.score());
            }
        }
        ArrayNode cats = root.putArray("categories");
        categories.forEach((name, id) -> cats.addObject().put("id", id).put("name", name));
        JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), root);
    }
}
