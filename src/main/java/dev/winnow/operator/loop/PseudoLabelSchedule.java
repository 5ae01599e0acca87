package dev.winnow.operator.loop;

import dev.winnow.api.v1alpha1.PseudoLabelsSpec;
import dev.winnow.api.v1alpha1.TrainingRunSpec;

import java.util.OptionalDouble;

/**
 * CEAL's threshold schedule (Wang et al., 2016), δ_t = δ_0 − dr·t, on the top-class probability: round 1 has no
 * predictions to take pseudo-labels from, so t counts from round 2 (which gets δ_0). The threshold stops at
 * {@link PseudoLabelsSpec#FLOOR}, or where it started when that is lower, so it never admits a prediction whose
 * top class is not a majority unless the user asked for that from the start.
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
        double start = spec.effectiveThreshold();
        double floor = Math.min(start, PseudoLabelsSpec.FLOOR);
        double delta = Math.max(floor, start - spec.effectiveDecay() * (round - FIRST_ROUND));
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
