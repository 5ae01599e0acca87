package dev.winnow.operator.loop;

import dev.winnow.api.v1alpha1.PseudoLabelsSpec;
import org.junit.jupiter.api.Test;

import java.util.OptionalDouble;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** CEAL's tightening bound per round, from round 2 (the first with predictions): the top-class threshold rises to 1. */
class PseudoLabelScheduleTest {

    private static PseudoLabelsSpec spec(Double threshold, Double decay) {
        var s = new PseudoLabelsSpec();
        s.threshold = threshold;
        s.decay = decay;
        return s;
    }

    @Test
    void offOrRoundOneHasNoThreshold() {
        assertEquals(OptionalDouble.empty(), PseudoLabelSchedule.threshold(null, 3));
        assertEquals(OptionalDouble.empty(), PseudoLabelSchedule.threshold(spec(0.95, 0.0), 1));
        assertEquals(OptionalDouble.empty(), PseudoLabelSchedule.threshold(spec(0.95, 0.0), 0));
    }

    @Test
    void theThresholdStartsAsGivenInRoundTwoAndRisesByTheDecayEachRound() {
        var s = spec(0.8, 0.05);
        assertEquals(0.8, PseudoLabelSchedule.threshold(s, 2).getAsDouble());
        assertEquals(0.85, PseudoLabelSchedule.threshold(s, 3).getAsDouble());
        assertEquals(0.9, PseudoLabelSchedule.threshold(s, 4).getAsDouble());
        // the defaults: 0.95 and CEAL's 0.0033
        assertEquals(0.95, PseudoLabelSchedule.threshold(spec(null, null), 2).getAsDouble());
        assertEquals(0.9533, PseudoLabelSchedule.threshold(spec(null, null), 3).getAsDouble());
        assertEquals(0.95, PseudoLabelSchedule.threshold(spec(0.95, 0.0), 40).getAsDouble(), "no decay: fixed");
    }

    @Test
    void itStopsAtOne() {
        assertEquals(1.0, PseudoLabelSchedule.threshold(spec(0.95, 0.1), 3).getAsDouble(), "0.95 + 0.1 stops at 1");
        assertEquals(1.0, PseudoLabelSchedule.threshold(spec(0.95, 0.1), 100).getAsDouble());
    }

    @Test
    void aRoundGetsThePreviousPredictionsOnlyWhenThereAreSome() {
        var s = spec(0.95, 0.05);
        assertNull(PseudoLabelSchedule.of(s, 1, "s3://b/runs/x-r0/predictions/u/"));
        assertNull(PseudoLabelSchedule.of(s, 2, null));
        assertNull(PseudoLabelSchedule.of(null, 2, "s3://b/p/"));
        var p = PseudoLabelSchedule.of(s, 3, "s3://b/runs/x-r2/predictions/u/");
        assertEquals("s3://b/runs/x-r2/predictions/u/", p.predictions);
        assertEquals(1.0, p.threshold);
        assertEquals(0.85, PseudoLabelSchedule.of(spec(0.8, 0.05), 3, "s3://b/p/").threshold);
    }
}
