package dev.winnow.sampling.strategy;

import static dev.winnow.sampling.PoolDir.ids;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.winnow.sampling.Npy;
import dev.winnow.sampling.PoolDir;
import dev.winnow.sampling.SelectionResult;
import dev.winnow.sampling.io.NpyHeader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The optimised code paths (parallel scans, bounded heap, DJL GEMM, pruned k-center) against
 * straightforward implementations written here, on random data with distinct values.
 */
class ReferenceCrossCheckTest {
    @TempDir
    Path dir;

    private static double entropy(float[] p) {
        double h = 0;
        for (float v : p) {
            h -= v > 0 ? v * Math.log(v) : 0;
        }
        return h;
    }

    private static double margin(float[] p) {
        float[] s = p.clone();
        Arrays.sort(s);
        return 1 - (s[s.length - 1] - s[s.length - 2]);
    }

    @Test
    void uncertaintyMatchesSortingEverything() {
        Random rnd = new Random(5);
        int n = 9000; // more than two scan blocks
        float[][] p = new float[n][];
        for (int i = 0; i < n; i++) {
            p[i] = PropertiesTest.softmax(rnd, 7);
        }
        PoolDir pool = new PoolDir(dir, n).probs(p);
        Set<String> ex = new HashSet<>();
        for (int i = 0; i < n; i += 3) {
            ex.add("s" + i);
        }
        for (String s : List.of("margin", "entropy")) {
            List<String> expected = IntStream.range(0, n).filter(i -> i % 3 != 0).boxed()
                    .sorted(Comparator.comparingDouble((Integer i) -> s.equals("margin") ? -margin(p[i]) : -entropy(p[i])))
                    .limit(50).map(i -> "s" + i).toList();
            assertEquals(expected, ids(pool.select(s, 50, ex, Map.of(), 0)), s);
        }
    }

    /** Textbook k-center greedy: full distance recomputation every step, in doubles. */
    private static List<Integer> kCenter(float[][] x, Set<Integer> centres, int k) {
        int n = x.length;
        double[] md = new double[n];
        Arrays.fill(md, Double.POSITIVE_INFINITY);
        List<Integer> all = new ArrayList<>(centres);
        List<Integer> chosen = new ArrayList<>();
        for (int c : all) {
            update(x, md, c);
        }
        for (int t = 0; t < k; t++) {
            int best = -1;
            for (int i = 0; i < n; i++) {
                if (!centres.contains(i) && !chosen.contains(i) && (best < 0 || md[i] > md[best])) {
                    best = i;
                }
            }
            chosen.add(best);
            update(x, md, best);
        }
        return chosen;
    }

    private static void update(float[][] x, double[] md, int c) {
        for (int i = 0; i < x.length; i++) {
            double s = 0;
            for (int j = 0; j < x[i].length; j++) {
                double dd = x[i][j] - x[c][j];
                s += dd * dd;
            }
            md[i] = Math.min(md[i], s);
        }
    }

    @Test
    void coresetMatchesTextbookKCenterOnClusteredAndUnclusteredData() {
        Random rnd = new Random(9);
        for (boolean clustered : new boolean[] {true, false}) {
            int n = 3000;
            int d = 12;
            float[][] centresOfMass = new float[20][d];
            for (float[] c : centresOfMass) {
                for (int j = 0; j < d; j++) {
                    c[j] = (float) rnd.nextGaussian() * 30;
                }
            }
            float[][] x = new float[n][d];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < d; j++) {
                    x[i][j] = (float) rnd.nextGaussian() + (clustered ? centresOfMass[i % 20][j] : 0);
                }
            }
            Path sub = dir.resolve("c" + clustered);
            PoolDir pool = new PoolDir(sub, n).embeddings(x);
            Set<Integer> centres = new HashSet<>();
            while (centres.size() < 100) {
                centres.add(rnd.nextInt(n));
            }
            Set<String> ex = new HashSet<>();
            centres.forEach(c -> ex.add("s" + c));
            List<String> expected = kCenter(x, centres, 60).stream().map(i -> "s" + i).toList();
            assertEquals(expected, ids(pool.select("coreset", 60, ex, Map.of(), 0)), "clustered=" + clustered);
        }
    }

    @Test
    void nearestCentreByGemmMatchesJava() {
        Random rnd = new Random(3);
        int n = 2000;
        int d = 16;
        int k = 37;
        float[] flat = new float[n * d];
        for (int i = 0; i < flat.length; i++) {
            flat[i] = (float) rnd.nextGaussian();
        }
        Path f = dir.resolve("x.npy");
        Npy.write(f, "<f4", false, flat, n, d);
        var x = NpyHeader.read(f, "x").matrix();
        float[] centres = Arrays.copyOf(flat, k * d);
        int[] a = new int[n];
        int[] b = new int[n];
        float[] da = new float[n];
        float[] db = new float[n];
        Nearest.withJavaForTest(x, centres, k, a);
        Nearest.withDjlForTest(x, centres, k, b);
        assertArrayEquals(a, b);
    }

    @Test
    void prunedNearestCentreMatchesTheFullProductOnClusteredAndIsotropicData() {
        Random rnd = new Random(11);
        int n = 6000;
        int d = 32;
        int k = 1500;
        for (boolean clustered : new boolean[] {true, false}) {
            float[] means = new float[40 * d];
            for (int i = 0; i < means.length; i++) {
                means[i] = (float) rnd.nextGaussian() * 8;
            }
            float[] flat = new float[n * d];
            for (int i = 0; i < n; i++) {
                for (int t = 0; t < d; t++) {
                    flat[i * d + t] = (float) rnd.nextGaussian() + (clustered ? means[(i % 40) * d + t] : 0);
                }
            }
            Path f = dir.resolve("p" + clustered + ".npy");
            Npy.write(f, "<f4", false, flat, n, d);
            var x = NpyHeader.read(f, "x").matrix();
            // the centres are rows of x, as coreset's excluded samples are
            float[] centres = Arrays.copyOf(flat, k * d);
            int[] full = new int[n];
            int[] pruned = new int[n];
            Nearest.withDjlForTest(x, centres, k, full);
            assertEquals(clustered, Nearest.withPivotsForTest(x, centres, k, pruned, false), "pays, clustered=" + clustered);
            Nearest.withPivotsForTest(x, centres, k, pruned, true);
            assertArrayEquals(full, pruned, "clustered=" + clustered);
        }
    }
}
