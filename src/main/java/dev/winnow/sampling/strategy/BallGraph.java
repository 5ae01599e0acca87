package dev.winnow.sampling.strategy;

import ai.djl.ndarray.NDArray;
import dev.winnow.sampling.SamplingException;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.BitSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

/**
 * ProbCover's graph: row i's ball is the rows j with {@code Vectors.dist2(x_i, x_j) <= r2}, itself
 * included, ascending; stored as CSR (ball i is {@code adj[start[i] .. start[i + 1])}), one int per
 * edge. {@link #products} and {@link #clustered} find it with GEMMs, {@link #exhaustive} compares
 * every pair in Java; all give the same arrays.
 */
final class BallGraph {
    /** The edges are ints in memory; past this the delta is too large for the pool. */
    static final long MAX_EDGES = 200_000_000L;
    /** A block of pairs is ROWS x COLS floats: 16 MB, below glibc's largest mmap threshold, so allocations are reused. */
    private static final int ROWS = 1024;
    private static final int COLS = 4096;

    final int[] start;
    final int[] adj;

    private BallGraph(int[] start, int[] adj) {
        this.start = start;
        this.adj = adj;
    }

    /** The graph from GEMMs over all pairs (a given delta: no clusters to narrow them). */
    static BallGraph products(PairDistances p, float[] x, int n, int d, float r2) {
        int[][] upper = upper(p, x, n, d, r2);
        return fromUpper(upper, n, r2);
    }

    /**
     * The same graph when, by the purity rule, only the exposed rows can have a point of another
     * cluster in their ball: each cluster's pairs, then the exposed rows' pairs across clusters.
     * With ten clusters that is about a tenth of the pairs.
     */
    static BallGraph clustered(float[] x, int n, int d, float r2, int[] label, BitSet exposed) {
        int[][] upper = new int[n][];
        int k = Arrays.stream(label).max().orElse(0) + 1;
        int[] size = new int[k];
        for (int c : label) {
            size[c]++;
        }
        int[][] members = new int[k][];
        for (int c = 0; c < k; c++) {
            members[c] = new int[size[c]];
            size[c] = 0;
        }
        for (int i = 0; i < n; i++) {
            members[label[i]][size[label[i]]++] = i;
        }
        for (int[] group : members) {
            int[][] local = upper(x, d, r2, group);
            for (int r = 0; r < group.length; r++) {
                upper[group[r]] = local[r];
            }
        }
        int[] open = exposed.stream().toArray();
        int[][] cross = upper(x, d, r2, open);
        for (int r = 0; r < open.length; r++) {
            int i = open[r];
            int[] across = Arrays.stream(cross[r]).filter(j -> label[j] != label[i]).toArray();
            upper[i] = merge(upper[i], across);
        }
        return fromUpper(upper, n, r2);
    }

