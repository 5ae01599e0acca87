package dev.winnow.sampling.strategy;

import static dev.winnow.sampling.PoolDir.ids;
import static dev.winnow.sampling.PoolDir.scores;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.winnow.sampling.PoolDir;
import dev.winnow.sampling.SelectionResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Uncertainty measures and strategies on rows whose scores are worked out by hand. */
class UncertaintyTest {
    @TempDir
    Path dir;

    // s0 confident, s1 two-way tie, s2 spread over three, s3 close second
    static final float[][] P = {
        {0.9f, 0.05f, 0.05f},
        {0.5f, 0.5f, 0f},
        {0.4f, 0.3f, 0.3f},
        {0.6f, 0.4f, 0f},
    };

    private static double score(Uncertainty u, float... p) {
        return u.score(p, 0, p.length);
    }

    @Test
    void measuresByHand() {
        assertEquals(0.1, score(Uncertainty.LEAST_CONFIDENCE, P[0]), 1e-6);
        assertEquals(0.6, score(Uncertainty.LEAST_CONFIDENCE, P[2]), 1e-6);
        assertEquals(1 - (0.9 - 0.05), score(Uncertainty.MARGIN, P[0]), 1e-6);
        assertEquals(1.0, score(Uncertainty.MARGIN, P[1]), 1e-6);
        assertEquals(0.9, score(Uncertainty.MARGIN, P[2]), 1e-6);
        assertEquals(0.4 / 0.6, score(Uncertainty.RATIO, P[3]), 1e-6);
        assertEquals(0.75, score(Uncertainty.RATIO, P[2]), 1e-6);
        assertEquals(Math.log(2), score(Uncertainty.ENTROPY, P[1]), 1e-6);
        assertEquals(-(0.4 * Math.log(0.4) + 2 * 0.3 * Math.log(0.3)), score(Uncertainty.ENTROPY, P[2]), 1e-6);
    }

    @Test
    void strategiesRankMostUncertainFirst() {
        PoolDir pool = new PoolDir(dir, 4).probs(P);
        assertEquals(List.of("s2", "s1", "s3", "s0"), ids(pool.select("least-confidence", 4)));
        assertEquals(List.of("s1", "s2", "s3", "s0"), ids(pool.select("margin", 4)));
        assertEquals(List.of("s1", "s2", "s3"), ids(pool.select("ratio", 3)));
        assertEquals(List.of("s2", "s1"), ids(pool.select("entropy", 2)));
        assertArrayEquals(new double[] {1.0, 0.9}, scores(pool.select("margin", 2)), 1e-6);
        assertEquals(List.of("s2", "s3"), ids(pool.select("margin", 2, Set.of("s1"), Map.of(), 0)));
    }

    @Test
    void uncertaintyMixWithPOneIsPlainUncertaintyAndWithPZeroIsRandom() {
        PoolDir pool = new PoolDir(dir, 4).probs(P);
        assertEquals(List.of("s1", "s2", "s3"), ids(pool.select("uncertainty-mix", 3, Set.of(),
                Map.of("p", "1"), 5)));
        SelectionResult r = pool.select("uncertainty-mix", 4, Set.of(), Map.of("p", "0"), 5);
        assertEquals(Set.of("s0", "s1", "s2", "s3"), Set.copyOf(ids(r)));
        assertEquals(List.of("s1", "s2"), ids(pool.select("uncertainty-mix", 2, Set.of(),
                Map.of("p", "1", "measure", "margin"), 5)));
    }

    @Test
    void detectionsAggregateBoxesPerImage() {
        // a: boxes 0.9 and 0.6 -> least-confidence (of [s, 1-s]) 0.1 and 0.4; b: one box with probs; c: none
        PoolDir pool = new PoolDir(dir, 3).file("detections.jsonl", """
                {"id": "s0", "boxes": [{"label": "car", "score": 0.9, "bbox": [0,0,1,1]}, {"label": "car", "score": 0.6, "bbox": [0,0,1,1]}]}
                {"id": "s1", "boxes": [{"label": "cat", "score": 0.7, "probs": [0.7, 0.2, 0.1], "bbox": [0,0,1,1]}]}
                """);
        assertArrayEquals(new double[] {0.4, 0.3, 0}, scores(pool.select("least-confidence", 3,
                Set.of(), Map.of("aggregation", "max"), 0)), 1e-6);
        assertEquals(List.of("s0", "s1", "s2"), ids(pool.select("least-confidence", 3, Set.of(),
                Map.of("aggregation", "sum"), 0)));
        assertArrayEquals(new double[] {0.5, 0.3, 0.25}, scores(pool.select("least-confidence", 3,
                Set.of(), Map.of("aggregation", "sum", "empty-score", "0.25"), 0)), 1e-6);
        assertArrayEquals(new double[] {0.3, 0.25}, scores(pool.select("least-confidence", 2,
                Set.of(), Map.of("aggregation", "mean"), 0)), 1e-6);
        assertEquals(List.of("s2", "s0"), ids(pool.select("least-confidence", 2, Set.of(),
                Map.of("empty-score", "1"), 0)));
    }

