package dev.winnow.sampling.strategy;

import dev.winnow.sampling.PoolDir;
import dev.winnow.sampling.io.Predictions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Benchmark: ProbCover's first pick (purity rule, no labels yet) on N x 64 clustered embeddings (ten Gaussian
 * clusters, as a self-supervised encoder gives for ten classes) choosing 200: the grouped scan (what
 * `winnow select --strategy probcover` runs) against the exhaustive one, in the same process, with the picks
 * compared. The exhaustive one runs once (it takes minutes at 60,000), the grouped one {@code --reps} times
 * (median).
 *
 * <pre>
 * ./mvnw -o -q test-compile
 * java -cp "target/test-classes:target/classes:$(cat target/classpath.txt)" dev.winnow.sampling.strategy.ProbCoverBench [--n 60000] [--reps 5]
 * </pre>
 * (target/classpath.txt: {@code ./mvnw -o -q dependency:build-classpath -Dmdep.outputFile=target/classpath.txt}.)
 */
public final class ProbCoverBench {
    private ProbCoverBench() {
    }

    public static void main(String[] args) throws Exception {
        int n = 60_000;
        int reps = 5;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--n" -> n = Integer.parseInt(args[++i]);
                case "--reps" -> reps = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        int d = 64;
        Random r = new Random(1);
        float[][] e = new float[n][d];
        float[][] centres = new float[10][d];
        for (float[] c : centres) {
            for (int k = 0; k < d; k++) {
                c[k] = (float) (r.nextGaussian() * 3);
            }
        }
        for (int i = 0; i < n; i++) {
            float[] c = centres[r.nextInt(10)];
            for (int k = 0; k < d; k++) {
                e[i][k] = c[k] + (float) r.nextGaussian();
            }
        }
        Path dir = Files.createTempDirectory("probcover-bench");
        new PoolDir(dir, n).embeddings(e);
        Pool pool = new Pool(Predictions.open(dir), new BitSet(n), 1, new Params(Map.of(), "probcover"));
        System.out.printf(Locale.ROOT, "probcover %,d x %d -> 200, purity rule; %d cores%n", n, d, Runtime.getRuntime().availableProcessors());

        List<Double> grouped = new ArrayList<>();
        Ranking fast = null;
        for (int i = 0; i < reps; i++) {
            long t = System.nanoTime();
            fast = new ProbCover(new Params(Map.of(), "probcover")).select(pool, 200);
            grouped.add((System.nanoTime() - t) / 1e9);
        }
        long t = System.nanoTime();
        Ranking plain = new ProbCover(new Params(Map.of(), "probcover"), true).select(pool, 200);
        double exhaustive = (System.nanoTime() - t) / 1e9;
        double median = grouped.stream().sorted().toList().get(grouped.size() / 2);
        System.out.printf(Locale.ROOT, "grouped: %s s, median %.2f s; exhaustive: %.1f s; ratio %.3f; same picks in the same order: %b%n",
                grouped.stream().map(s -> String.format(Locale.ROOT, "%.2f", s)).toList(), median, exhaustive, median / exhaustive,
                Arrays.equals(fast.rows(), plain.rows()));
    }
}
