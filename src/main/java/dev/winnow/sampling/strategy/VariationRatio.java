package dev.winnow.sampling.strategy;

/**
 * Variation ratio on MC-dropout samples: 1 - (votes for the modal class) / T, where each
 * sample votes for its arg-max class (lowest index on a tie). 0 when all samples agree.
 */
final class VariationRatio implements Strategy {
    VariationRatio(Params params) {
        params.only();
    }

    @Override
    public String name() {
        return "variation-ratio";
    }

    static double score(float[][] a, int off, int n) {
        int[] votes = new int[n];
        int mode = 0;
        for (float[] s : a) {
            int best = 0;
            for (int c = 1; c < n; c++) {
                if (s[off + c] > s[off + best]) {
                    best = c;
                }
            }
            mode = Math.max(mode, ++votes[best]);
        }
        return 1.0 - (double) mode / a.length;
    }

    @Override
    public Ranking select(Pool pool, int k) {
        return TopK.select(Scan.mc(pool.mcProbs(), VariationRatio::score), pool.excluded(), k, pool.tieBreak());
    }
}
