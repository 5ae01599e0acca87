package dev.winnow.sampling.strategy;

import java.util.BitSet;
import java.util.SplittableRandom;

/**
 * Uncertainty with exploration: each of the k picks is, with probability p, the most uncertain
 * sample not yet chosen, otherwise a uniformly random one (epsilon-greedy with epsilon = 1 - p).
 * Params: {@code p} (default 0.9), {@code measure} (default margin), plus the detection ones.
 * Scores are the measure's uncertainty; rank is the order of the picks.
 */
final class UncertaintyMix implements Strategy {
    private final double p;
    private final Uncertainty measure;

    UncertaintyMix(Params params) {
        String[] keys = {"p", "measure", UncertaintyScores.PARAMS[0], UncertaintyScores.PARAMS[1]};
        params.only(keys);
        p = params.number("p", 0.9, 0, 1);
        measure = Uncertainty.of(params.string("measure", "margin", "least-confidence", "margin", "ratio", "entropy"));
    }

    @Override
    public String name() {
        return "uncertainty-mix";
    }

    @Override
    public Ranking select(Pool pool, int k) {
        double[] u = UncertaintyScores.of(pool, measure);
        // the k most uncertain are all a run of k uncertainty picks can reach
        Ranking best = TopK.select(u, pool.excluded(), k, pool.tieBreak());
        int[] free = new int[pool.candidates()];
        BitSet ex = pool.excluded();
        int m = 0;
        for (int r = ex.nextClearBit(0); r < u.length; r = ex.nextClearBit(r + 1)) {
            free[m++] = r;
        }
        SplittableRandom rng = new SplittableRandom(pool.seed());
        BitSet chosen = new BitSet(u.length);
        int[] rows = new int[k];
        double[] scores = new double[k];
        int next = 0;
        int left = m;
        for (int i = 0; i < k; i++) {
            int row;
            if (rng.nextDouble() < p) {
                while (chosen.get(best.rows()[next])) {
                    next++;
                }
                row = best.rows()[next];
            } else {
                // partial Fisher-Yates over the unchosen candidates
                do {
                    int j = rng.nextInt(left);
                    row = free[j];
                    free[j] = free[--left];
                    free[left] = row;
                } while (chosen.get(row));
            }
            chosen.set(row);
            rows[i] = row;
            scores[i] = u[row];
        }
        return new Ranking(rows, scores);
    }
}
