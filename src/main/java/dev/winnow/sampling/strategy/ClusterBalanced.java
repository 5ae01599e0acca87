package dev.winnow.sampling.strategy;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * k-means on the candidates' embeddings, then an equal share of the count from each cluster
 * (the remainder to the largest clusters; a cluster too small to fill its share passes the rest
 * on). Within a cluster the samples nearest its centre come first: the most representative.
 * Rank order goes round the clusters, so any prefix of the selection stays balanced.
 * Params: {@code clusters} (default 10), {@code iterations} (default 25).
 * Score: Euclidean distance to the cluster centre.
 */
final class ClusterBalanced implements Strategy {
    private final int clusters;
    private final int iterations;

    ClusterBalanced(Params params) {
        params.only("clusters", "iterations");
        clusters = params.integer("clusters", 10, 1);
        iterations = params.integer("iterations", 25, 0);
    }

    @Override
    public String name() {
        return "cluster-balanced";
    }

    @Override
    public Ranking select(Pool pool, int k) {
        int[] cand = candidates(pool);
        Rows x = new Rows(pool.embeddings(), cand);
        KMeans.Fit fit = KMeans.fit(x, clusters, pool.seed(), iterations);
        TieBreak tie = pool.tieBreak();
        List<List<Integer>> members = fit.members(i -> i);
        for (List<Integer> m : members) {
            m.sort((a, b) -> fit.dist2()[a] != fit.dist2()[b] ? Float.compare(fit.dist2()[a], fit.dist2()[b])
                    : tie.before(cand[a], cand[b]) ? -1 : 1);
        }
        Integer[] order = new Integer[fit.k()];
        for (int j = 0; j < order.length; j++) {
            order[j] = j;
        }
        Arrays.sort(order, Comparator.comparingInt((Integer j) -> -members.get(j).size()).thenComparingInt(j -> j));
        int[] quota = quotas(members, order, k);
        int[] rows = new int[k];
        double[] scores = new double[k];
        int[] taken = new int[fit.k()];
        int r = 0;
        while (r < k) {
            for (int j : order) {
                if (taken[j] < quota[j] && r < k) {
                    int i = members.get(j).get(taken[j]++);
                    rows[r] = cand[i];
                    scores[r++] = Math.sqrt(fit.dist2()[i]);
                }
            }
        }
        return new Ranking(rows, scores);
    }

    static int[] candidates(Pool pool) {
        int[] c = new int[pool.candidates()];
        int m = 0;
        for (int r = pool.excluded().nextClearBit(0); r < pool.size(); r = pool.excluded().nextClearBit(r + 1)) {
            c[m++] = r;
        }
        return c;
    }

    /** Equal shares, remainder to the largest clusters, overflow of small clusters passed on. */
    static int[] quotas(List<List<Integer>> members, Integer[] bySize, int k) {
        int c = bySize.length;
        int[] q = new int[c];
        int left = k;
        while (left > 0) {
            int open = 0;
            for (int j : bySize) {
                if (q[j] < members.get(j).size()) {
                    open++;
                }
            }
            int share = Math.max(1, left / open);
            for (int j : bySize) {
                int add = Math.min(Math.min(share, left), members.get(j).size() - q[j]);
                q[j] += add;
                left -= add;
            }
        }
        return q;
    }
}
