package dev.winnow.sampling.strategy;

/**
 * BALD on MC-dropout samples: mutual information between prediction and model,
 * H(mean_t p_t) - mean_t H(p_t), in nats. High when the dropout samples disagree confidently.
 */
final class Bald implements Strategy {
    Bald(Params params) {
        params.only();
    }

    @Override
    public String name() {
        return "bald";
    }

    static double score(float[][] a, int off, int n) {
        int t = a.length;
        double meanEntropy = 0;
        double entropyOfMean = 0;
        for (int c = 0; c < n; c++) {
            double mean = 0;
            for (int s = 0; s < t; s++) {
                double p = a[s][off + c];
                mean += p;
                if (p > 0) {
                    meanEntropy -= p * Math.log(p);
                }
            }
            mean /= t;
            if (mean > 0) {
                entropyOfMean -= mean * Math.log(mean);
            }
        }
        return Math.max(0, entropyOfMean - meanEntropy / t);
    }

    @Override
    public Ranking select(Pool pool, int k) {
        return TopK.select(Scan.mc(pool.mcProbs(), Bald::score), pool.excluded(), k, pool.tieBreak());
    }
}
