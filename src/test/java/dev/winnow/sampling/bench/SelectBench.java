package dev.winnow.sampling.bench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Benchmark: `winnow select` against a NumPy reference of the same algorithm, whole process
 * against whole process, in the same run, alternating so both see the same machine load.
 * Prints each wall time, the median of each side and their ratio (Winnow / NumPy), and how many
 * of the selected ids the two agree on (uncertainty ties and float rounding can reorder a few).
 *
 * <pre>
 * ./mvnw -o -q package -DskipTests && ./mvnw -o -q test-compile
 * java -cp target/test-classes dev.winnow.sampling.bench.SelectBench [--reps 5] [--work target/bench] [--only CASE]
 * </pre>
 *
 * Cases: margin on 2,000,000 x 100 probabilities choosing 1,000; coreset on 100,000 x 256
 * embeddings with 10,000 excluded ids choosing 1,000, on clustered embeddings (class structure,
 * as trained networks produce) and on isotropic Gaussian ones (the worst case for pruning);
 * probcover on 60,000 x 64 embeddings in ten Gaussian clusters choosing 200 by the purity rule,
 * checked against the exhaustive Java version run once ({@code ProbCoverPlain}: its k-means and
 * tie-breaks cannot be reproduced in NumPy, so there is no NumPy side). {@code --only} runs one
 * case (margin, coreset-clustered, coreset-isotropic, probcover). Inputs are generated once by
 * src/test/python/gen_bench.py and reused.
 */
public final class SelectBench {
    private SelectBench() {
    }

