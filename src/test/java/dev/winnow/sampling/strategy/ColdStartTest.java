package dev.winnow.sampling.strategy;

import static dev.winnow.sampling.PoolDir.ids;
import static dev.winnow.sampling.PoolDir.scores;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.winnow.sampling.PoolDir;
import dev.winnow.sampling.SamplingException;
import dev.winnow.sampling.SelectionResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cold-start strategies on small cases worked out by hand. */
class ColdStartTest {
    @TempDir
    Path dir;

    /**
     * Two plus-shaped clusters (a centre and four arms at distance 1), around (0, 0) as s0..s4 and
     * around (10, 0) as s5..s9, and an outlier s10 at (50, 50).
     */
    static final float[][] PLUSES = {
        {0, 0}, {1, 0}, {-1, 0}, {0, 1}, {0, -1},
        {10, 0}, {11, 0}, {9, 0}, {10, 1}, {10, -1},
        {50, 50}};

    static final Map<String, String> SMALL_IS_TWO = Map.of("min-cluster-size", "2");

    @Test
    void typiClustPicksTheDenseCentresNeverTheOutlier() {
        PoolDir pool = new PoolDir(dir, PLUSES.length).embeddings(PLUSES);
        // 3 clusters: the two pluses and the outlier alone, which is too small to pick from first.
        // K = min(20, 5 / 2) = 2: a centre's two nearest are arms at 1 (typicality 1 / 1), an arm's
        // are the centre at 1 and an arm at sqrt 2 (1 / 1.207). The third pick is in a plus again,
        // among its arms: two nearest at sqrt 2 each
        SelectionResult r = pool.select("typiclust", 3, Set.of(), SMALL_IS_TWO, 5);
        List<String> got = ids(r);
        assertEquals(Set.of("s0", "s5"), Set.copyOf(got.subList(0, 2)), got.toString());
        assertFalse(got.contains("s10"), got.toString());
        assertArrayEquals(new double[] {1 / (1 + 1e-5), 1 / (1 + 1e-5), 1 / (Math.sqrt(2) + 1e-5)}, scores(r), 1e-6);
        // with 2 clusters k-means may put both pluses in one; the centres are still the most typical
        for (long seed = 0; seed < 5; seed++) {
            assertEquals(Set.of("s0", "s5"), Set.copyOf(ids(pool.select("typiclust", 2, Set.of(), Map.of(), seed))));
        }
    }

    @Test
    void typiClustLeavesAClusterAlreadyLabeledForLater() {
        PoolDir pool = new PoolDir(dir, PLUSES.length).embeddings(PLUSES);
        // s0 labeled: the left plus holds a sample, so the first pick is the right plus's centre;
        // then both pluses hold one (the outlier's cluster is small) and only arms are left in
        // either: each has two nearest at sqrt 2 (K = min(20, 4 / 2) = 2)
        SelectionResult r = pool.select("typiclust", 2, Set.of("s0"), SMALL_IS_TWO, 1);
        assertEquals("s5", ids(r).get(0));
        assertTrue(Set.of("s1", "s2", "s3", "s4", "s6", "s7", "s8", "s9").contains(ids(r).get(1)), ids(r).toString());
        assertEquals(1 / (Math.sqrt(2) + 1e-5), scores(r)[1], 1e-6);
    }

    @Test
    void typiClustWithTheDefaultsStillTakesEveryCandidateWhenAllClustersAreSmall() {
        PoolDir pool = new PoolDir(dir, PLUSES.length).embeddings(PLUSES);
        // every cluster has fewer than 6 points, so all are "small" and the usual order holds
        SelectionResult r = pool.select("typiclust", PLUSES.length, Set.of(), Map.of(), 2);
        assertEquals(PLUSES.length, Set.copyOf(ids(r)).size());
    }

    @Test
    void typiClustRefusesBadParameters() {
        PoolDir pool = new PoolDir(dir, PLUSES.length).embeddings(PLUSES);
        SamplingException e = assertThrows(SamplingException.class,
                () -> pool.select("typiclust", 1, Set.of(), Map.of("neighbours", "0"), 0));
        assertEquals("--param neighbours=0: must be at least 1", e.getMessage());
    }

    // points on a line: 0, 1, 2, 10, 11, 20
    static final float[][] LINE = DiversityTest.LINE;

    @Test
    void probCoverPicksTheBallCoveringMostThenTheNextUncovered() {
        PoolDir pool = new PoolDir(dir, 6).embeddings(LINE);
        // delta 1.5: s1's ball holds s0, s1, s2 (3); s3 and s4 hold each other (2); s5 only itself.
        // After s1 only s3 or s4 gains 2, then s5 gains 1, then nothing is left to cover
        SelectionResult r = pool.select("probcover", 4, Set.of(), Map.of("delta", "1.5"), 0);
        List<String> got = ids(r);
        assertEquals("s1", got.get(0));
        assertTrue(Set.of("s3", "s4").contains(got.get(1)), got.toString());
        assertEquals("s5", got.get(2));
        assertArrayEquals(new double[] {3, 2, 1, 0}, scores(r));
    }

    @Test
    void probCoverCountsWhatTheLabeledSamplesCoverAsCovered() {
        PoolDir pool = new PoolDir(dir, 6).embeddings(LINE);
        // s4 labeled covers s3 and s4, so s3 gains nothing and s5 comes right after s1
        SelectionResult r = pool.select("probcover", 3, Set.of("s4"), Map.of("delta", "1.5"), 0);
        assertEquals(List.of("s1", "s5"), ids(r).subList(0, 2));
        assertArrayEquals(new double[] {3, 1, 0}, scores(r));
    }

    @Test
    void probCoverChoosesDeltaByThePurityRule() {
        PoolDir pool = new PoolDir(dir, 6).embeddings(LINE);
        // 3 clusters {0, 1, 2}, {10, 11}, {20}: each point's distance to another cluster is
        // 10, 9, 8, 8, 9, 9; purity 0.95 of 6 allows no impure ball, so delta is just below 8:
        // 0..2 cover their group (3), 10 and 11 theirs (2), 20 itself (1)
        SelectionResult r = pool.select("probcover", 3, Set.of(), Map.of("clusters", "3"), 4);
        List<String> got = ids(r);
        assertTrue(Set.of("s0", "s1", "s2").contains(got.get(0)), got.toString());
        assertTrue(Set.of("s3", "s4").contains(got.get(1)), got.toString());
        assertEquals("s5", got.get(2));
        assertArrayEquals(new double[] {3, 2, 1}, scores(r));
        // purity 0.5 lets 3 balls be impure: delta just below 9, so s2's ball reaches s3 (at 8)
        SelectionResult loose = pool.select("probcover", 1, Set.of(), Map.of("clusters", "3", "purity", "0.5"), 4);
        assertEquals(List.of("s2"), ids(loose));
        assertArrayEquals(new double[] {4}, scores(loose));
    }
}
