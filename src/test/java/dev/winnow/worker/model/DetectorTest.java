package dev.winnow.worker.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import dev.winnow.worker.data.Box;
import dev.winnow.worker.data.ImageShape;

/** The reference detector on images it can learn in seconds: bright squares (class 0) and wide bars (class 1). */
class DetectorTest {

    static final ImageShape SHAPE = new ImageShape(1, 32, 32);

    @Test
    void lossFallsFindsTheObjectsAndSurvivesASaveAndLoad() throws Exception {
        Random random = new Random(1);
        int n = 24;
        float[] pixels = new float[n * SHAPE.size()];
        List<List<Box>> boxes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int label = i % 2;
            int w = label == 0 ? 8 : 16;
            int h = label == 0 ? 8 : 4;
            int x = random.nextInt(32 - w);
            int y = random.nextInt(32 - h);
            for (int dy = 0; dy < h; dy++) {
                for (int dx = 0; dx < w; dx++) {
                    pixels[i * SHAPE.size() + (y + dy) * 32 + x + dx] = 1;
                }
            }
            boxes.add(List.of(new Box(label, x, y, x + w, y + h)));
        }
        try (Detector detector = new Detector(SHAPE, 2, 3)) {
            List<Double> losses = detector.fit(pixels, boxes, new Detector.Options(40, 8, 3e-3f, 3));
            assertTrue(losses.get(losses.size() - 1) < losses.get(0) / 3, "loss falls: " + losses);

            Detector.Prediction p = detector.predict(pixels, n, 0.05, 5);
            int hits = 0;
            for (int i = 0; i < n; i++) {
                List<Detection> found = p.detections().get(i);
                if (!found.isEmpty() && found.get(0).label() == boxes.get(i).get(0).label()
                        && AveragePrecision.iou(found.get(0), boxes.get(i).get(0)) >= 0.5) {
                    hits++;
                }
                for (Detection d : found) {
                    assertEquals(1.0, d.probs()[0] + d.probs()[1], 1e-5, "a distribution per box");
                }
            }
            assertTrue(hits >= n * 3 / 4, "the best box is right on " + hits + " of " + n);
            assertEquals(n * DetectorNetwork.WIDTH, p.embeddings().length);

            ByteArrayOutputStream saved = new ByteArrayOutputStream();
            detector.save(saved);
            try (Detector loaded = new Detector(SHAPE, 2, 9)) {
                loaded.load(new ByteArrayInputStream(saved.toByteArray()));
                Detection before = p.detections().get(0).get(0);
                Detection after = loaded.predict(pixels, n, 0.05, 5).detections().get(0).get(0);
                assertEquals(before.score(), after.score(), 1e-5);
                assertEquals(before.x1(), after.x1(), 1e-4);
            }
        }
    }
}
