package dev.winnow.sampling.strategy;

/**
 * Uniform sampling without replacement: each row draws a seeded uniform number (its score)
 * and the k largest win. Needs only ids, so it serves the first, model-free round.
 */
final class RandomStrategy implements Strategy {
    RandomStrategy(Params params) {
        params.only();
    }

    @Override
    public String name() {
        return "random";
    }

    @Override
    public Ranking select(Pool pool, int k) {
        TieBreak tie = pool.tieBreak();
        double[] draw = new double[pool.size()];
        for (int r = 0; r < draw.length; r++) {
            draw[r] = tie.uniform(r);
        }
        return TopK.select(draw, pool.excluded(), k, tie);
    }
}
