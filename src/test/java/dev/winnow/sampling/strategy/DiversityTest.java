package dev.winnow.sampling.strategy;

import static dev.winnow.sampling.PoolDir.ids;
import static dev.winnow.sampling.PoolDir.scores;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.winnow.sampling.PoolDir;
import dev.winnow.sampling.SelectionResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Embedding-based strategies on small cases worked out by hand. */
class DiversityTest {
    @TempDir
    Path dir;

    // points on a line: 0, 1, 2, 10, 11, 20
    static final float[][] LINE = {{0, 0}, {1, 0}, {2, 0}, {10, 0}, {11, 0}, {20, 0}};

    @Test
    void coresetStartsFromTheExcludedCentres() {
        PoolDir pool = new PoolDir(dir, 6).embeddings(LINE);
        // centre at 0: farthest is 20 (d 20); then 10 (d 10 to 0 vs 10 to 20 -> 10); then 2 or 11 (d 2 / 1)...
        SelectionResult r = pool.select("coreset", 3, Set.of("s0"), Map.of(), 0);
        assertEquals(List.of("s5", "s3", "s2"), ids(r));
        assertArrayEquals(new double[] {20, 10, 2}, scores(r), 1e-6);
    }

    @Test
    void coresetWithoutCentresStartsAtASeededSampleWithScoreZero() {
        PoolDir pool = new PoolDir(dir, 6).embeddings(LINE);
        SelectionResult a = pool.select("coreset", 2, Set.of(), Map.of(), 1);
        assertEquals(0, a.selected().get(0).score());
        assertTrue(a.selected().get(1).score() >= 9, "second pick is far from the first");
    }

    @Test
    void clusterBalancedTakesAnEqualShareNearestTheCentreFirst() {
        // two clear clusters, around 0 and around 100; the centre-most points are s1 and s4
        float[][] e = {{-1, 0}, {0, 0}, {1.5f, 0}, {99, 0}, {100, 0}, {102, 0}};
        PoolDir pool = new PoolDir(dir, 6).embeddings(e);
        SelectionResult r = pool.select("cluster-balanced", 4, Set.of(), Map.of("clusters", "2"), 3);
        List<String> got = ids(r);
        assertEquals(Set.of("s1", "s4"), Set.copyOf(got.subList(0, 2)), got.toString());
        assertEquals(Set.of("s0", "s3"), Set.copyOf(got.subList(2, 4)), got.toString());
        assertEquals(2, got.stream().filter(id -> List.of("s0", "s1", "s2").contains(id)).count());
    }

    @Test
    void clusterBalancedQuotasPassOverflowOn() {
        List<List<Integer>> members = List.of(List.of(0), List.of(1, 2, 3, 4, 5), List.of(6, 7, 8));
        Integer[] bySize = {1, 2, 0};
        assertArrayEquals(new int[] {1, 4, 3}, ClusterBalanced.quotas(members, bySize, 8));
        assertArrayEquals(new int[] {1, 2, 2}, ClusterBalanced.quotas(members, bySize, 5));
        assertArrayEquals(new int[] {0, 1, 1}, ClusterBalanced.quotas(members, bySize, 2));
    }

    @Test
    void coralTradesDiversityForUncertainty() {
        // s1 and s2 are equally far from the centre s0; s2 is uncertain, s1 is not
        float[][] e = {{0, 0}, {5, 0}, {-5, 0}};
        float[][] p = {{1, 0}, {1, 0}, {0.5f, 0.5f}};
        PoolDir pool = new PoolDir(dir, 3).embeddings(e).probs(p);
        SelectionResult r = pool.select("coral", 1, Set.of("s0"), Map.of("measures", "margin"), 0);
        assertEquals(List.of("s2"), ids(r));
        assertEquals(2.0, r.selected().get(0).score(), 1e-6);
        // with weight 0 it is coreset again and the tie between s1 and s2 is the seed's
        SelectionResult pure = pool.select("coral", 2, Set.of("s0"), Map.of("weight", "0"), 0);
        assertEquals(Set.of("s1", "s2"), Set.copyOf(ids(pure)));
    }

    @Test
    void badgeFirstPicksTheLargestGradientThenSpreadsOut() {
        // gradient norm = |p - e_y| |x|: s2 has the most uncertainty and the largest embedding
        float[][] p = {{0.9f, 0.1f}, {0.8f, 0.2f}, {0.5f, 0.5f}, {0.9f, 0.1f}};
        float[][] e = {{1, 0}, {1, 0}, {3, 0}, {0, 1}};
        PoolDir pool = new PoolDir(dir, 4).probs(p).embeddings(e);
        SelectionResult r = pool.select("badge", 1);
        assertEquals(List.of("s2"), ids(r));
        // |p - e_y|^2 = 0.5, |x|^2 = 9 -> norm sqrt(4.5)
        assertEquals(Math.sqrt(4.5), r.selected().get(0).score(), 1e-6);
        assertEquals(4, Set.copyOf(ids(pool.select("badge", 4))).size());
    }

    @Test
    void badgeFactorisedDistanceMatchesTheOuterProduct() {
        float[] a = {0.3f, -0.3f};
        float[] x = {1, 2, 3};
        float[] b = {-0.2f, 0.2f};
        float[] y = {0, 1, -1};
        double direct = 0;
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                double g = a[i] * x[j] - b[i] * y[j];
                direct += g * g;
            }
        }
        double factorised = Vectors.dot(a, 0, a, 0, 2) * Vectors.dot(x, 0, x, 0, 3)
                + Vectors.dot(b, 0, b, 0, 2) * Vectors.dot(y, 0, y, 0, 3)
                - 2 * Vectors.dot(a, 0, b, 0, 2) * Vectors.dot(x, 0, y, 0, 3);
        assertEquals(direct, factorised, 1e-5);
    }

    @Test
    void clusterMarginTakesOnePerClusterFromTheMostUncertain() {
        // six uncertain samples in three tight clusters, two confident ones far away
        float[][] e = {{0, 0}, {0.1f, 0}, {50, 0}, {50.1f, 0}, {100, 0}, {100.1f, 0}, {500, 0}, {-500, 0}};
        float[][] p = new float[8][];
        for (int i = 0; i < 6; i++) {
            p[i] = new float[] {0.5f, 0.5f};
        }
        p[6] = new float[] {1, 0};
        p[7] = new float[] {1, 0};
        PoolDir pool = new PoolDir(dir, 8).probs(p).embeddings(e);
        SelectionResult r = pool.select("cluster-margin", 3, Set.of(), Map.of("candidates", "2"), 4);
        List<String> got = ids(r);
        assertEquals(3, got.size());
        for (String[] pair : new String[][] {{"s0", "s1"}, {"s2", "s3"}, {"s4", "s5"}}) {
            assertEquals(1, got.stream().filter(id -> id.equals(pair[0]) || id.equals(pair[1])).count(), got.toString());
        }
    }
}
