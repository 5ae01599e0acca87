package dev.winnow.sampling.strategy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.winnow.sampling.io.Matrix;
import java.util.Arrays;

/**
 * {@link Nearest}'s assignment without comparing every row with every centre, for many
 * centres. The centres are grouped around about sqrt(K) of them, the pivots, chosen
 * farthest-first so the groups are tight; r_g is group g's exact radius. For a row x
 * every centre c of group g has |x - c| >= |x - p_g| - r_g, and the pivots are centres, so the
 * nearest centre is no farther than the nearest pivot u: only groups with |x - p_g| - r_g <= u
 * can hold it. One GEMM against the pivots gives those bounds, then each group is one GEMM
 * against the rows that must visit it, with the same expanded form and tie rule (lowest index)
 * as the full product. On clustered embeddings a row visits only its own cluster's groups.
 * Bounds are widened by a bound on float rounding, so no group that may hold the nearest
 * centre is skipped. A sample of rows estimates the visits first; when pruning would not cut
 * the product's work by {@link #MIN_GAIN}, nothing is done and the caller runs the full product.
 */
final class PivotNearest {
    /** Fewer centres than this are cheap enough for the full product. */
    private static final int MIN_CENTRES = 1024;
    private static final int MIN_GAIN = 4;
    private static final int SAMPLE = 1024;
    private static final int PIVOT_SAMPLE = 1024;
    /** Rows per pivot GEMM, and the size of one group product (elements). */
    private static final int BLOCK = 2048;
    private static final int PRODUCT = 4 << 20;

    private final Matrix x;
    private final int n;
    private final int d;
    private final float[] centres;
    private final int k;
    private final int[] pivots;
    private final int[][] groups;
    private final double[] radius;
    private final float[] pivotAug;
    private final double tolScale;
    private final double maxCsq;

    private PivotNearest(Matrix x, float[] centres, int k) {
        this.x = x;
        this.n = Math.toIntExact(x.rows());
        this.d = x.cols();
        this.centres = centres;
        this.k = k;
        int p = Math.min(k, Math.max(16, (int) Math.sqrt(k)));
        this.pivots = pivots(centres, k, d, p);
        float[] pc = new float[p * d];
        for (int g = 0; g < p; g++) {
            System.arraycopy(centres, pivots[g] * d, pc, g * d, d);
        }
        int[] group = new int[k];
        float[] r2 = new float[k];
        Nearest.assign(new ArrayMatrix(centres, k, d), pc, p, group, r2);
        int[] size = new int[p];
        for (int j = 0; j < k; j++) {
            size[group[j]]++;
        }
        this.groups = new int[p][];
        for (int g = 0; g < p; g++) {
            groups[g] = new int[size[g]];
            size[g] = 0;
        }
        // members in index order, so a group's argmin keeps the full product's lowest-index rule
        double maxCsq = 0;
        this.radius = new double[p];
        for (int j = 0; j < k; j++) {
            int g = group[j];
            groups[g][size[g]++] = j;
            radius[g] = Math.max(radius[g], r2[j]);
            maxCsq = Math.max(maxCsq, Vectors.dot(centres, j * d, centres, j * d, d));
        }
        // every bound is widened by the rounding of the expanded form |x|^2 + |c|^2 - 2 x.c
        this.tolScale = Nearest.roundingScale(d);
        for (int g = 0; g < p; g++) {
            radius[g] = Math.sqrt(radius[g] * (1 + tolScale));
        }
        this.pivotAug = Nearest.augmented(centres, pivots, d);
        this.maxCsq = maxCsq;
    }

    /**
     * p centres spread over them all: farthest-first on an evenly spaced sample of the centres,
     * in plain Java (a cluster the sample misses only widens a radius).
     */
    private static int[] pivots(float[] centres, int k, int d, int p) {
        int s = Math.min(k, PIVOT_SAMPLE);
        int[] index = new int[s];
        for (int i = 0; i < s; i++) {
            index[i] = (int) ((long) i * k / s);
        }
        float[] md = new float[s];
        Arrays.fill(md, Float.POSITIVE_INFINITY);
        int[] pivots = new int[p];
        int next = 0;
        for (int g = 0; g < p; g++) {
            int c = index[next];
            pivots[g] = c;
            for (int i = 0; i < s; i++) {
                md[i] = Math.min(md[i], Vectors.dist2(centres, index[i] * d, centres, c * d, d));
            }
            for (int i = 0; i < s; i++) {
                if (md[i] > md[next]) {
                    next = i;
                }
            }
        }
        return pivots;
    }

    /**
     * Fills owner like the full product does; false (owner untouched) when pruning would not pay,
     * unless forced (tests).
     */
    static boolean assign(Matrix x, float[] centres, int k, int[] owner, boolean force) {
        if (k < MIN_CENTRES && !force) {
            return false;
        }
        PivotNearest p = new PivotNearest(x, centres, k);
        try (NDManager m = Tensors.manager()) {
            if (!force && !p.pays(m)) {
                return false;
            }
            p.run(m, owner);
            return true;
        }
    }

