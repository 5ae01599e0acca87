package dev.winnow.sampling.strategy;

import ai.djl.ndarray.NDArray;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.BitSet;
import java.util.stream.IntStream;

/**
 * ProbCover's purity rule, squared: a ball around x is pure while delta is below x's reach, its
 * distance to the nearest point of another cluster, so the answer is just below the
 * (1 - purity) quantile q of the reaches (as floats from {@link Vectors#dist2}).
 * {@link #products} gets each reach within the products' slack from GEMMs between pairs of
 * clusters (rows sorted by label, so a cluster is a range), skipping pairs of clusters too far
 * apart to matter; the quantile q is then within slack of the approximate one, only the rows whose
 * approximate reach is within twice the slack of it can decide it, and their reaches are recomputed
 * with dist2. {@link #exhaustive} compares every pair.
 */
final class PurityDelta {
    private static final int ROWS = 1024;
    private static final int COLS = 4096;
    /** Rows per thread task when folding a block. */
    private static final int STRIPE = 128;

    private PurityDelta() {
    }

    /** Which sorted reach the rule takes: at most that many balls may be impure. */
    private static int impure(int n, double purity) {
        return (int) Math.min(n - 1, Math.floor((1 - purity) * n));
    }

    static float exhaustive(float[] x, int n, int d, int[] label, double purity) {
        float[] reach = new float[n];
        IntStream.range(0, n).parallel().forEach(i -> {
            float best = Float.POSITIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                if (label[j] != label[i]) {
                    best = Math.min(best, Vectors.dist2(x, i * d, x, j * d, d));
                }
            }
            reach[i] = best;
        });
        Arrays.sort(reach);
        // pure while delta < reach: just below the value, at most `impure` balls are not
        return Math.nextDown(reach[impure(n, purity)]);
    }

    /**
     * The delta, squared, and the rows that may have a point of another cluster within it (the
     * others' balls hold only their own cluster's points; {@link BallGraph#clustered} uses that).
     */
    record Rule(float r2, BitSet exposed) {
    }

    /** The same r2 as {@link #exhaustive}; null when the products cannot be trusted (huge norms). */
    static Rule products(float[] x, int n, int d, int[] label, double purity) {
        int[] order = IntStream.range(0, n).boxed().sorted((a, b) -> Integer.compare(label[a], label[b]))
                .mapToInt(Integer::intValue).toArray();
        float[] xs = new float[n * d];
        int[] ls = new int[n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(x, order[i] * d, xs, i * d, d);
            ls[i] = label[order[i]];
        }
        try (PairDistances p = new PairDistances(xs, n, d)) {
            if (!p.usable()) {
                return null;
            }
            int q = impure(n, purity);
            float[] m = approximate(p, xs, d, ls, n, q);
            float a = select(m, q);
            if (a == Float.POSITIVE_INFINITY) {
                // no more than q rows have a point of another cluster: the reaches from q on are infinite
                return rule(Math.nextDown(a), m, order, p.slack());
            }
            // |m - reach| <= slack row by row, so the exact quantile is within slack of a: rows
            // below the band are below it, rows above are above, the band's exact reaches decide
            double lo = a - 2 * p.slack();
            double hi = a + 2 * p.slack();
            int below = 0;
            int[] band = new int[n];
            int b = 0;
            for (int i = 0; i < n; i++) {
                if (m[i] < lo) {
                    below++;
                } else if (m[i] <= hi) {
                    band[b++] = i;
                }
            }
            float[] exact = exact(p, xs, d, ls, Arrays.copyOf(band, b), m);
            Arrays.sort(exact);
            return rule(Math.nextDown(exact[q - below]), m, order, p.slack());
        }
    }

    /**
     * A cross-cluster edge (i, j) has a product within r2 + slack, and m_i is at most that product
     * (its pair of clusters was compared: the skipped ones are farther than r2), so rows with a
     * larger m have none.
     */
    private static Rule rule(float r2, float[] m, int[] order, double slack) {
        BitSet exposed = new BitSet(m.length);
        for (int i = 0; i < m.length; i++) {
            if (m[i] <= r2 + slack) {
                exposed.set(order[i]);
            }
        }
        return new Rule(r2, exposed);
    }

    private static float select(float[] m, int q) {
        float[] sorted = m.clone();
        Arrays.sort(sorted);
        return sorted[q];
    }

    /**
     * Each sorted row's smallest product with a row of another cluster, or at least an upper bound
     * of it that changes nothing below: the pairs of clusters are compared nearest first, by a lower
     * bound on their points' distances (centres' distance less both radii), and once that bound
     * passes the current quantile (plus the slack both ways) no later pair can lower a value that
     * is at or below the quantile's band, nor lift another into it.
     */
    private static float[] approximate(PairDistances p, float[] xs, int d, int[] ls, int n, int q) {
        Clusters c = new Clusters(xs, d, ls);
        float[] m = new float[n];
        Arrays.fill(m, Float.POSITIVE_INFINITY);
        long[] pairs = c.pairs();
        double[] bound = c.bounds(pairs);
        int every = Math.max(1, pairs.length / 64);
        int checked = -every;
        for (int t = 0; t < pairs.length; t++) {
            if (bound[t] > 0 && t - checked >= every) {
                checked = t;
                if (bound[t] > select(m, q) + 4 * p.slack()) {
                    break;
                }
            }
            int a = (int) (pairs[t] >>> 32);
            int b = (int) pairs[t];
            for (int i0 = c.begin[a]; i0 < c.end[a]; i0 += ROWS) {
                int i1 = Math.min(c.end[a], i0 + ROWS);
                for (int j0 = c.begin[b]; j0 < c.end[b]; j0 += COLS) {
                    int r0 = i0;
                    int c0 = j0;
                    int j1 = Math.min(c.end[b], j0 + COLS);
                    p.block(i0, i1, j0, j1, v -> minima(v, r0, i1, c0, j1, m));
                }
            }
        }
        return m;
    }

    /** Clusters of the label-sorted rows: ranges, centres and radii. */
    private static final class Clusters {
        final int[] begin;
        final int[] end;
        final double[] centre;
        final double[] radius;

        Clusters(float[] xs, int d, int[] ls) {
            int n = ls.length;
            int k = ls[n - 1] + 1;
            begin = new int[k];
            end = new int[k];
            for (int i = n - 1; i >= 0; i--) {
                begin[ls[i]] = i;
            }
            for (int i = 0; i < n; i++) {
                end[ls[i]] = i + 1;
            }
            centre = new double[k * d];
            radius = new double[k];
            for (int c = 0; c < k; c++) {
                for (int i = begin[c]; i < end[c]; i++) {
                    for (int t = 0; t < d; t++) {
                        centre[c * d + t] += xs[i * d + t];
                    }
                }
                for (int t = 0; t < d; t++) {
                    centre[c * d + t] /= Math.max(1, end[c] - begin[c]);
                }
                double[] point = new double[d];
                for (int i = begin[c]; i < end[c]; i++) {
                    for (int t = 0; t < d; t++) {
                        point[t] = xs[i * d + t];
                    }
                    radius[c] = Math.max(radius[c], Math.sqrt(dist2(point, 0, centre, c * d, d)));
                }
            }
        }

        /** The non-empty pairs a < b, as a << 32 | b, nearest first by {@link #bounds}. */
        long[] pairs() {
            int k = begin.length;
            long[] pairs = new long[k * (k - 1) / 2];
            int t = 0;
            for (int a = 0; a < k; a++) {
                for (int b = a + 1; b < k; b++) {
                    if (end[a] > begin[a] && end[b] > begin[b]) {
                        pairs[t++] = (long) a << 32 | b;
                    }
                }
            }
            long[] out = Arrays.copyOf(pairs, t);
            double[] bound = bounds(out);
            Integer[] idx = new Integer[t];
            Arrays.setAll(idx, i -> i);
            Arrays.sort(idx, (i, j) -> Double.compare(bound[i], bound[j]));
            long[] sorted = new long[t];
            for (int i = 0; i < t; i++) {
                sorted[i] = out[idx[i]];
            }
            return sorted;
        }

        /**
         * A lower bound on the squared distance between any point of a and any of b: |x - y| >=
         * |ca - cb| - ra - rb, shrunk by far more than double rounding can move it.
         */
        double[] bounds(long[] pairs) {
            int d = centre.length / radius.length;
            double[] out = new double[pairs.length];
            for (int t = 0; t < pairs.length; t++) {
                int a = (int) (pairs[t] >>> 32);
                int b = (int) pairs[t];
                double between = Math.sqrt(dist2(centre, a * d, centre, b * d, d));
                double gap = between - radius[a] - radius[b] - 1e-9 * (between + radius[a] + radius[b]);
                out[t] = gap > 0 ? gap * gap : 0;
            }
            return out;
        }

        private static double dist2(double[] x, int xo, double[] c, int co, int d) {
            double s = 0;
            for (int t = 0; t < d; t++) {
                double v = x[xo + t] - c[co + t];
                s += v * v;
            }
            return s;
        }
    }

    /**
     * Folds a block's row and column minima into m (rows and columns of two different clusters).
     * Rows go to threads in stripes, each with its own column minima. Loops of Math.min over
     * arrays, which C2 vectorises: PyTorch's column minimum measured five times slower than the
     * product, and per-element compares or buffer reads three times.
     */
    private static void minima(NDArray block, int i0, int i1, int j0, int j1, float[] m) {
        FloatBuffer v = PairDistances.values(block);
        int w = j1 - j0;
        int stripes = (i1 - i0 + STRIPE - 1) / STRIPE;
        float[][] colMin = new float[stripes][];
        IntStream.range(0, stripes).parallel().forEach(s -> {
            float[] cm = new float[w];
            Arrays.fill(cm, Float.POSITIVE_INFINITY);
            float[] row = new float[w];
            for (int i = i0 + s * STRIPE; i < Math.min(i1, i0 + (s + 1) * STRIPE); i++) {
                v.get((i - i0) * w, row, 0, w);
                m[i] = Math.min(m[i], min(row, 0, w));
                fold(row, 0, w, cm);
            }
            colMin[s] = cm;
        });
        for (float[] cm : colMin) {
            for (int c = 0; c < w; c++) {
                m[j0 + c] = Math.min(m[j0 + c], cm[c]);
            }
        }
    }

    private static float min(float[] row, int from, int to) {
        float best = Float.POSITIVE_INFINITY;
        for (int j = from; j < to; j++) {
            best = Math.min(best, row[j]);
        }
        return best;
    }

    private static void fold(float[] row, int from, int to, float[] cm) {
        for (int j = from; j < to; j++) {
            cm[j] = Math.min(cm[j], row[j]);
        }
    }

    /**
     * The band rows' reaches as dist2 gives them. A row's nearest point of another cluster has a
     * product within 2 slack of the row's smallest product m, so only those pairs are compared.
     */
    private static float[] exact(PairDistances p, float[] xs, int d, int[] ls, int[] band, float[] m) {
        int n = ls.length;
        float[] reach = new float[band.length];
        Arrays.fill(reach, Float.POSITIVE_INFINITY);
        for (int r0 = 0; r0 < band.length; r0 += ROWS) {
            int[] rows = Arrays.copyOfRange(band, r0, Math.min(band.length, r0 + ROWS));
            float[] limit = new float[rows.length];
            for (int r = 0; r < rows.length; r++) {
                limit[r] = PairDistances.up(m[rows[r]] + 2 * p.slack());
            }
            float[] part = new float[rows.length];
            Arrays.fill(part, Float.POSITIVE_INFINITY);
            for (int j0 = 0; j0 < n; j0 += COLS) {
                int j1 = Math.min(n, j0 + COLS);
                int c0 = j0;
                p.block(rows, j0, j1, v -> nearest(v, rows, limit, c0, j1, xs, d, ls, part));
            }
            System.arraycopy(part, 0, reach, r0, rows.length);
        }
        return reach;
    }

    /** Folds into reach[r] the dist2 of rows[r] to the columns of other clusters whose value is within limit[r]. */
    private static void nearest(NDArray block, int[] rows, float[] limit, int j0, int j1, float[] xs, int d, int[] ls,
            float[] reach) {
        FloatBuffer v = PairDistances.values(block);
        IntStream.range(0, rows.length).parallel().forEach(r -> {
            int i = rows[r];
            int o = r * (j1 - j0) - j0;
            for (int j = j0; j < j1; j++) {
                if (v.get(o + j) <= limit[r] && ls[j] != ls[i]) {
                    reach[r] = Math.min(reach[r], Vectors.dist2(xs, i * d, xs, j * d, d));
                }
            }
        });
    }
}
