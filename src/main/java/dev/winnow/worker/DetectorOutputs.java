package dev.winnow.worker;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.winnow.worker.data.ImageShape;
import dev.winnow.worker.data.ImageSource;
import dev.winnow.worker.data.KittiLine;
import dev.winnow.worker.io.JsonLines;
import dev.winnow.worker.io.NpyWriter;
import dev.winnow.worker.model.Detection;
import dev.winnow.worker.model.Detector;

/**
 * What {@code infer} writes for a detection dataset, in the formats the select step reads (DESIGN §4):
 * {@code detections.jsonl}, one image a line, {@code {"id", "width", "height", "boxes": [{"label",
 * "score", "probs", "bbox"}]}} with the box as [left, top, right, bottom] in pixels of the stored image;
 * {@code embeddings.npy} [N, D] (the backbone's global average, for Coreset and ClusterBalanced); and,
 * with {@code kitti} in {@code WINNOW_OUTPUTS}, {@code labels/<id>.txt} as TAO's inference writes
 * KITTI (the confidence as the 16th column). No {@code probs.npy}: the distributions are per box.
 */
final class DetectorOutputs {

    /** Boxes below this score are not written. */
    static final double MIN_SCORE = 0.05;
    static final int MAX_BOXES = 20;
    private static final int BATCH = 64;

    private DetectorOutputs() {
    }

    static List<String> write(Detector detector, ImageSource source, List<String> ids, InferOutputs outputs, Path work,
                              List<String> classes) throws IOException {
        if (outputs.mcSamples() > 0) {
            throw new StepException("the reference detector makes no MC-dropout samples; leave mcDropoutSamples unset");
        }
        int n = ids.size();
        int size = source.shape().size();
        int dim = detector.predict(new float[size], 1, 1, 1).embeddingSize();
        Path labels = work.resolve("labels");
        if (outputs.kitti()) {
            Files.createDirectories(labels);
        }
        List<String> files = new ArrayList<>();
        try (BufferedWriter jsonl = Files.newBufferedWriter(work.resolve("detections.jsonl"), StandardCharsets.UTF_8);
             NpyWriter embeddings = outputs.embeddings() ? new NpyWriter(work.resolve("embeddings.npy"), n, dim) : null) {
            for (int from = 0; from < n; from += BATCH) {
                int b = Math.min(BATCH, n - from);
                float[] pixels = new float[b * size];
                for (int i = 0; i < b; i++) {
                    source.read(ids.get(from + i), pixels, i * size);
                }
                Detector.Prediction p = detector.predict(pixels, b, MIN_SCORE, MAX_BOXES);
                for (int i = 0; i < b; i++) {
                    String id = ids.get(from + i);
                    ImageShape stored = source.storedShape(id);
                    List<Detection> boxes = p.detections().get(i).stream()
                            .map(d -> d.scaled((double) stored.width() / source.shape().width(),
                                    (double) stored.height() / source.shape().height()))
                            .toList();
                    jsonl.write(line(id, stored, boxes, classes, outputs.probabilities()));
                    jsonl.newLine();
                    if (outputs.kitti()) {
                        writeKitti(labels, id, boxes, classes);
                    }
                }
                if (embeddings != null) {
                    embeddings.write(p.embeddings());
                }
            }
        }
        files.add("detections.jsonl");
        if (outputs.embeddings()) {
            files.add("embeddings.npy");
        }
        if (outputs.kitti()) {
            for (String id : ids) {
                files.add("labels/" + id + ".txt");
            }
        }
        return files;
    }

    static String line(String id, ImageShape stored, List<Detection> boxes, List<String> classes, boolean probs) {
        ObjectNode line = JsonLines.JSON.createObjectNode().put("id", id)
                .put("width", stored.width()).put("height", stored.height());
        ArrayNode array = line.putArray("boxes");
        for (Detection d : boxes) {
            ObjectNode box = array.addObject().put("label", classes.get(d.label()))
                    .put("score", Math.round(d.score() * 1e6) / 1e6);
            if (probs) {
                ArrayNode p = box.putArray("probs");
                for (float v : d.probs()) {
                    p.add(Math.round(v * 1e6) / 1e6);
                }
            }
            ArrayNode bbox = box.putArray("bbox");
            for (double v : new double[] {d.x1(), d.y1(), d.x2(), d.y2()}) {
                bbox.add(Math.round(v * 100) / 100.0);
            }
        }
        return line.toString();
    }

    private static void writeKitti(Path labels, String id, List<Detection> boxes, List<String> classes)
            throws IOException {
        Path file = labels.resolve(id + ".txt");
        Files.createDirectories(file.getParent());
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (Detection d : boxes) {
                w.write(KittiLine.withScore(classes.get(d.label()), d.x1(), d.y1(), d.x2(), d.y2(), d.score()));
            }
        }
    }
}
