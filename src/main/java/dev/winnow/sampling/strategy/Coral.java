package dev.winnow.sampling.strategy;

import java.util.ArrayList;
import java.util.List;

/**
 * CORAL-style hybrid (Lightly's coreset plus active-learning scores): k-center greedy on the
 * embeddings where each pick maximises diversity + weight x uncertainty. Diversity is the
 * distance to the nearest centre divided by the largest such distance this step (so in
 * [0, 1]); uncertainty is the mean of the chosen measures, each scaled to [0, 1] by its
 * maximum for C classes (the "sum of scores", normalised so the weight means the same for any
 * number of measures). Excluded rows are the initial centres.
 * Params: {@code weight} (default 1), {@code measures} (comma list, default
 * least-confidence,margin,entropy). Score: the combined value at the time of the pick.
 * On detections, each measure is the image's per-box uncertainty aggregated as {@link UncertaintyScores}
 * says ({@code aggregation}, {@code empty-score}), scaled by its largest value in the pool.
 */
final class Coral implements Strategy {
    private final double weight;
    private final List<Uncertainty> measures = new ArrayList<>();

    Coral(Params params) {
        params.only("weight", "measures", UncertaintyScores.PARAMS[0], UncertaintyScores.PARAMS[1]);
        weight = params.number("weight", 1, 0, 1e9);
        for (String m : params.string("measures", "least-confidence,margin,entropy").split(",")) {
            try {
                measures.add(Uncertainty.of(m.strip()));
            } catch (IllegalArgumentException e) {
                throw new dev.winnow.sampling.SamplingException("--param measures=" + m
                        + ": unknown measure (least-confidence, margin, ratio, entropy)");
            }
        }
    }

    @Override
    public String name() {
        return "coral";
    }

    @Override
    public Ranking select(Pool pool, int k) {
        boolean detections = !pool.hasProbs() && pool.hasDetections();
        double[] u = new double[pool.size()];
        for (Uncertainty m : measures) {
            double[] s = UncertaintyScores.of(pool, m);
            // a measure's maximum for C classes bounds one distribution; a sum over boxes has none, so take the pool's
            double max = detections ? java.util.Arrays.stream(s).max().orElse(1) : m.max(pool.probs().cols());
            max = max > 0 ? max : 1;
            for (int i = 0; i < u.length; i++) {
                u[i] += s[i] / max / measures.size();
            }
        }
        TieBreak tie = pool.tieBreak();
        int[] rows = new int[k];
        double[] scores = new double[k];
        try (KCenter kc = new KCenter(pool.embeddings(), pool.excluded())) {
            kc.seed(Coreset.rows(pool.excluded()));
            for (int i = 0; i < k; i++) {
                float far = kc.distance2(kc.farthest(tie));
                double scale = Float.isFinite(far) && far > 0 ? Math.sqrt(far) : 0;
                int r = kc.argmax(j -> value(kc.distance2(j), scale, u[j]), tie);
                rows[i] = r;
                scores[i] = value(kc.distance2(r), scale, u[r]);
                kc.add(r);
            }
        }
        return new Ranking(rows, scores);
    }

    private double value(float d2, double scale, double uncertainty) {
        double diversity = scale > 0 ? Math.sqrt(d2) / scale : 1;
        return diversity + weight * uncertainty;
    }
}
