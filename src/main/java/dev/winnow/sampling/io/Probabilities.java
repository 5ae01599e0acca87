package dev.winnow.sampling.io;

/** The check every probability row passes: finite, non-negative, summing to 1 within 1e-3. */
public final class Probabilities {
    public static final double TOLERANCE = 1e-3;

    private Probabilities() {
    }

    /** Null when the row is a distribution, else what is wrong with it. */
    public static String check(float[] a, int off, int n) {
        double sum = 0;
        for (int i = off; i < off + n; i++) {
            float v = a[i];
            if (!(v >= 0)) {
                return Float.isNaN(v) ? "contains NaN" : "contains a negative value " + v;
            }
            sum += v;
        }
        if (!(Math.abs(sum - 1.0) <= TOLERANCE)) {
            return "sums to " + sum + ", not 1 (tolerance " + TOLERANCE + ")";
        }
        return null;
    }
}
