package dev.winnow.sampling.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.winnow.sampling.SamplingException;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * detections.jsonl: one image a line, {"id", "boxes": [{"label", "score", "probs"?, "bbox"}]}
 * with optional "width"/"height". Ids come from ids.txt when the directory has one (images
 * absent from the file have no boxes), otherwise from the file's own order.
 */
public final class DetectionsJsonl {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DetectionsJsonl() {
    }

    /** Parsed lines in file order, id to (boxes). */
    record Image(List<Box> boxes) {
    }

    static Map<String, Image> read(Path file, String name) {
        Map<String, Image> images = new LinkedHashMap<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int n = 0;
            while ((line = in.readLine()) != null) {
                n++;
                if (line.isBlank()) {
                    continue;
                }
                String at = name + " line " + n;
                JsonNode node;
                try {
                    node = JSON.readTree(line);
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    throw new SamplingException(at + ": not JSON: " + e.getOriginalMessage());
                }
                JsonNode id = node.get("id");
                if (id == null || !id.isTextual() || id.asText().isEmpty()) {
                    throw new SamplingException(at + ": missing \"id\"");
                }
                List<Box> boxes = new ArrayList<>();
                JsonNode arr = node.path("boxes");
                if (!arr.isMissingNode() && !arr.isArray()) {
                    throw new SamplingException(at + ": \"boxes\" must be an array");
                }
                int w = node.path("width").asInt(0);
                int h = node.path("height").asInt(0);
                for (JsonNode b : arr) {
                    boxes.add(box(b, at).sized(w, h));
                }
                if (images.put(id.asText(), new Image(boxes)) != null) {
                    throw new SamplingException(at + ": duplicate id '" + id.asText() + "'");
                }
            }
        } catch (IOException e) {
            throw new SamplingException(name + ": cannot read: " + e.getMessage(), e);
        }
        return images;
    }

    private static Box box(JsonNode b, String at) {
        JsonNode score = b.get("score");
        if (score == null || !score.isNumber()) {
            throw new SamplingException(at + ": a box has no numeric \"score\"");
        }
        double s = score.asDouble();
        if (!(s >= 0 && s <= 1)) {
            throw new SamplingException(at + ": box score " + s + " is outside [0, 1]");
        }
        float[] probs = null;
        JsonNode p = b.get("probs");
        if (p != null && p.isArray()) {
            probs = new float[p.size()];
            for (int i = 0; i < probs.length; i++) {
                probs[i] = (float) p.get(i).asDouble();
            }
            String bad = Probabilities.check(probs, 0, probs.length);
            if (bad != null) {
                throw new SamplingException(at + ": box probs " + bad);
            }
        }
        double[] bbox = new double[4];
        JsonNode bb = b.get("bbox");
        if (bb != null && bb.isArray() && bb.size() == 4) {
            for (int i = 0; i < 4; i++) {
                bbox[i] = bb.get(i).asDouble();
            }
        } else if (bb != null) {
            throw new SamplingException(at + ": \"bbox\" must be [x_min, y_min, x_max, y_max]");
        }
        return new Box(b.path("label").asText(""), s, probs, bbox, 0, 0);
    }
}
