package dev.winnow.sampling.strategy;

import static dev.winnow.sampling.PoolDir.ids;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.winnow.sampling.Npy;
import dev.winnow.sampling.PoolDir;
import dev.winnow.sampling.SamplingException;
import dev.winnow.sampling.SelectRequest;
import dev.winnow.sampling.Sampler;
import dev.winnow.sampling.SelectionResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Properties every strategy keeps, over random pools: exact count, no excluded id, determinism. */
class PropertiesTest {
    static final int N = 300;

    @TempDir
    static Path dir;

    static PoolDir pool;
    static Set<String> excluded;

    static List<String> strategies() {
        return List.copyOf(Strategies.names());
    }

    @BeforeAll
    static void randomPool() throws Exception {
        Random rnd = new Random(11);
        float[][] p = new float[N][5];
        float[][] e = new float[N][8];
        float[][][] mc = new float[4][N][5];
        for (int i = 0; i < N; i++) {
            p[i] = softmax(rnd, 5);
            for (int t = 0; t < 4; t++) {
                mc[t][i] = softmax(rnd, 5);
            }
            for (int j = 0; j < 8; j++) {
                e[i][j] = (float) rnd.nextGaussian() + (i % 3) * 4;
            }
        }
        pool = new PoolDir(dir, N).probs(p).embeddings(e).mc(mc);
        StringBuilder det = new StringBuilder();
        for (int i = 0; i < N; i += 2) {
            det.append("{\"id\": \"s").append(i).append("\", \"boxes\": [{\"label\": \"c").append(rnd.nextInt(3))
                    .append("\", \"score\": ").append(rnd.nextDouble()).append(", \"bbox\": [0, 0, 4, 4]}]}\n");
        }
        pool.file("detections.jsonl", det.toString());
        excluded = new HashSet<>();
        for (int i = 0; i < 60; i++) {
            excluded.add("s" + rnd.nextInt(N));
        }
        excluded.add("not-in-the-pool");
    }

    static float[] softmax(Random rnd, int c) {
        float[] v = new float[c];
        double s = 0;
        for (int j = 0; j < c; j++) {
            v[j] = (float) Math.exp(rnd.nextGaussian() * 2);
            s += v[j];
        }
        for (int j = 0; j < c; j++) {
            v[j] /= s;
        }
        return v;
    }

    @ParameterizedTest
    @MethodSource("strategies")
    void exactCountNoExcludedIdAndDeterministic(String strategy) {
        for (int count : new int[] {1, 17, 50}) {
            SelectionResult a = pool.select(strategy, count, excluded, Map.of(), 7);
            SelectionResult b = pool.select(strategy, count, excluded, Map.of(), 7);
            List<String> got = ids(a);
            assertEquals(count, got.size());
            assertEquals(count, Set.copyOf(got).size(), "no id twice");
            for (String id : got) {
                assertFalse(excluded.contains(id), id + " was excluded");
            }
            assertEquals(got, ids(b), "same inputs and seed give the same selection");
            for (int i = 0; i < count; i++) {
                assertEquals(i + 1, a.selected().get(i).rank());
            }
        }
    }

    @ParameterizedTest
    @MethodSource("strategies")
    void canTakeEveryCandidate(String strategy) {
        int left = N - (int) excluded.stream().filter(id -> !id.equals("not-in-the-pool")).count();
        SelectionResult r = pool.select(strategy, left, excluded, Map.of(), 3);
        assertEquals(left, Set.copyOf(ids(r)).size());
    }

    @Test
    void theSeedMattersForRandomChoices() {
        assertNotEquals(ids(pool.select("random", 20, Set.of(), Map.of(), 1)),
                ids(pool.select("random", 20, Set.of(), Map.of(), 2)));
        assertNotEquals(ids(pool.select("uncertainty-mix", 40, Set.of(), Map.of("p", "0.5"), 1)),
                ids(pool.select("uncertainty-mix", 40, Set.of(), Map.of("p", "0.5"), 2)));
    }

    @Test
    void uncertaintyScoresAreNonIncreasingInRankOrder() {
        for (String s : List.of("least-confidence", "margin", "ratio", "entropy", "bald", "variation-ratio")) {
            SelectionResult r = pool.select(s, 100, excluded, Map.of(), 0);
            for (int i = 1; i < r.count(); i++) {
                assertTrue(r.selected().get(i - 1).score() >= r.selected().get(i).score(), s);
            }
        }
    }

    @Test
    void totalCountsTheExcludedIds() {
        Sampler sampler = new Sampler();
        SelectRequest base = SelectRequest.count(pool.dir, "margin", 1).withExclude(excluded);
        // total = excluded + 25 adds 25, wherever the excluded ids are
        SelectionResult r = sampler.select(base.withTotal(excluded.size() + 25));
        assertEquals(25, r.count());
        assertEquals(ids(pool.select("margin", 25, excluded, Map.of(), 0)), ids(r));
        assertEquals(0, sampler.select(base.withTotal(excluded.size())).count(), "already at the total");
        SamplingException e = assertThrows(SamplingException.class,
                () -> sampler.select(base.withTotal(excluded.size() - 1)));
        assertTrue(e.getMessage().startsWith("--total " + (excluded.size() - 1) + ": smaller than the "
                + excluded.size() + " ids already excluded"), e.getMessage());
    }

    @Test
    void randomIsRoughlyUniform() throws Exception {
        Path d = Files.createTempDirectory(dir, "uniform");
        Npy.ids(d.resolve("ids.txt"), Npy.ids("u", 10));
        int[] hits = new int[10];
        for (int seed = 0; seed < 2000; seed++) {
            SelectionResult r = new Sampler().select(SelectRequest.count(d, "random", 3).withSeed(seed));
            for (String id : ids(r)) {
                hits[Integer.parseInt(id.substring(1))]++;
            }
        }
        for (int h : hits) {
            assertTrue(Math.abs(h - 600) < 100, "each id near 3/10 of 2000 draws: " + h);
        }
    }
}
