package dev.winnow.sampling.bench;

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
 * java -cp target/test-classes dev.winnow.sampling.bench.SelectBench [--reps 5] [--work target/bench]
 * </pre>
 *
 * Cases: margin on 2,000,000 x 100 probabilities choosing 1,000; coreset on 100,000 x 256
 * embeddings with 10,000 excluded ids choosing 1,000, on clustered embeddings (class structure,
 * as trained networks produce) and on isotropic Gaussian ones (the worst case for pruning).
 * Inputs are generated once by src/test/python/gen_bench.py and reused.
 */
public final class SelectBench {
    private SelectBench() {
    }

    public static void main(String[] args) throws Exception {
        int reps = 5;
        Path work = Path.of("target/bench");
        Path jar = Path.of("target/quarkus-app/quarkus-run.jar");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--reps" -> reps = Integer.parseInt(args[++i]);
                case "--work" -> work = Path.of(args[++i]);
                case "--jar" -> jar = Path.of(args[++i]);
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
        generate(py, margin, "margin", margin.toString(), "2000000", "100", "1");
        generate(py, clustered, "coreset", clustered.toString(), "100000", "256", "10000", "1", "clustered");
        generate(py, isotropic, "coreset", isotropic.toString(), "100000", "256", "10000", "1", "isotropic");

        System.out.printf(Locale.ROOT, "machine: %d cores, %.1f GiB heap max; %d repetitions, alternating%n",
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() / (double) (1L << 30), reps);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> run = launcher(java, jar);
        Path out = work.resolve("out");
        Files.createDirectories(out);
        bench("margin 2,000,000 x 100, choose 1,000", reps,
                concat(run, "select", "--predictions", margin.toString(), "--strategy",
                        "margin", "--count", "1000", "--out", out.resolve("winnow-margin.jsonl").toString()),
                List.of("python3", py.resolve("ref_margin.py").toString(), margin.toString(), "1000",
                        out.resolve("numpy-margin.jsonl").toString()),
                out.resolve("winnow-margin.jsonl"), out.resolve("numpy-margin.jsonl"));
        for (Path dir : List.of(clustered, isotropic)) {
            String name = dir.getFileName().toString();
            bench(name + " 100,000 x 256, 10,000 excluded, choose 1,000", reps,
                    concat(run, "select", "--predictions", dir.toString(), "--strategy",
                            "coreset", "--count", "1000", "--exclude", dir.resolve("exclude.txt").toString(), "--out",
                            out.resolve("winnow-" + name + ".jsonl").toString()),
                    List.of("python3", py.resolve("ref_coreset.py").toString(), dir.toString(),
                            dir.resolve("exclude.txt").toString(), "1000", out.resolve("numpy-" + name + ".jsonl").toString()),
                    out.resolve("winnow-" + name + ".jsonl"), out.resolve("numpy-" + name + ".jsonl"));
        }
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
