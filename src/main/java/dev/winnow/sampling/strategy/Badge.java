package dev.winnow.sampling.strategy;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * BADGE (Ash et al., 2020): k-means++ seeding on gradient embeddings g_i = (p_i - e_yi) (x) x_i,
 * y_i the predicted class, p_i the probabilities, x_i the embedding. The outer product is never
 * formed: |g_i|^2 = |p_i - e_yi|^2 |x_i|^2 and <g_i, g_j> = <p_i - e_yi, p_j - e_yj> <x_i, x_j>,
 * so memory is O(N (C + D)) instead of O(N C D). The first pick is the largest gradient norm,
 * each next one is drawn with probability proportional to its squared distance to the nearest
 * pick (seeded). Only candidates take part. Score: the gradient-space distance at the pick
 * (the norm for the first).
 */
final class Badge implements Strategy {
    Badge(Params params) {
        params.only();
    }

    @Override
    public String name() {
        return "badge";
    }

    @Override
    public Ranking select(Pool pool, int k) {
        int[] cand = ClusterBalanced.candidates(pool);
        int m = cand.length;
        float[] p = new Rows(pool.probs(), cand).toArray();
        float[] x = new Rows(pool.embeddings(), cand).toArray();
        Scan.probabilities(pool.probs(), (a, off, n) -> 0); // validates every row, candidates or not
        int c = pool.probs().cols();
        int d = pool.embeddings().cols();
        // p_i - e_yi in place, and the two factors of |g_i|^2
        float[] an = new float[m];
        float[] xn = new float[m];
        for (int i = 0; i < m; i++) {
            int y = 0;
            for (int j = 1; j < c; j++) {
                if (p[i * c + j] > p[i * c + y]) {
                    y = j;
                }
            }
            p[i * c + y] -= 1f;
            an[i] = (float) Vectors.dot(p, i * c, p, i * c, c);
            xn[i] = (float) Vectors.dot(x, i * d, x, i * d, d);
        }
        double[] md = new double[m];
        Arrays.fill(md, Double.POSITIVE_INFINITY);
        boolean[] picked = new boolean[m];
        SplittableRandom rng = new SplittableRandom(pool.seed());
        TieBreak tie = pool.tieBreak();
        int[] rows = new int[k];
        double[] scores = new double[k];
        int first = 0;
        for (int i = 1; i < m; i++) {
            double gi = (double) an[i] * xn[i];
            double gf = (double) an[first] * xn[first];
            if (gi > gf || (gi == gf && tie.before(cand[i], cand[first]))) {
                first = i;
            }
        }
        int pick = first;
        for (int t = 0; t < k; t++) {
            if (t > 0) {
                pick = draw(md, picked, rng);
            }
            picked[pick] = true;
            rows[t] = cand[pick];
            scores[t] = t == 0 ? Math.sqrt((double) an[pick] * xn[pick]) : Math.sqrt(md[pick]);
            int q = pick;
            Scan.blocks(m, (from, to) -> {
                for (int i = from; i < to; i++) {
                    double ip = Vectors.dot(p, i * c, p, q * c, c) * Vectors.dot(x, i * d, x, q * d, d);
                    double dist = Math.max(0, (double) an[i] * xn[i] + (double) an[q] * xn[q] - 2 * ip);
                    if (dist < md[i]) {
                        md[i] = dist;
                    }
                }
            });
        }
        return new Ranking(rows, scores);
    }

    /** A D^2 draw among unpicked rows; a uniform one when all distances are zero. */
    private static int draw(double[] md, boolean[] picked, SplittableRandom rng) {
        double total = 0;
        for (int i = 0; i < md.length; i++) {
            if (!picked[i]) {
                total += md[i];
            }
        }
        double r = rng.nextDouble() * total;
        double acc = 0;
        int last = -1;
        for (int i = 0; i < md.length; i++) {
            if (picked[i]) {
                continue;
            }
            last = i;
            if (total > 0) {
                acc += md[i];
                if (acc > r) {
                    return i;
                }
            }
        }
        if (total > 0) {
            return last;
        }
        int left = 0;
        for (boolean b : picked) {
            left += b ? 0 : 1;
        }
        int nth = rng.nextInt(left);
        for (int i = 0; i < md.length; i++) {
            if (!picked[i] && nth-- == 0) {
                return i;
            }
        }
        return last;
    }
}
