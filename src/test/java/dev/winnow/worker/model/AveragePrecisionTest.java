package dev.winnow.worker.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.winnow.worker.data.Box;

/** mAP@0.5 with VOC's all-point interpolation, on boxes whose precision-recall curve is worked out by hand. */
class AveragePrecisionTest {

    static Detection det(int label, double score, double x1, double y1, double x2, double y2) {
        return new Detection(label, score, new float[] {1, 0, 0}, x1, y1, x2, y2);
    }

    @Test
    void matchesGreedilyByScoreAndIntegratesTheMonotonePrecisionEnvelope() {
        List<List<Box>> truth = List.of(
                List.of(new Box(0, 0, 0, 10, 10), new Box(0, 20, 20, 30, 30)),
                List.of(new Box(0, 50, 50, 60, 60), new Box(1, 0, 0, 10, 10)));
        List<List<Detection>> found = List.of(
                List.of(det(0, 0.9, 0, 0, 10, 10),        // TP: A           P 1/1  R 1/3
                        det(0, 0.7, 20, 20, 30, 30),      // TP: B           P 2/3  R 2/3
                        det(0, 0.6, 0, 0, 10, 10),        // FP: A is taken  P 2/4  R 2/3
                        det(2, 0.5, 0, 0, 10, 10)),       // a class without ground truth: no AP, not in the mean
                List.of(det(0, 0.8, 70, 70, 80, 80),      // FP: no overlap  P 1/2  R 1/3
                        det(1, 0.4, 0, 0, 10, 20)));      // TP at IoU 100/200 = 0.5 exactly
        AveragePrecision.Result r = AveragePrecision.of(found, truth, 3, 0.5);
        // class 0: recall 1/3 at envelope precision 1, then 1/3 more at 2/3; C is never found
        assertEquals(1.0 / 3 + (1.0 / 3) * (2.0 / 3), r.perClass()[0], 1e-9);
        assertEquals(1.0, r.perClass()[1], 1e-9);
        assertTrue(Double.isNaN(r.perClass()[2]));
        assertEquals((5.0 / 9 + 1) / 2, r.map(), 1e-9);
    }

    @Test
    void aBoxJustUnderTheThresholdIsAFalsePositive() {
        List<List<Box>> truth = List.of(List.of(new Box(0, 0, 0, 10, 10)));
        assertEquals(0.0, AveragePrecision.of(List.of(List.of(det(0, 0.9, 0, 0, 10, 21))), truth, 1, 0.5).map(), 1e-12);
        assertEquals(0.0, AveragePrecision.of(List.of(List.of()), truth, 1, 0.5).map(), 1e-12, "nothing found");
        assertEquals(1.0, AveragePrecision.of(List.of(List.of(det(0, 0.9, 0, 0, 10, 21))), truth, 1, 0.4).map(), 1e-12);
    }
}
