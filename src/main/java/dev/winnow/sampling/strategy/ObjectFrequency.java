package dev.winnow.sampling.strategy;

import dev.winnow.sampling.io.Box;
import dev.winnow.sampling.io.Detections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Object-frequency for detection: count the confident detections (score at least
 * {@code min-score}, default 0.5) of each class over the whole pool, then score an image by
 * the sum over its confident boxes of 1 / (count of that class). Images with many objects of
 * rare classes come first, which evens out the class balance of the labeled set. An image
 * with no confident box scores 0 and comes last.
 */
final class ObjectFrequency implements Strategy {
    private final double minScore;

    ObjectFrequency(Params params) {
        params.only("min-score");
        minScore = params.number("min-score", 0.5, 0, 1);
    }

    @Override
    public String name() {
        return "object-frequency";
    }

    @Override
    public Ranking select(Pool pool, int k) {
        Detections d = pool.detections();
        int n = pool.size();
        Map<String, Integer> count = new HashMap<>();
        for (int r = 0; r < n; r++) {
            for (Box b : d.of(r)) {
                if (b.score() >= minScore) {
                    count.merge(b.label(), 1, Integer::sum);
                }
            }
        }
        double[] s = new double[n];
        for (int r = 0; r < n; r++) {
            List<Box> boxes = d.of(r);
            for (Box b : boxes) {
                if (b.score() >= minScore) {
                    s[r] += 1.0 / count.get(b.label());
                }
            }
        }
        return TopK.select(s, pool.excluded(), k, pool.tieBreak());
    }
}
