package dev.winnow.sampling.strategy;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Cluster-Margin (Citovsky et al., 2021): take the {@code candidates} x k samples with the
 * smallest margin, cluster their embeddings, then go round the clusters from the smallest to
 * the largest taking one random member each time until k are chosen. The paper clusters the
 * whole pool once with average-linkage HAC, which is O(N^2); this uses k-means on the margin
 * candidates instead ({@code clusters}, default k, so the first pass takes one sample per
 * cluster). Params: {@code candidates} (default 10), {@code clusters}, {@code iterations}
 * (default 25). Score: the margin uncertainty, 1 - (p1 - p2).
 */
final class ClusterMargin implements Strategy {
    private final int multiple;
    private final Integer clusters;
    private final int iterations;

    ClusterMargin(Params params) {
        params.only("candidates", "clusters", "iterations");
        multiple = params.integer("candidates", 10, 1);
        clusters = params.has("clusters") ? params.integer("clusters", 1, 1) : null;
        iterations = params.integer("iterations", 25, 0);
    }

    @Override
    public String name() {
        return "cluster-margin";
    }

    @Override
    public Ranking select(Pool pool, int k) {
        double[] u = Scan.probabilities(pool.probs(), Uncertainty.MARGIN::score);
        int m = (int) Math.min(pool.candidates(), (long) multiple * k);
        int[] top = TopK.select(u, pool.excluded(), m, pool.tieBreak()).rows();
        KMeans.Fit fit = KMeans.fit(new Rows(pool.embeddings(), top), clusters == null ? k : clusters,
                pool.seed(), iterations);
        List<List<Integer>> members = fit.members(i -> top[i]);
        SplittableRandom rng = new SplittableRandom(pool.seed());
        for (List<Integer> c : members) {
            // a seeded shuffle: members come out in random order
            for (int i = c.size() - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                Integer t = c.get(i);
                c.set(i, c.get(j));
                c.set(j, t);
            }
        }
        Integer[] order = new Integer[fit.k()];
        for (int j = 0; j < order.length; j++) {
            order[j] = j;
        }
        Arrays.sort(order, Comparator.comparingInt((Integer j) -> members.get(j).size()).thenComparingInt(j -> j));
        int[] rows = new int[k];
        double[] scores = new double[k];
        int[] next = new int[fit.k()];
        int r = 0;
        while (r < k) {
            for (int j : order) {
                if (r < k && next[j] < members.get(j).size()) {
                    rows[r] = members.get(j).get(next[j]++);
                    scores[r] = u[rows[r]];
                    r++;
                }
            }
        }
        return new Ranking(rows, scores);
    }
}
