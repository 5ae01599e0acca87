package dev.winnow.sampling.strategy;

/**
 * least-confidence, margin, ratio, entropy: the most uncertain samples first. Works on class
 * probabilities, or on detections per {@link UncertaintyScores}.
 */
final class UncertaintyStrategy implements Strategy {
    private final Uncertainty measure;

    UncertaintyStrategy(Uncertainty measure, Params params) {
        this.measure = measure;
        params.only(UncertaintyScores.PARAMS);
    }

    @Override
    public String name() {
        return measure.id();
    }

    @Override
    public Ranking select(Pool pool, int k) {
        return TopK.select(UncertaintyScores.of(pool, measure), pool.excluded(), k, pool.tieBreak());
    }
}