    /** The upper lists among some rows (ascending ids), as ids. */
    private static int[][] upper(float[] x, int d, float r2, int[] rows) {
        if (rows.length == 0) {
            return new int[0][];
        }
        float[] sub = new float[rows.length * d];
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(x, rows[r] * d, sub, r * d, d);
        }
        int[][] local;
        try (PairDistances p = new PairDistances(sub, rows.length, d)) {
            local = upper(p, sub, rows.length, d, r2);
        }
        for (int[] list : local) {
            for (int t = 0; t < list.length; t++) {
                list[t] = rows[list[t]];
            }
        }
        return local;
    }

    private static int[] merge(int[] a, int[] b) {
        int[] out = new int[a.length + b.length];
        int i = 0;
        int j = 0;
        for (int t = 0; t < out.length; t++) {
            out[t] = j == b.length || (i < a.length && a[i] < b[j]) ? a[i++] : b[j++];
        }
        return out;
    }

    /**
     * For each row, the rows j >= i in its ball, ascending, from the upper triangle of pair blocks
     * only (dist2 is symmetric bit for bit): pairs whose product is within r2 + slack are
     * candidates, those within r2 - slack are edges, and the few between are decided by dist2.
     */
    private static int[][] upper(PairDistances p, float[] x, int n, int d, float r2) {
        float hi = PairDistances.up(r2 + p.slack());
        float sure = PairDistances.down(r2 - p.slack());
        int[][] upper = new int[n][];
        long edges = 0;
        for (int i0 = 0; i0 < n; i0 += ROWS) {
            int i1 = Math.min(n, i0 + ROWS);
            Upper block = new Upper(i0, i1);
            for (int j0 = i0; j0 < n; j0 += COLS) {
                int j1 = Math.min(n, j0 + COLS);
                int c0 = j0;
                p.block(i0, i1, j0, j1, v -> block.scan(v, c0, j1, x, d, r2, hi, sure));
            }
            for (int i = i0; i < i1; i++) {
                upper[i] = block.take(i);
                edges += 2L * upper[i].length;
            }
            if (edges > 2 * MAX_EDGES) {
                throw tooMany(r2);
            }
        }
        return upper;
    }

    /** The upper parts of the balls of rows [i0, i1), growing block by block. */
    private static final class Upper {
        private final int i0;
        private final int[][] buf;
        private final int[] len;

        Upper(int i0, int i1) {
            this.i0 = i0;
            this.buf = new int[i1 - i0][16];
            this.len = new int[i1 - i0];
        }

        /**
         * Adds the pairs j >= i of a block (rows i0.., columns [j0, j1)) whose value is within hi
         * and, unless within sure, whose dist2 is within r2. Each row appends to its own list, so
         * rows go to any thread.
         */
        void scan(NDArray block, int j0, int j1, float[] x, int d, float r2, float hi, float sure) {
            int w = j1 - j0;
            // rows' minima first (one vectorised pass in PyTorch): at small radii most rows have
            // no candidate in a block and are not read at all
            float[] least = block.min(new int[] {1}).toFloatArray();
            FloatBuffer v = PairDistances.values(block);
            IntStream.range(i0, i0 + len.length).parallel().forEach(i -> {
                if (least[i - i0] > hi) {
                    return;
                }
                float[] row = new float[j1 - Math.max(i, j0)];
                v.get((i - i0) * w + w - row.length, row, 0, row.length);
                int first = j1 - row.length;
                // the row's list in locals (writing len[] per edge from two threads shared its
                // cache lines), room for the whole row, and every column written but kept only if
                // in: no branch on the radius, whose outcome is random in row order
                int m = len[i - i0];
                int[] list = buf[i - i0].length < m + row.length ? Arrays.copyOf(buf[i - i0], 2 * m + row.length)
                        : buf[i - i0];
                for (int c = 0; c < row.length; c++) {
                    float s = row[c];
                    int keep = s <= sure ? 1 : 0;
                    if (s > sure & s <= hi) {
                        keep = Vectors.dist2(x, i * d, x, (first + c) * d, d) <= r2 ? 1 : 0;
                    }
                    list[m] = first + c;
                    m += keep;
                }
                buf[i - i0] = list;
                len[i - i0] = m;
            });
        }

        int[] take(int i) {
            return Arrays.copyOf(buf[i - i0], len[i - i0]);
        }
    }

    /** Every pair compared in Java, as ProbCover first did: the reference the products must match. */
    static BallGraph exhaustive(float[] x, int n, int d, float r2) {
        AtomicLong edges = new AtomicLong();
        int[][] balls = new int[n][];
        IntStream.range(0, n).parallel().forEach(i -> {
            int[] ball = new int[16];
            int m = 0;
            for (int j = 0; j < n; j++) {
                if (Vectors.dist2(x, i * d, x, j * d, d) <= r2) {
                    if (m == ball.length) {
                        ball = Arrays.copyOf(ball, m * 2);
                    }
                    ball[m++] = j;
                }
            }
            if (edges.addAndGet(m) > MAX_EDGES) {
                throw tooMany(r2);
            }
            balls[i] = Arrays.copyOf(ball, m);
        });
        int[] start = new int[n + 1];
        for (int i = 0; i < n; i++) {
            start[i + 1] = start[i] + balls[i].length;
        }
        int[] adj = new int[start[n]];
        for (int i = 0; i < n; i++) {
            System.arraycopy(balls[i], 0, adj, start[i], balls[i].length);
        }
        return new BallGraph(start, adj);
    }

    /**
     * Full balls from each row's ascending upper part (j >= i): row i's lower neighbours are written
     * while the rows before it are visited, in row order, then its own upper part, so balls ascend.
     */
    private static BallGraph fromUpper(int[][] upper, int n, float r2) {
        long edges = 0;
        for (int[] list : upper) {
            edges += 2L * list.length;
        }
        if (edges > 2 * MAX_EDGES) {
            throw tooMany(r2); // before counting exactly, which could overflow an int
        }
        int[] start = new int[n + 1];
        for (int i = 0; i < n; i++) {
            for (int j : upper[i]) {
                start[i + 1]++;
                if (j != i) {
                    start[j + 1]++;
                }
            }
        }
        for (int i = 0; i < n; i++) {
            start[i + 1] += start[i];
        }
        if (start[n] > MAX_EDGES) {
            throw tooMany(r2);
        }
        int[] adj = new int[start[n]];
        int[] pos = Arrays.copyOf(start, n);
        for (int i = 0; i < n; i++) {
            for (int j : upper[i]) {
                adj[pos[i]++] = j;
                if (j != i) {
                    adj[pos[j]++] = i;
                }
            }
            upper[i] = null;
        }
        return new BallGraph(start, adj);
    }

    private static SamplingException tooMany(float r2) {
        return new SamplingException("probcover: at delta " + Math.sqrt(r2) + " the balls hold more than " + MAX_EDGES
                + " points in all; give a smaller --param delta (or a higher purity)");
    }
}
