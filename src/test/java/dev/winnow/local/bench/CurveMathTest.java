package dev.winnow.local.bench;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The report's figures, computed by hand. */
class CurveMathTest {
    static List<CurveMath.Point> curve(long[] labeled, double[] metric) {
        return java.util.stream.IntStream.range(0, labeled.length)
                .mapToObj(i -> new CurveMath.Point(labeled[i], metric[i])).toList();
    }

    @Test
    void aubcIsTheTrapezoidAreaOverTheLabeledRange() {
        // (100..200: (0.5+0.7)/2*100 = 60) + (200..400: (0.7+0.8)/2*200 = 150) = 210, over 300 labels = 0.7
        assertEquals(0.7, CurveMath.aubc(curve(new long[] {100, 200, 400}, new double[] {0.5, 0.7, 0.8})), 1e-12);
        // a flat curve's area is its height, whatever the spacing
        assertEquals(0.6, CurveMath.aubc(curve(new long[] {100, 150, 800}, new double[] {0.6, 0.6, 0.6})), 1e-12);
        assertEquals(0.42, CurveMath.aubc(curve(new long[] {100}, new double[] {0.42})), "one round: its metric");
    }

    @Test
    void aubcRefusesCurvesItCannotMeasure() {
        assertThrows(IllegalArgumentException.class, () -> CurveMath.aubc(List.of()));
        assertThrows(IllegalArgumentException.class,
                () -> CurveMath.aubc(curve(new long[] {200, 100}, new double[] {0.5, 0.6})));
    }

    @Test
    void meanAndSampleStandardDeviation() {
        // mean 0.8; squares 0.0004 + 0 + 0.0004 = 0.0008, over n-1 = 2: 0.0004, sd 0.02
        double[] v = {0.78, 0.80, 0.82};
        assertEquals(0.8, CurveMath.mean(v), 1e-12);
        assertEquals(0.02, CurveMath.sd(v), 1e-12);
        assertTrue(Double.isNaN(CurveMath.sd(new double[] {0.8})), "one seed has no spread");
        assertTrue(Double.isNaN(CurveMath.mean(new double[0])));
    }

    @Test
    void labelsToReachIsTheFirstRoundAtOrAboveTheTarget() {
        var c = curve(new long[] {100, 200, 300, 400}, new double[] {0.6, 0.8, 0.75, 0.9});
        assertEquals(OptionalLong.of(200), CurveMath.labelsToReach(c, 0.8), "reaching it exactly counts");
        assertEquals(OptionalLong.of(400), CurveMath.labelsToReach(c, 0.85));
        assertEquals(OptionalLong.empty(), CurveMath.labelsToReach(c, 0.95));
    }
}