    private boolean pays(NDManager m) {
        int step = Math.max(1, n / SAMPLE);
        int[] rows = new int[(n + step - 1) / step];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = i * step;
        }
        long visits = 0;
        for (int[] gs : visits(m, rows)) {
            for (int g : gs) {
                visits += groups[g].length;
            }
        }
        return (pivots.length + (double) visits / rows.length) * MIN_GAIN <= k;
    }

    /** For each of the rows, the groups that may hold its nearest centre. */
    private int[][] visits(NDManager m, int[] rows) {
        int p = pivots.length;
        int[][] out = new int[rows.length][];
        float[] xa = new float[BLOCK * (d + 1)];
        float[] sq = new float[BLOCK];
        int[] pick = new int[p];
        try (NDArray pa = m.create(pivotAug, new Shape(d + 1, p))) {
            for (int from = 0; from < rows.length; from += BLOCK) {
                int b = Math.min(BLOCK, rows.length - from);
                gather(rows, from, b, xa, sq);
                float[] v;
                try (NDManager sub = m.newSubManager()) {
                    v = rows(sub, xa, b).matMul(pa).toFloatArray();
                }
                for (int i = 0; i < b; i++) {
                    double tol = tolScale * (sq[i] + maxCsq);
                    double u2 = Double.POSITIVE_INFINITY;
                    for (int g = 0; g < p; g++) {
                        u2 = Math.min(u2, (double) sq[i] + v[i * p + g]);
                    }
                    double u = Math.sqrt(Math.max(0, u2 + tol));
                    int c = 0;
                    for (int g = 0; g < p; g++) {
                        // |x - p_g| - r_g <= u, squared: no root per pair
                        double reach = u + radius[g];
                        if (sq[i] + v[i * p + g] - tol <= reach * reach) {
                            pick[c++] = g;
                        }
                    }
                    out[from + i] = Arrays.copyOf(pick, c);
                }
            }
        }
        return out;
    }

    private void run(NDManager m, int[] owner) {
        int[] all = new int[n];
        Arrays.setAll(all, i -> i);
        int[][] visits = visits(m, all);
        // invert: the rows each group must be compared with, in row order
        int[] count = new int[pivots.length];
        for (int[] gs : visits) {
            for (int g : gs) {
                count[g]++;
            }
        }
        int[][] rowsOf = new int[pivots.length][];
        for (int g = 0; g < pivots.length; g++) {
            rowsOf[g] = new int[count[g]];
            count[g] = 0;
        }
        for (int i = 0; i < n; i++) {
            for (int g : visits[i]) {
                rowsOf[g][count[g]++] = i;
            }
        }
        float[] best = new float[n];
        Arrays.fill(best, Float.POSITIVE_INFINITY);
        Arrays.fill(owner, 0, n, Integer.MAX_VALUE);
        for (int g = 0; g < pivots.length; g++) {
            compare(m, groups[g], rowsOf[g], best, owner);
        }
    }

    private void compare(NDManager m, int[] members, int[] rows, float[] best, int[] owner) {
        int c = members.length;
        if (rows.length == 0 || c == 0) {
            return;
        }
        int block = Math.max(1, Math.min(rows.length, PRODUCT / c));
        float[] xa = new float[block * (d + 1)];
        float[] sq = new float[block];
        try (NDArray ca = m.create(Nearest.augmented(centres, members, d), new Shape(d + 1, c))) {
            for (int from = 0; from < rows.length; from += block) {
                int b = Math.min(block, rows.length - from);
                gather(rows, from, b, xa, sq);
                float[] min;
                long[] arg;
                try (NDManager sub = m.newSubManager()) {
                    NDArray v = rows(sub, xa, b).matMul(ca);
                    min = v.min(new int[] {1}).toFloatArray();
                    arg = v.argMin(1).toLongArray();
                }
                for (int i = 0; i < b; i++) {
                    int r = rows[from + i];
                    int j = members[(int) arg[i]];
                    if (min[i] < best[r] || (min[i] == best[r] && j < owner[r])) {
                        best[r] = min[i];
                        owner[r] = j;
                    }
                }
            }
        }
    }

    /** Rows rows[from..from+b) with a trailing 1 each, and their squared norms. */
    private void gather(int[] rows, int from, int b, float[] xa, float[] sq) {
        int e = d + 1;
        for (int i = 0; i < b; i++) {
            x.read(rows[from + i], 1, xa, i * e);
            sq[i] = (float) Vectors.dot(xa, i * e, xa, i * e, d);
            xa[i * e + d] = 1f;
        }
    }

    private NDArray rows(NDManager sub, float[] xa, int b) {
        return sub.create(xa, new Shape(xa.length / (d + 1), d + 1)).get("0:" + b);
    }
}