    public static void main(String[] args) throws Exception {
        int reps = 5;
        Path work = Path.of("target/bench");
        Path jar = Path.of("target/quarkus-app/quarkus-run.jar");
        String only = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--reps" -> reps = Integer.parseInt(args[++i]);
                case "--work" -> work = Path.of(args[++i]);
                case "--jar" -> jar = Path.of(args[++i]);
                case "--only" -> only = args[++i];
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " not found: run ./mvnw -o -q package -DskipTests first");
        }
        Path py = Path.of("src/test/python");
        Files.createDirectories(work);
        Path margin = work.resolve("margin");
        Path clustered = work.resolve("coreset-clustered");
        Path isotropic = work.resolve("coreset-isotropic");
        Path probcover = work.resolve("probcover");
        if (runs(only, "margin")) {
            generate(py, margin, "margin", margin.toString(), "2000000", "100", "1");
        }
        if (runs(only, "coreset-clustered")) {
            generate(py, clustered, "coreset", clustered.toString(), "100000", "256", "10000", "1", "clustered");
        }
        if (runs(only, "coreset-isotropic")) {
            generate(py, isotropic, "coreset", isotropic.toString(), "100000", "256", "10000", "1", "isotropic");
        }
        if (runs(only, "probcover")) {
            generate(py, probcover, "probcover", probcover.toString(), "60000", "64", "1");
        }

        System.out.printf(Locale.ROOT, "machine: %d cores, %.1f GiB heap max; %d repetitions, alternating%n",
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() / (double) (1L << 30), reps);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> run = launcher(java, jar);
        Path out = work.resolve("out");
        Files.createDirectories(out);
        if (runs(only, "margin")) {
            bench("margin 2,000,000 x 100, choose 1,000", reps,
                    concat(run, "select", "--predictions", margin.toString(), "--strategy",
                            "margin", "--count", "1000", "--out", out.resolve("winnow-margin.jsonl").toString()),
                    List.of("python3", py.resolve("ref_margin.py").toString(), margin.toString(), "1000",
                            out.resolve("numpy-margin.jsonl").toString()),
                    out.resolve("winnow-margin.jsonl"), out.resolve("numpy-margin.jsonl"));
        }
        for (Path dir : List.of(clustered, isotropic)) {
            String name = dir.getFileName().toString();
            if (!runs(only, name)) {
                continue;
            }
            bench(name + " 100,000 x 256, 10,000 excluded, choose 1,000", reps,
                    concat(run, "select", "--predictions", dir.toString(), "--strategy",
                            "coreset", "--count", "1000", "--exclude", dir.resolve("exclude.txt").toString(), "--out",
                            out.resolve("winnow-" + name + ".jsonl").toString()),
                    List.of("python3", py.resolve("ref_coreset.py").toString(), dir.toString(),
                            dir.resolve("exclude.txt").toString(), "1000", out.resolve("numpy-" + name + ".jsonl").toString()),
                    out.resolve("winnow-" + name + ".jsonl"), out.resolve("numpy-" + name + ".jsonl"));
        }
        if (runs(only, "probcover")) {
            Path app = jar.getParent();
            String cp = String.join(File.pathSeparator, "target/test-classes", "target/classes",
                    app.resolve("lib/main/*").toString());
            benchAgainstPlain("probcover 60,000 x 64, ten clusters, purity rule, choose 200", reps,
                    concat(run, "select", "--predictions", probcover.toString(), "--strategy",
                            "probcover", "--count", "200", "--out", out.resolve("winnow-probcover.jsonl").toString()),
                    List.of(java, "-cp", cp, "dev.winnow.sampling.strategy.ProbCoverPlain", probcover.toString(), "200",
                            out.resolve("plain-probcover.jsonl").toString()),
                    out.resolve("winnow-probcover.jsonl"), out.resolve("plain-probcover.jsonl"));
        }
    }

    private static boolean runs(String only, String name) {
        return only == null || only.equals(name);
    }

    /**
     * The java command as the {@code winnow} launcher runs the jar: with the class-data archive it records next
     * to the jar after a build (made here the same way if the launcher has not run since).
     */
    private static List<String> launcher(String java, Path jar) throws Exception {
        Path archive = jar.resolveSibling("winnow.jsa");
        if (!Files.exists(archive) || Files.getLastModifiedTime(jar).compareTo(Files.getLastModifiedTime(archive)) > 0) {
            Files.deleteIfExists(archive);
            time(List.of(java, "-XX:ArchiveClassesAtExit=" + archive, "-jar", jar.toString(), "select", "--help"));
        }
        return List.of(java, "-XX:SharedArchiveFile=" + archive, "-jar", jar.toString());
    }

    private static List<String> concat(List<String> head, String... tail) {
        List<String> all = new ArrayList<>(head);
        all.addAll(List.of(tail));
        return all;
    }

    private static void generate(Path py, Path dir, String... args) throws Exception {
        if (Files.exists(dir.resolve("ids.txt"))) {
            return;
        }
        List<String> cmd = new ArrayList<>(List.of("python3", py.resolve("gen_bench.py").toString()));
        cmd.addAll(List.of(args));
        System.out.println("generating " + dir);
        time(cmd);
    }

    private static void bench(String name, int reps, List<String> winnow, List<String> numpy, Path wOut, Path nOut)
            throws Exception {
        // one untimed run each warms the page cache for both
        time(winnow);
        time(numpy);
        double[] w = new double[reps];
        double[] n = new double[reps];
        for (int i = 0; i < reps; i++) {
            w[i] = time(winnow);
            n[i] = time(numpy);
        }
        double wm = median(w);
        double nm = median(n);
        System.out.printf(Locale.ROOT, "%n%s%n  winnow s: %s%n  numpy  s: %s%n  median winnow %.2f s, numpy %.2f s,"
                + " ratio %.2f (min %.2f vs %.2f, ratio %.2f); same ids: %d of 1000%n", name, fmt(w), fmt(n), wm, nm,
                wm / nm, min(w), min(n), min(w) / min(n), overlap(wOut, nOut));
    }

    /**
     * Winnow's median against the exhaustive Java version run once (it takes minutes): the picks
     * must be the same ids in the same order.
     */
    private static void benchAgainstPlain(String name, int reps, List<String> winnow, List<String> plain, Path wOut,
            Path pOut) throws Exception {
        time(winnow);
        double[] w = new double[reps];
        for (int i = 0; i < reps; i++) {
            w[i] = time(winnow);
        }
        double p = time(plain);
        List<String> a = ids(wOut);
        List<String> b = ids(pOut);
        System.out.printf(Locale.ROOT, "%n%s%n  winnow s: %s%n  median winnow %.2f s (min %.2f); exhaustive Java once"
                + " %.1f s; same picks in the same order: %s (%d of %d ids in common)%n", name, fmt(w), median(w), min(w),
                p, a.equals(b) ? "yes" : "NO", overlap(wOut, pOut), b.size());
    }

    private static double time(List<String> cmd) throws Exception {
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException("failed: " + String.join(" ", cmd));
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    private static int overlap(Path a, Path b) throws IOException {
        Set<String> ids = new HashSet<>(ids(a));
        ids.retainAll(ids(b));
        return ids.size();
    }

    private static List<String> ids(Path f) throws IOException {
        return Files.readAllLines(f).stream().map(l -> l.replaceAll(".*\"id\": ?\"([^\"]*)\".*", "$1")).toList();
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static double min(double[] v) {
        return Arrays.stream(v).min().orElse(0);
    }

    private static String fmt(double[] v) {
        StringBuilder sb = new StringBuilder();
        for (double x : v) {
            sb.append(String.format(Locale.ROOT, "%.2f ", x));
        }
        return sb.toString().strip();
    }
}
