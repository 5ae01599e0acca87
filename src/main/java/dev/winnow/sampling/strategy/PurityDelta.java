package dev.winnow.sampling.strategy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
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
    private static final int COLS = 8192;

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

    /** Each sorted row's smallest product with a row of another cluster, from the upper triangle of blocks. */
    private static float[] approximate(PairDistances p, int[] ls, int n) {
        float[] m = new float[n];
        Arrays.fill(m, Float.POSITIVE_INFINITY);
        try (NDManager lm = p.newSubManager()) {
            NDArray labels = lm.create(ls);
            for (int i0 = 0; i0 < n; i0 += ROWS) {
                int i1 = Math.min(n, i0 + ROWS);
                for (int j0 = i0; j0 < n; j0 += COLS) {
                    int j1 = Math.min(n, j0 + COLS);
                    if (ls[i0] == ls[j1 - 1]) {
                        continue; // one cluster throughout (labels ascend)
                    }
                    float[] rowMin;
                    float[] colMin;
                    try (NDManager sub = lm.newSubManager()) {
                        NDArray v = p.block(sub, i0, i1, j0, j1);
                        if (ls[j0] <= ls[i1 - 1]) {
                            NDArray same = labels.get(sub, new NDIndex(i0 + ":" + i1))
                                    .reshape(new Shape(i1 - i0, 1))
                                    .eq(labels.get(sub, new NDIndex(j0 + ":" + j1)));
                            v.set(same, Float.POSITIVE_INFINITY);
                        }
                        rowMin = v.min(new int[] {1}).toFloatArray();
                        colMin = v.min(new int[] {0}).toFloatArray();
                    }
                    for (int r = 0; r < rowMin.length; r++) {
                        m[i0 + r] = Math.min(m[i0 + r], rowMin[r]);
                    }
                    for (int c = 0; c < colMin.length; c++) {
                        m[j0 + c] = Math.min(m[j0 + c], colMin[c]);
                    }
                }
            }
        }
        return m;
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
            for (int j0 = 0; j0 < n; j0 += COLS) {
                int j1 = Math.min(n, j0 + COLS);
                int w = j1 - j0;
                long[] at;
                try (NDManager sub = p.newSubManager()) {
                    NDArray within = p.block(sub, rows, j0, j1).lte(sub.create(limit, new Shape(rows.length, 1)));
                    at = within.flatten().nonzero().toLongArray();
                }
                for (long a : at) {
                    int r = (int) (a / w);
                    int i = rows[r];
                    int j = j0 + (int) (a % w);
                    if (ls[j] != ls[i]) {
                        reach[r0 + r] = Math.min(reach[r0 + r], Vectors.dist2(xs, i * d, xs, j * d, d));
                    }
                }
            }
        }
        return reach;
    }
}
