package dev.winnow.operator.loop;

import dev.winnow.api.v1alpha1.PseudoLabelsSpec;
import dev.winnow.api.v1alpha1.TrainingRunSpec;

import java.util.OptionalDouble;

/**
 * CEAL's threshold schedule (Wang et al., 2016). CEAL bounds a prediction's entropy by δ_t = δ_0 − dr·t, so the bound
 * tightens as the model improves; Winnow bounds the top-class probability from below, so the same schedule is a
 * threshold that rises by the decay each round, up to 1. Round 1 has no predictions to take pseudo-labels from, so
 * t counts from round 2 (which gets the threshold as given).
 */
public final class PseudoLabelSchedule {
    /** The first round with a previous round's predictions. */
    public static final int FIRST_ROUND = 2;

    private PseudoLabelSchedule() {
    }

    /** δ of round {@code round}, rounded to 4 decimals (what the step's variable shows); empty when off or too early. */
    public static OptionalDouble threshold(PseudoLabelsSpec spec, int round) {
        if (spec == null || round < FIRST_ROUND) {
            return OptionalDouble.empty();
        }
        double delta = Math.min(1, spec.effectiveThreshold() + spec.effectiveDecay() * (round - FIRST_ROUND));
        return OptionalDouble.of(Math.round(delta * 1e4) / 1e4);
    }

    /** The pseudo-labels a round's TrainingRun gets: the previous round's predictions at this round's δ, or null. */
    static TrainingRunSpec.PseudoLabels of(PseudoLabelsSpec spec, int round, String previousPredictions) {
        OptionalDouble delta = threshold(spec, round);
        if (delta.isEmpty() || previousPredictions == null) {
            return null;
        }
        var p = new TrainingRunSpec.PseudoLabels();
        p.predictions = previousPredictions;
        p.threshold = delta.getAsDouble();
        return p;
    }
}
