package dev.winnow.sampling.strategy;

import ai.djl.ndarray.NDArray;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * ProbCover's purity rule, squared: a ball around x is pure while delta is below x's reach, its
 * distance to the nearest point of another cluster, so the answer is just below the
 * (1 - purity) quantile q of the reaches (as floats from {@link Vectors#dist2}).
 * {@link #products} gets every reach within the products' slack from GEMMs over cluster-sorted
 * rows (pairs of one cluster masked out, each pair computed once), so the quantile q is within
 * slack of the approximate one; only the rows whose approximate reach is within twice the slack of it
 * can decide it, and their reaches are recomputed exactly. {@link #exhaustive} compares every pair.
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

    /** The same value as {@link #exhaustive}; null when the products cannot be trusted (huge norms). */
    static Float products(float[] x, int n, int d, int[] label, double purity) {
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
            float[] m = approximate(p, ls, n);
            float[] sorted = m.clone();
            Arrays.sort(sorted);
            int q = impure(n, purity);
            float a = sorted[q];
            if (a == Float.POSITIVE_INFINITY) {
                // no more than q rows have a point of another cluster: the reaches from q on are infinite
                return Math.nextDown(a);
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
            return Math.nextDown(exact[q - below]);
        }
    }

    /**
     * Each sorted row's smallest product with a row of another cluster, from the upper triangle of
     * blocks: a block gives its rows' minima and its columns' minima. A row's own cluster is one
     * range of columns (rows are sorted by label), left out of both.
     */
    private static float[] approximate(PairDistances p, int[] ls, int n) {
        int[] begin = new int[ls[n - 1] + 1];
        int[] end = new int[ls[n - 1] + 1];
        for (int i = n - 1; i >= 0; i--) {
            begin[ls[i]] = i;
        }
        for (int i = 0; i < n; i++) {
            end[ls[i]] = i + 1;
        }
        float[] m = new float[n];
        Arrays.fill(m, Float.POSITIVE_INFINITY);
        for (int i0 = 0; i0 < n; i0 += ROWS) {
            int i1 = Math.min(n, i0 + ROWS);
            for (int j0 = i0; j0 < n; j0 += COLS) {
                int j1 = Math.min(n, j0 + COLS);
                if (ls[i0] == ls[j1 - 1]) {
                    continue; // one cluster throughout (labels ascend)
                }
                int r0 = i0;
                int c0 = j0;
                p.block(i0, i1, j0, j1, v -> minima(v, r0, i1, c0, j1, ls, begin, end, m));
            }
        }
        return m;
    }

    /**
     * Folds a block's row and column minima into m, leaving out each row's own cluster (one range
     * of columns: labels ascend). Rows go to threads in stripes, each with its own column minima.
     * Loops of Math.min over arrays, which C2 vectorises: PyTorch's column minimum measured five
     * times slower than the product, and per-element compares or buffer reads three times.
     */
    private static void minima(NDArray block, int i0, int i1, int j0, int j1, int[] ls, int[] begin, int[] end,
            float[] m) {
        FloatBuffer v = PairDistances.values(block);
        int w = j1 - j0;
        int stripes = (i1 - i0 + STRIPE - 1) / STRIPE;
        float[] rowMin = new float[i1 - i0];
        float[][] colMin = new float[stripes][];
        IntStream.range(0, stripes).parallel().forEach(s -> {
            float[] cm = new float[w];
            Arrays.fill(cm, Float.POSITIVE_INFINITY);
            float[] row = new float[w];
            for (int i = i0 + s * STRIPE; i < Math.min(i1, i0 + (s + 1) * STRIPE); i++) {
                v.get((i - i0) * w, row, 0, w);
                int own0 = Math.min(Math.max(begin[ls[i]], j0), j1) - j0;
                int own1 = Math.min(Math.max(end[ls[i]], j0), j1) - j0;
                rowMin[i - i0] = Math.min(min(row, 0, own0), min(row, own1, w));
                fold(row, 0, own0, cm);
                fold(row, own1, w, cm);
            }
            colMin[s] = cm;
        });
        for (int r = 0; r < rowMin.length; r++) {
            m[i0 + r] = Math.min(m[i0 + r], rowMin[r]);
        }
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
