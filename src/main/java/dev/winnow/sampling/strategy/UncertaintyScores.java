package dev.winnow.sampling.strategy;

import dev.winnow.sampling.SamplingException;
import dev.winnow.sampling.io.Box;
import dev.winnow.sampling.io.Detections;
import java.util.List;

/**
 * Uncertainty per pool row from whichever predictions the directory holds: class
 * probabilities (one row per sample), or detections, where each box is scored on its class
 * probabilities when it has them, else on the two-class distribution [score, 1 - score], and
 * the image takes the max, mean or sum of its boxes ({@code --param aggregation=}). An image
 * with no boxes scores {@code --param empty-score=} (default 0: picked last, since a detector
 * that saw nothing gives no box to be unsure about; set 1 to treat empty images as maximally
 * uncertain).
 */
final class UncertaintyScores {
    static final String[] PARAMS = {"aggregation", "empty-score"};

    private UncertaintyScores() {
    }

    static double[] of(Pool pool, Uncertainty measure) {
        if (pool.hasProbs() || !pool.hasDetections()) {
            return Scan.probabilities(pool.probs(), measure::score);
        }
        String agg = pool.params().string("aggregation", "max", "max", "mean", "sum");
        double empty = pool.params().number("empty-score", 0, 0, Double.MAX_VALUE);
        return detections(pool.detections(), measure, agg, empty);
    }

    static double[] detections(Detections d, Uncertainty measure, String agg, double empty) {
        int n = d.boxes().size();
        double[] out = new double[n];
        float[] two = new float[2];
        for (int r = 0; r < n; r++) {
            List<Box> boxes = d.of(r);
            if (boxes.isEmpty()) {
                out[r] = empty;
                continue;
            }
            double max = Double.NEGATIVE_INFINITY;
            double sum = 0;
            for (Box b : boxes) {
                double u;
                if (b.probs() != null) {
                    u = measure.score(b.probs(), 0, b.probs().length);
                } else {
                    two[0] = (float) b.score();
                    two[1] = (float) (1 - b.score());
                    u = measure.score(two, 0, 2);
                }
                max = Math.max(max, u);
                sum += u;
            }
            out[r] = switch (agg) {
                case "max" -> max;
                case "mean" -> sum / boxes.size();
                case "sum" -> sum;
                default -> throw new SamplingException("--param aggregation=" + agg + ": unknown");
            };
        }
        return out;
    }
}
