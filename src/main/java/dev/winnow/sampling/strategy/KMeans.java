package dev.winnow.sampling.strategy;

import dev.winnow.sampling.io.Matrix;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntUnaryOperator;
import java.util.stream.IntStream;

/**
 * Lloyd's k-means with k-means++ seeding, deterministic for a seed. Assignment is
 * {@link Nearest} (a DJL GEMM when the problem is large); centre sums are taken per block and
 * combined in block order, so the result does not depend on thread scheduling. A cluster that
 * empties keeps its previous centre.
 */
final class KMeans {
    /** centres k x d row-major; assign[i] and dist2[i] per row of the input. */
    record Fit(int k, float[] centres, int[] assign, float[] dist2) {
        /** Each cluster's points in input order, as {@code label.applyAsInt(i)} for input row i. */
        List<List<Integer>> members(IntUnaryOperator label) {
            List<List<Integer>> members = new ArrayList<>();
            for (int j = 0; j < k; j++) {
                members.add(new ArrayList<>());
            }
            for (int i = 0; i < assign.length; i++) {
                members.get(assign[i]).add(label.applyAsInt(i));
            }
            return members;
        }
    }

    private KMeans() {
    }

    static Fit fit(Matrix x, int k, long seed, int iterations) {
        int n = Math.toIntExact(x.rows());
        int d = x.cols();
        k = Math.min(k, n);
        float[] centres = plusPlus(x, k, seed);
        int[] assign = new int[n];
        float[] dist2 = new float[n];
        Nearest.assign(x, centres, k, assign, dist2);
        for (int it = 0; it < iterations; it++) {
            float[] next = means(x, assign, k, centres);
            int[] before = assign.clone();
            Nearest.assign(x, next, k, assign, dist2);
            centres = next;
            if (Arrays.equals(before, assign)) {
                break;
            }
        }
        return new Fit(k, centres, assign, dist2);
    }

    /** k-means++: each next centre drawn with probability proportional to squared distance. */
    static float[] plusPlus(Matrix x, int k, long seed) {
        int n = Math.toIntExact(x.rows());
        int d = x.cols();
        SplittableRandom rng = new SplittableRandom(seed);
        float[] centres = new float[k * d];
        float[] md = new float[n];
        Arrays.fill(md, Float.POSITIVE_INFINITY);
        int first = rng.nextInt(n);
        x.read(first, 1, centres, 0);
        for (int j = 0; j < k; j++) {
            if (j > 0) {
                double total = 0;
                for (float v : md) {
                    total += v;
                }
                int pick = n - 1;
                if (total > 0) {
                    double r = rng.nextDouble() * total;
                    double acc = 0;
                    for (int i = 0; i < n; i++) {
                        acc += md[i];
                        if (acc > r) {
                            pick = i;
                            break;
                        }
                    }
                } else {
                    pick = rng.nextInt(n);
                }
                x.read(pick, 1, centres, j * d);
            }
            int c = j;
            Scan.blocks(n, (from, to) -> {
                float[] row = new float[(to - from) * d];
                x.read(from, to - from, row, 0);
                for (int i = from; i < to; i++) {
                    md[i] = Math.min(md[i], Vectors.dist2(row, (i - from) * d, centres, c * d, d));
                }
            });
        }
        return centres;
    }

    private static float[] means(Matrix x, int[] assign, int k, float[] previous) {
        int n = assign.length;
        int d = x.cols();
        int blocks = (n + Scan.BLOCK - 1) / Scan.BLOCK;
        double[][] sums = new double[blocks][];
        int[][] counts = new int[blocks][];
        IntStream.range(0, blocks).parallel().forEach(b -> {
            int from = b * Scan.BLOCK;
            int to = Math.min(n, from + Scan.BLOCK);
            float[] row = new float[(to - from) * d];
            x.read(from, to - from, row, 0);
            double[] s = new double[k * d];
            int[] c = new int[k];
            for (int i = from; i < to; i++) {
                int a = assign[i];
                c[a]++;
                for (int t = 0; t < d; t++) {
                    s[a * d + t] += row[(i - from) * d + t];
                }
            }
            sums[b] = s;
            counts[b] = c;
        });
        double[] s = new double[k * d];
        int[] c = new int[k];
        for (int b = 0; b < blocks; b++) {
            for (int i = 0; i < s.length; i++) {
                s[i] += sums[b][i];
            }
            for (int j = 0; j < k; j++) {
                c[j] += counts[b][j];
            }
        }
        float[] out = previous.clone();
        for (int j = 0; j < k; j++) {
            if (c[j] > 0) {
                for (int t = 0; t < d; t++) {
                    out[j * d + t] = (float) (s[j * d + t] / c[j]);
                }
            }
        }
        return out;
    }
}
