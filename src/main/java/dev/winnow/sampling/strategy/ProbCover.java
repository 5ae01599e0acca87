package dev.winnow.sampling.strategy;

import java.util.BitSet;

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
 * Cost: O(N^2 d) time for the graph (and again for the purity rule), as GEMMs on DJL for large pools
 * ({@link BallGraph}, {@link PurityDelta}: the same edges and delta as comparing every pair in Java),
 * and one int per edge.
 * Score: how many samples the pick newly covers.
 */
final class ProbCover implements Strategy {
    /** How pairs are compared: GEMM blocks with exact checks, every pair in Java, or by size. */
    enum Pairs { AUTO, PRODUCTS, EXHAUSTIVE }

    private final Double delta;
    private final double purity;
    private final int clusters;
    private final Pairs pairs;

    ProbCover(Params params) {
        this(params, Pairs.AUTO);
    }

    ProbCover(Params params, Pairs pairs) {
        this.pairs = pairs;
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
        boolean products = switch (pairs) {
            case PRODUCTS -> true;
            case EXHAUSTIVE -> false;
            case AUTO -> (long) n * n * d >= Nearest.DJL_THRESHOLD;
        };
        BallGraph g;
        if (delta != null) {
            // squared, in float, as dist2 gives distances
            float r2 = (float) Math.min(Float.MAX_VALUE, delta * delta);
            g = products ? graph(x, n, d, r2) : BallGraph.exhaustive(x, n, d, r2);
        } else {
            int[] label = KMeans.fit(pool.embeddings(), clusters, pool.seed(), 25).assign();
            PurityDelta.Rule rule = products ? PurityDelta.products(x, n, d, label, purity) : null;
            g = rule != null ? BallGraph.clustered(x, n, d, rule.r2(), label, rule.exposed())
                    : BallGraph.exhaustive(x, n, d, PurityDelta.exhaustive(x, n, d, label, purity));
        }
        int[] start = g.start;
        int[] adj = g.adj;
        BitSet covered = new BitSet(n);
        BitSet taken = (BitSet) pool.excluded().clone();
        for (int r = taken.nextSetBit(0); r >= 0; r = taken.nextSetBit(r + 1)) {
            for (int t = start[r]; t < start[r + 1]; t++) {
                covered.set(adj[t]);
            }
        }
        int[] gain = new int[n];
        for (int i = 0; i < n; i++) {
            for (int t = start[i]; t < start[i + 1]; t++) {
                if (!covered.get(adj[t])) {
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
            for (int t = start[arg]; t < start[arg + 1]; t++) {
                int u = adj[t];
                if (!covered.get(u)) {
                    covered.set(u);
                    for (int v = start[u]; v < start[u + 1]; v++) {
                        gain[adj[v]]--;
                    }
                }
            }
        }
        return new Ranking(rows, scores);
    }

    private static BallGraph graph(float[] x, int n, int d, float r2) {
        try (PairDistances p = new PairDistances(x, n, d)) {
            return p.usable() ? BallGraph.products(p, x, n, d, r2) : BallGraph.exhaustive(x, n, d, r2);
        }
    }
}
