package dev.winnow.sampling.strategy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * TypiClust (Hacohen et al., 2022, "Active Learning on a Budget"), a cold-start strategy: k-means
 * on the whole pool's embeddings into as many clusters as excluded (labeled) plus requested
 * samples, at most {@code max-clusters} (500, as the paper's code); then each pick comes from the
 * cluster holding the fewest labeled or picked samples, the largest first, and is its most typical
 * candidate: the highest 1 / mean distance to its K nearest candidates in the cluster, K =
 * min({@code neighbours}, m / 2) for m candidates left there. Clusters of fewer than
 * {@code min-cluster-size} points (the paper drops those of 5 or fewer: outliers) are only picked
 * from once the others have no candidate left, so the count is always met.
 * Params: {@code max-clusters} (500), {@code neighbours} (20), {@code min-cluster-size} (6),
 * {@code iterations} (25). Score: the typicality of the pick (0 for a cluster's last candidate);
 * the paper adds 1e-5 to the mean distance, so duplicates do not divide by zero.
 */
final class TypiClust implements Strategy {
    private final int maxClusters;
    private final int neighbours;
    private final int minClusterSize;
    private final int iterations;

    TypiClust(Params params) {
        params.only("max-clusters", "neighbours", "min-cluster-size", "iterations");
        maxClusters = params.integer("max-clusters", 500, 1);
        neighbours = params.integer("neighbours", 20, 1);
        minClusterSize = params.integer("min-cluster-size", 6, 1);
        iterations = params.integer("iterations", 25, 0);
    }

    @Override
    public String name() {
        return "typiclust";
    }

    @Override
    public Ranking select(Pool pool, int k) {
        int n = pool.size();
        int labeled = pool.excluded().cardinality();
        KMeans.Fit fit = KMeans.fit(pool.embeddings(), Math.min(maxClusters, labeled + k), pool.seed(), iterations);
        List<List<Integer>> members = fit.members(i -> i);
        int[] held = new int[fit.k()];
        List<List<Integer>> open = new ArrayList<>();
        for (int j = 0; j < fit.k(); j++) {
            List<Integer> cand = new ArrayList<>();
            for (int r : members.get(j)) {
                if (pool.excluded().get(r)) {
                    held[j]++;
                } else {
                    cand.add(r);
                }
            }
            open.add(cand);
        }
        int d = pool.embeddings().cols();
        float[] x = new float[Math.multiplyExact(n, d)];
        pool.embeddings().read(0, n, x, 0);
        TieBreak tie = pool.tieBreak();
        int[] rows = new int[k];
        double[] scores = new double[k];
        for (int p = 0; p < k; p++) {
            int c = next(members, open, held);
            List<Integer> cand = open.get(c);
            double[] typ = typicality(x, d, cand);
            int best = 0;
            for (int i = 1; i < cand.size(); i++) {
                if (typ[i] > typ[best] || (typ[i] == typ[best] && tie.before(cand.get(i), cand.get(best)))) {
                    best = i;
                }
            }
            rows[p] = cand.remove(best);
            scores[p] = typ[best];
            held[c]++;
        }
        return new Ranking(rows, scores);
    }

    /** The cluster to pick from: full-size before small, fewest held, largest, lowest index. */
    private int next(List<List<Integer>> members, List<List<Integer>> open, int[] held) {
        int arg = -1;
        for (int j = 0; j < open.size(); j++) {
            if (open.get(j).isEmpty()) {
                continue;
            }
            if (arg < 0 || before(members, held, j, arg)) {
                arg = j;
            }
        }
        return arg;
    }

    private boolean before(List<List<Integer>> members, int[] held, int a, int b) {
        boolean smallA = members.get(a).size() < minClusterSize;
        boolean smallB = members.get(b).size() < minClusterSize;
        if (smallA != smallB) {
            return smallB;
        }
        if (held[a] != held[b]) {
            return held[a] < held[b];
        }
        return members.get(a).size() > members.get(b).size();
    }

    /** 1 / mean distance to the K nearest other candidates, per candidate; O(m^2 d). */
    double[] typicality(float[] x, int d, List<Integer> cand) {
        int m = cand.size();
        double[] typ = new double[m];
        if (m < 2) {
            return typ;
        }
        int kk = Math.max(1, Math.min(neighbours, m / 2));
        IntStream.range(0, m).parallel().forEach(i -> {
            // the kk smallest distances, kept sorted by insertion: no sort of all m
            double[] near = new double[kk];
            Arrays.fill(near, Double.POSITIVE_INFINITY);
            for (int j = 0; j < m; j++) {
                if (j == i) {
                    continue;
                }
                double v = Math.sqrt(Vectors.dist2(x, cand.get(i) * d, x, cand.get(j) * d, d));
                if (v < near[kk - 1]) {
                    int t = kk - 1;
                    for (; t > 0 && near[t - 1] > v; t--) {
                        near[t] = near[t - 1];
                    }
                    near[t] = v;
                }
            }
            double sum = 0;
            for (double v : near) {
                sum += v;
            }
            typ[i] = 1 / (sum / kk + 1e-5);
        });
        return typ;
    }
}
