package dev.winnow.sampling.strategy;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The grouped scan answers ProbCover's all-pairs questions exactly as comparing every pair does. */
class CoverGroupsTest {

    @Test
    void ballsAndReachEqualThePlainScanOnClusteredAndOnStructurelessData() {
        for (boolean clustered : new boolean[]{true, false}) {
            int n = 5000;
            int d = 16;
            float[] x = data(n, d, clustered, 7);
            int[] label = new int[n];
            for (int i = 0; i < n; i++) {
                label[i] = i % 10;
            }
            if (clustered) {
                for (int i = 0; i < n; i++) {
                    label[i] = (int) (x[i * d] / 10); // the cluster each row was drawn around
                }
            }
            for (float r2 : new float[]{0.5f, 4f, 40f}) {
                int[][] plain = ProbCover.plainBalls(x, n, d, r2);
                int[][] grouped = ProbCover.balls(x, n, d, r2);
                for (int i = 0; i < n; i++) {
                    assertArrayEquals(plain[i], grouped[i], (clustered ? "clustered" : "isotropic") + " r2 " + r2 + " row " + i);
                }
            }
            float[] grouped = ProbCover.reach(x, n, d, label, true);
            float[] plain = new float[n];
            for (int i = 0; i < n; i++) {
                float best = Float.POSITIVE_INFINITY;
                for (int j = 0; j < n; j++) {
                    if (label[j] != label[i]) {
                        best = Math.min(best, Vectors.dist2(x, i * d, x, j * d, d));
                    }
                }
                plain[i] = best;
            }
            assertArrayEquals(plain, grouped, clustered ? "clustered" : "isotropic");
        }
    }

    @Test
    void everyRowIsInItsOwnBall() {
        float[] x = data(4500, 8, true, 3);
        int[][] balls = ProbCover.balls(x, 4500, 8, 0f);
        for (int i = 0; i < 4500; i++) {
            assertTrue(java.util.Arrays.binarySearch(balls[i], i) >= 0, "row " + i);
        }
    }

    /** Ten Gaussian clusters 10 apart along the first axis, or one isotropic Gaussian. */
    static float[] data(int n, int d, boolean clustered, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n * d];
        for (int i = 0; i < n; i++) {
            int c = clustered ? r.nextInt(10) : 0;
            for (int k = 0; k < d; k++) {
                x[i * d + k] = (float) r.nextGaussian() + (k == 0 ? 10 * c + 5 : 0);
            }
        }
        return x;
    }
}
