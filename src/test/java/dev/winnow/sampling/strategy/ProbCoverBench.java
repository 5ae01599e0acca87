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
 * clusters, as a self-supervised encoder gives for ten classes) choosing 200, in process, {@code --reps} times
 * (median; the picks must not change). {@code --exhaustive} times the version that compares every pair in Java
 * instead of the GEMM path; {@code --check} runs it once after the timed runs and requires the same picks.
 *
 * <pre>
 * ./mvnw -o -q test-compile
 * java -cp "target/test-classes:target/classes:$(cat target/classpath.txt)" dev.winnow.sampling.strategy.ProbCoverBench [--n 60000] [--reps 5] [--exhaustive] [--check]
 * </pre>
 * (target/classpath.txt: {@code ./mvnw -o -q dependency:build-classpath -Dmdep.outputFile=target/classpath.txt}.)
 */
public final class ProbCoverBench {
    private ProbCoverBench() {
    }

    public static void main(String[] args) throws Exception {
        int n = 60_000;
        int reps = 5;
        ProbCover.Pairs pairs = ProbCover.Pairs.AUTO;
        boolean check = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--n" -> n = Integer.parseInt(args[++i]);
                case "--reps" -> reps = Integer.parseInt(args[++i]);
                case "--exhaustive" -> pairs = ProbCover.Pairs.EXHAUSTIVE;
                case "--check" -> check = true;
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

        List<Double> times = new ArrayList<>();
        Ranking first = null;
        for (int i = 0; i < reps; i++) {
            long t = System.nanoTime();
            Ranking picks = new ProbCover(new Params(Map.of(), "probcover"), pairs).select(pool, 200);
            times.add((System.nanoTime() - t) / 1e9);
            first = first == null ? picks : first;
            if (!Arrays.equals(first.rows(), picks.rows())) {
                throw new IllegalStateException("repetition " + i + " picked differently");
            }
        }
        double median = times.stream().sorted().toList().get(times.size() / 2);
        System.out.printf(Locale.ROOT, "%s: %s s, median %.2f s%n", pairs == ProbCover.Pairs.AUTO ? "GEMM path" : "exhaustive",
                times.stream().map(s -> String.format(Locale.ROOT, "%.2f", s)).toList(), median);
        if (check) {
            Ranking plain = new ProbCover(new Params(Map.of(), "probcover"), ProbCover.Pairs.EXHAUSTIVE).select(pool, 200);
            if (!Arrays.equals(first.rows(), plain.rows()) || !Arrays.equals(first.scores(), plain.scores())) {
                throw new IllegalStateException("the exhaustive version picked differently");
            }
            System.out.println("the exhaustive version picked the same rows with the same scores");
        }
    }
}
