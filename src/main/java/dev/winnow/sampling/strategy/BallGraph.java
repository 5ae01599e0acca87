package dev.winnow.sampling.strategy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.winnow.sampling.SamplingException;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

/**
 * ProbCover's graph: row i's ball is the rows j with {@code Vectors.dist2(x_i, x_j) <= r2}, itself
 * included, ascending; stored as CSR (ball i is {@code adj[start[i] .. start[i + 1])}), one int per
 * edge. {@link #products} finds it with GEMMs, {@link #exhaustive} compares every pair in Java; both
 * give the same arrays.
 */
final class BallGraph {
    /** The edges are ints in memory; past this the delta is too large for the pool. */
    static final long MAX_EDGES = 200_000_000L;
    /** A block of pairs is ROWS x COLS floats (32 MB). */
    private static final int ROWS = 1024;
    private static final int COLS = 8192;

    final int[] start;
    final int[] adj;

    private BallGraph(int[] start, int[] adj) {
        this.start = start;
        this.adj = adj;
    }

    /**
     * The graph from the upper triangle of pair blocks only (dist2 is symmetric bit for bit): pairs
     * whose product is within r2 + slack are candidates, those within r2 - slack are edges, and the
     * few between are decided by dist2.
     */
    static BallGraph products(PairDistances p, float[] x, int n, int d, float r2) {
        float hi = PairDistances.up(r2 + p.slack());
        float sure = PairDistances.down(r2 - p.slack());
        int[][] upper = new int[n][];
        long edges = 0;
        int[][] buf = new int[ROWS][];
        int[] len = new int[ROWS];
        for (int i0 = 0; i0 < n; i0 += ROWS) {
            int i1 = Math.min(n, i0 + ROWS);
            for (int r = 0; r < i1 - i0; r++) {
                buf[r] = new int[64];
                len[r] = 0;
            }
            for (int j0 = i0; j0 < n; j0 += COLS) {
                int j1 = Math.min(n, j0 + COLS);
                int w = j1 - j0;
                long[] at;
                float[] value;
                try (NDManager sub = p.newSubManager()) {
                    NDArray v = p.block(sub, i0, i1, j0, j1).flatten();
                    NDArray idx = v.lte(hi).nonzero();
                    at = idx.toLongArray();
                    value = v.take(idx).toFloatArray();
                }
                for (int c = 0; c < at.length; c++) {
                    int i = i0 + (int) (at[c] / w);
                    int j = j0 + (int) (at[c] % w);
                    if (j >= i && (value[c] <= sure || Vectors.dist2(x, i * d, x, j * d, d) <= r2)) {
                        int r = i - i0;
                        if (len[r] == buf[r].length) {
                            buf[r] = Arrays.copyOf(buf[r], len[r] * 2);
                        }
                        buf[r][len[r]++] = j;
                    }
                }
            }
            for (int i = i0; i < i1; i++) {
                int[] ball = Arrays.copyOf(buf[i - i0], len[i - i0]);
                upper[i] = ball;
                edges += 2L * ball.length - (ball.length > 0 && ball[0] == i ? 1 : 0);
            }
            if (edges > MAX_EDGES) {
                throw tooMany(r2);
            }
        }
        return fromUpper(upper, n);
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
    private static BallGraph fromUpper(int[][] upper, int n) {
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
