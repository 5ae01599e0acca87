package dev.winnow.sampling.strategy;

import dev.winnow.sampling.SamplingException;
import java.util.Arrays;
import java.util.BitSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

/**
 * ProbCover (Yehuda et al., 2022), a cold-start strategy: greedy maximum coverage of the pool by
 * balls of radius delta in the embedding space. Every sample covers the samples within delta of
 * it (itself included); the excluded (labeled) ones cover theirs first, then each pick is the
 * candidate covering the most samples not yet covered, ties by the seed (once everything is
 * covered the picks are seeded random ones, as in the paper).
 *
 * <p>delta: {@code --param delta}, or the paper's purity rule: k-means into {@code clusters}
 * (default 10, the paper's number of classes) and the largest delta at which at least
 * {@code purity} (0.95) of the balls hold points of one cluster only. A ball around x is pure
 * exactly while delta is below x's distance to the nearest point of another cluster, so that delta
 * is just below the (1 - purity) quantile of those distances.
 * Cost: O(N^2 d) time for the graph (and again for the purity rule) and memory for its edges.
 * Score: how many samples the pick newly covers.
 */
final class ProbCover implements Strategy {
    /** The graph's edges are ints in memory; past this the delta is too large for the pool. */
    static final long MAX_EDGES = 200_000_000L;

    private final Double delta;
    private final double purity;
    private final int clusters;

    ProbCover(Params params) {
        params.only("delta", "purity", "clusters");
        delta = params.has("delta") ? params.number("delta", 0, 0, Double.MAX_VALUE) : null;
        purity = params.number("purity", 0.95, 0, 1);
        clusters = params.integer("clusters", 10, 1);
    }

    @Override
    public String name() {
        return "probcover";
    }

    @Override
    public Ranking select(Pool pool, int k) {
        int n = pool.size();
        int d = pool.embeddings().cols();
        float[] x = new float[Math.multiplyExact(n, d)];
        pool.embeddings().read(0, n, x, 0);
        // squared, in float: the purity rule's limit must sit just below a distance as computed
        float r2 = delta != null ? (float) Math.min(Float.MAX_VALUE, delta * delta) : purityDelta2(pool, x, d);
        int[][] balls = balls(x, n, d, r2);
        BitSet covered = new BitSet(n);
        BitSet taken = (BitSet) pool.excluded().clone();
        for (int r = taken.nextSetBit(0); r >= 0; r = taken.nextSetBit(r + 1)) {
            for (int u : balls[r]) {
                covered.set(u);
            }
        }
        int[] gain = new int[n];
        for (int i = 0; i < n; i++) {
            for (int u : balls[i]) {
                if (!covered.get(u)) {
                    gain[i]++;
                }
            }
        }
        TieBreak tie = pool.tieBreak();
        int[] rows = new int[k];
        double[] scores = new double[k];
        for (int p = 0; p < k; p++) {
            int arg = -1;
            for (int i = taken.nextClearBit(0); i < n; i = taken.nextClearBit(i + 1)) {
                if (arg < 0 || gain[i] > gain[arg] || (gain[i] == gain[arg] && tie.before(i, arg))) {
                    arg = i;
                }
            }
            rows[p] = arg;
            scores[p] = gain[arg];
            taken.set(arg);
            // the balls are symmetric: whoever covers a newly covered u gains one less
            for (int u : balls[arg]) {
                if (!covered.get(u)) {
                    covered.set(u);
                    for (int v : balls[u]) {
                        gain[v]--;
                    }
                }
            }
        }
        return new Ranking(rows, scores);
    }

    /** Each row's ball: the rows within sqrt(r2) of it, itself included, in row order. */
    static int[][] balls(float[] x, int n, int d, float r2) {
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
                throw new SamplingException("probcover: at delta " + Math.sqrt(r2) + " the balls hold more than " + MAX_EDGES
                        + " points in all; give a smaller --param delta (or a higher purity)");
            }
            balls[i] = Arrays.copyOf(ball, m);
        });
        return balls;
    }

    /** The paper's rule, squared: the largest delta at which at least {@code purity} of the balls are pure. */
    private float purityDelta2(Pool pool, float[] x, int d) {
        int n = pool.size();
        KMeans.Fit fit = KMeans.fit(pool.embeddings(), clusters, pool.seed(), 25);
        int[] label = fit.assign();
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
        int impure = (int) Math.min(n - 1, Math.floor((1 - purity) * n));
        // pure while delta < reach: just below the value, at most `impure` balls are not
        return Math.nextDown(reach[impure]);
    }
}
