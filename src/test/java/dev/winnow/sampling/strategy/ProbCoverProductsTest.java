package dev.winnow.sampling.strategy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.winnow.sampling.PoolDir;
import dev.winnow.sampling.io.Predictions;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ProbCover's GEMM path ({@link BallGraph#products}, {@link BallGraph#clustered},
 * {@link PurityDelta#products}) against comparing
 * every pair in Java: the same delta, the same graph, the same picks and scores. Sizes cross the
 * block sizes (1,024 rows, 4,096 columns) so partial and diagonal blocks are exercised.
 */
class ProbCoverProductsTest {
    @TempDir
    Path dir;

    @Test
    void clusteredPicksMatchWithThePurityRule() {
        float[][] e = clustered(5000, 16, 10, 4, 1);
        assertSamePicks(e, Map.of(), new BitSet(), 60);
        assertSamePicks(e, Map.of("clusters", "7", "purity", "0.8"), new BitSet(), 60);
    }

    @Test
    void isotropicPicksMatchWithTheRuleAndAGivenDelta() {
        float[][] e = clustered(3000, 32, 1, 0, 2);
        assertSamePicks(e, Map.of(), new BitSet(), 40);
        assertSamePicks(e, Map.of("delta", "6.5"), new BitSet(), 40);
    }

    @Test
    void excludedRowsCoverFirstTheSameWay() {
        float[][] e = clustered(2500, 8, 5, 3, 3);
        BitSet excluded = new BitSet();
        for (int i = 0; i < e.length; i += 97) {
            excluded.set(i);
        }
        assertSamePicks(e, Map.of(), excluded, 30);
    }

    @Test
    void duplicatesAndTiesMatch() {
        // every point three times, some of them far off at one spot: equal gains, zero reaches
        Random r = new Random(4);
        float[][] e = new float[1500][];
        for (int i = 0; i < e.length; i += 3) {
            float[] p = new float[12];
            for (int t = 0; t < p.length; t++) {
                p[t] = i % 7 == 0 ? 50 : Math.round(r.nextGaussian() * 2);
            }
            e[i] = p;
            e[i + 1] = p.clone();
            e[i + 2] = p.clone();
        }
        assertSamePicks(e, Map.of(), new BitSet(), 40);
        assertSamePicks(e, Map.of("delta", "2"), new BitSet(), 40);
        assertSamePicks(e, Map.of("clusters", "40"), new BitSet(), 40);
    }

    @Test
    void pairsExactlyOnTheRadiusAreDecidedLikeDist2() {
        // an integer lattice far from the origin: squared distances are exact small integers while
        // the expanded form works with norms near 6e7, so its rounding straddles the radius
        int n = 3000;
        int d = 8;
        Random r = new Random(5);
        float[] x = new float[n * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = 2000 + r.nextInt(6);
        }
        for (float r2 : new float[] {8, 9, 10, Math.nextDown(9f), Math.nextUp(9f), 0, -1}) {
            BallGraph plain = BallGraph.exhaustive(x, n, d, r2);
            BallGraph fast;
            try (PairDistances p = new PairDistances(x, n, d)) {
                assertTrue(p.slack() > 1, "the expanded form is not exact here: " + p.slack());
                fast = BallGraph.products(p, x, n, d, r2);
            }
            assertArrayEquals(plain.start, fast.start, "r2 " + r2);
            assertArrayEquals(plain.adj, fast.adj, "r2 " + r2);
        }
        int onRadius = 0;
        for (int j = 1; j < n; j++) {
            onRadius += Vectors.dist2(x, 0, x, j * d, d) == 9 ? 1 : 0;
        }
        assertTrue(onRadius > 0, "some pairs lie exactly on the radius");
        assertSamePicks(rows(x, n, d), Map.of("delta", "3"), new BitSet(), 30);
        assertSamePicks(rows(x, n, d), Map.of(), new BitSet(), 30);
    }

    @Test
    void purityDeltaAndClusteredGraphMatchOnSeveralInputs() {
        for (float[][] e : new float[][][] {clustered(4500, 16, 10, 4, 6), clustered(1200, 4, 3, 1, 7),
                clustered(2000, 24, 1, 0, 8)}) {
            int n = e.length;
            int d = e[0].length;
            float[] x = flat(e);
            for (int k : new int[] {2, 10, 50}) {
                int[] label = KMeans.fit(new ArrayMatrix(x, n, d), k, 1, 25).assign();
                for (double purity : new double[] {0.95, 0.5, 1, 0}) {
                    float r2 = PurityDelta.exhaustive(x, n, d, label, purity);
                    PurityDelta.Rule rule = PurityDelta.products(x, n, d, label, purity);
                    String what = "k " + k + " purity " + purity;
                    assertEquals(r2, rule.r2(), what);
                    // only exposed rows reach across clusters: the graph from that is the whole graph
                    BallGraph plain = BallGraph.exhaustive(x, n, d, r2);
                    BallGraph fast = BallGraph.clustered(x, n, d, r2, label, rule.exposed());
                    assertArrayEquals(plain.start, fast.start, what);
                    assertArrayEquals(plain.adj, fast.adj, what);
                }
            }
        }
    }

    @Test
    void smallPoolsMatch() {
        for (int n = 1; n <= 9; n++) {
            float[][] e = clustered(n, 3, 2, 2, 10 + n);
            assertSamePicks(e, Map.of(), new BitSet(), n);
            assertSamePicks(e, Map.of("delta", "1"), new BitSet(), Math.max(1, n / 2));
        }
    }

    private void assertSamePicks(float[][] e, Map<String, String> params, BitSet excluded, int k) {
        Path pool = dir.resolve("pool-" + System.nanoTime());
        new PoolDir(pool, e.length).embeddings(e);
        Pool p = new Pool(Predictions.open(pool), excluded, 3, new Params(params, "probcover"));
        Ranking plain = new ProbCover(new Params(params, "probcover"), ProbCover.Pairs.EXHAUSTIVE).select(p, k);
        Ranking fast = new ProbCover(new Params(params, "probcover"), ProbCover.Pairs.PRODUCTS).select(p, k);
        assertArrayEquals(plain.rows(), fast.rows(), params.toString());
        assertArrayEquals(plain.scores(), fast.scores(), params.toString());
    }

    /** n points around `clusters` Gaussian centres spread by `spread` (0: one isotropic cloud). */
    private static float[][] clustered(int n, int d, int clusters, double spread, long seed) {
        Random r = new Random(seed);
        float[][] centres = new float[clusters][d];
        for (float[] c : centres) {
            for (int t = 0; t < d; t++) {
                c[t] = (float) (r.nextGaussian() * spread);
            }
        }
        float[][] e = new float[n][d];
        for (float[] row : e) {
            float[] c = centres[r.nextInt(clusters)];
            for (int t = 0; t < d; t++) {
                row[t] = c[t] + (float) r.nextGaussian();
            }
        }
        return e;
    }

    private static float[] flat(float[][] e) {
        int d = e[0].length;
        float[] x = new float[e.length * d];
        for (int i = 0; i < e.length; i++) {
            System.arraycopy(e[i], 0, x, i * d, d);
        }
        return x;
    }

    private static float[][] rows(float[] x, int n, int d) {
        float[][] e = new float[n][d];
        for (int i = 0; i < n; i++) {
            System.arraycopy(x, i * d, e[i], 0, d);
        }
        return e;
    }
}
