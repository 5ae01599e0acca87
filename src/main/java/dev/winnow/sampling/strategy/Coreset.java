package dev.winnow.sampling.strategy;

import java.util.BitSet;

/**
 * Core-set selection (Sener and Savarese, 2018) by k-center greedy on the embeddings: the
 * excluded rows are the initial centres, then each pick is the sample farthest (Euclidean)
 * from its nearest centre. Score: that distance at the time of the pick (0 for a first pick
 * with no centre to measure from, which is then a seeded random sample).
 */
final class Coreset implements Strategy {
    Coreset(Params params) {
        params.only();
    }

    @Override
    public String name() {
        return "coreset";
    }

    @Override
    public Ranking select(Pool pool, int k) {
        try (KCenter kc = new KCenter(pool.embeddings(), pool.excluded())) {
            kc.seed(rows(pool.excluded()));
            return greedy(kc, pool, k);
        }
    }

    private static Ranking greedy(KCenter kc, Pool pool, int k) {
        TieBreak tie = pool.tieBreak();
        int[] rows = new int[k];
        double[] scores = new double[k];
        for (int i = 0; i < k; i++) {
            int r = kc.farthest(tie);
            float m = kc.distance2(r);
            rows[i] = r;
            scores[i] = Float.isFinite(m) ? Math.sqrt(m) : 0;
            kc.add(r);
        }
        return new Ranking(rows, scores);
    }

    static int[] rows(BitSet set) {
        return set.stream().toArray();
    }
}