    @Test
    void coralOnDetectionsWeighsAggregatedBoxUncertaintyAgainstDiversity() {
        // s0, s1 side by side, s2, s3 far off; least-confidence of the best box: s0 0.05, s1 0.5, s2 0.05, s3 0.3
        PoolDir pool = new PoolDir(dir, 4).embeddings(new float[][] {{0, 0}, {0, 0.1f}, {10, 0}, {10, 0.1f}})
                .file("detections.jsonl", """
                {"id": "s0", "boxes": [{"label": "car", "score": 0.95, "bbox": [0,0,1,1]}]}
                {"id": "s1", "boxes": [{"label": "car", "score": 0.5, "bbox": [0,0,1,1]}, {"label": "car", "score": 0.9, "bbox": [0,0,1,1]}]}
                {"id": "s2", "boxes": [{"label": "car", "score": 0.95, "bbox": [0,0,1,1]}]}
                {"id": "s3", "boxes": [{"label": "car", "score": 0.7, "bbox": [0,0,1,1]}]}
                """);
        SelectionResult r = pool.select("coral", 2, Set.of(), Map.of("measures", "least-confidence"), 0);
        // first pick: no centre yet, so uncertainty alone (s1, scaled to 1); then s3: far from s1 and unsure
        assertEquals(List.of("s1", "s3"), ids(r));
        assertEquals(2.0, scores(r)[0], 1e-6);
        assertEquals(Math.sqrt(100 + 0.0) / Math.sqrt(100.0) + 0.3 / 0.5, scores(r)[1], 1e-3);
        // s1 labeled: without the uncertainty term the farthest (s2) comes first, with it the unsure s3
        assertEquals(List.of("s2"), ids(pool.select("coral", 1, Set.of("s1"),
                Map.of("measures", "least-confidence", "weight", "0"), 0)));
        assertEquals(List.of("s3"), ids(pool.select("coral", 1, Set.of("s1"), Map.of("measures", "least-confidence"), 0)));
    }

    @Test
    void objectFrequencyPrefersRareClasses() {
        // car appears 3 times, bus once: s1 (one bus) = 1, s0 (two cars) = 2/3, s2 (a car) = 1/3
        PoolDir pool = new PoolDir(dir, 4).file("detections.jsonl", """
                {"id": "s0", "boxes": [{"label": "car", "score": 0.9, "bbox": [0,0,1,1]}, {"label": "car", "score": 0.8, "bbox": [0,0,1,1]}]}
                {"id": "s1", "boxes": [{"label": "bus", "score": 0.7, "bbox": [0,0,1,1]}, {"label": "bus", "score": 0.2, "bbox": [0,0,1,1]}]}
                {"id": "s2", "boxes": [{"label": "car", "score": 0.5, "bbox": [0,0,1,1]}]}
                """);
        SelectionResult r = pool.select("object-frequency", 4);
        assertEquals(List.of("s1", "s0", "s2", "s3"), ids(r));
        assertArrayEquals(new double[] {1, 2 / 3.0, 1 / 3.0, 0}, scores(r), 1e-9);
    }

    @Test
    void baldAndVariationRatioOnDropoutSamples() {
        // s0: samples agree on class 0; s1: each sample is sure but they disagree
        float[][][] mc = {
            {{0.9f, 0.1f}, {1f, 0f}},
            {{0.9f, 0.1f}, {0f, 1f}},
        };
        PoolDir pool = new PoolDir(dir, 2).mc(mc);
        SelectionResult bald = pool.select("bald", 2);
        assertEquals(List.of("s1", "s0"), ids(bald));
        // s1: H([0.5,0.5]) - mean(H(1,0), H(0,1)) = ln 2; s0: identical samples -> 0
        assertArrayEquals(new double[] {Math.log(2), 0}, scores(bald), 1e-6);
        SelectionResult vr = pool.select("variation-ratio", 2);
        assertEquals(List.of("s1", "s0"), ids(vr));
        assertArrayEquals(new double[] {0.5, 0}, scores(vr), 1e-9);
    }

    @Test
    void marginAndRatioMatchSortingOnRowsWithTiesAndZeros() {
        java.util.Random rnd = new java.util.Random(17);
        for (int t = 0; t < 20000; t++) {
            int n = 1 + rnd.nextInt(40);
            float[] p = new float[n + 3];
            for (int i = 3; i < p.length; i++) {
                // few distinct values, so ties and zeros are common; the sign of a zero too
                int v = rnd.nextInt(6);
                p[i] = v == 0 ? (rnd.nextBoolean() ? 0f : -0f) : v / 8f;
            }
            float[] sorted = java.util.Arrays.copyOfRange(p, 3, p.length);
            java.util.Arrays.sort(sorted);
            float p1 = sorted[n - 1];
            float p2 = n > 1 ? sorted[n - 2] : 0;
            double margin = n == 1 ? 0 : 1.0 - ((double) p1 - p2);
            double ratio = n == 1 || !(p1 > 0) ? 0 : (double) p2 / p1;
            assertEquals(margin, Uncertainty.MARGIN.score(p, 3, n), 0.0, java.util.Arrays.toString(p));
            assertEquals(Math.abs(ratio), Math.abs(Uncertainty.RATIO.score(p, 3, n)), 0.0, java.util.Arrays.toString(p));
        }
    }
}
