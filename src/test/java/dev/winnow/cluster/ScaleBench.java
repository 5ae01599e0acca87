package dev.winnow.cluster;

import dev.winnow.api.v1alpha1.ActiveLearningLoop;
import dev.winnow.api.v1alpha1.Dataset;
import dev.winnow.operator.job.StepJobBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Benchmark: N two-round loops in 10 namespaces on the real API server and etcd, with the chart's operator (its
 * image, its JVM options), whose step pods run on a {@link SimulatedKubelet} (each step "runs" a fixed time and
 * reports a plausible result; the scheduler, Job controller and garbage collector are the real ones). Prints,
 * per replica count and N: step-to-step latency (a step Job seen Complete to the loop's next step Job seen
 * created, on one watch) p50/p99; the leader's RSS (peak and at the end) and CPU; the operator's API requests
 * per round by verb (its own counter, winnow_api_requests_total); etcd's bytes in use per loop.
 *
 * <pre>
 * ./mvnw -o -q package -DskipTests && sudo src/test/images/build-and-test.sh && ./mvnw -o -q test-compile
 * ./mvnw -o -q dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
 * sudo java -cp "target/test-classes:target/classes:$(cat target/classpath.txt)" dev.winnow.cluster.ScaleBench \
 *     [--loops 10,100,1000] [--replicas 1,2] [--step-seconds 1] [--histogram DIR] [--java-opts OPTIONS]
 * </pre>
 * {@code --histogram DIR} writes the leader's live heap by class ({@code jcmd GC.class_histogram}, after the RSS and
 * CPU are read: it forces a full collection) to DIR/histogram-REPLICAS-LOOPS.txt once all loops have succeeded, and
 * its heap and, when the JVM tracks it ({@code -XX:NativeMemoryTracking=summary} in {@code --java-opts}, the
 * chart's {@code javaOpts} in place of its default), its native memory to DIR/memory-REPLICAS-LOOPS.txt; the row's
 * live heap is the histogram's total ("-" without {@code --histogram}).
 * Needs what the real-cluster tier needs (README); the cluster is started if it is not running.
 */
public final class ScaleBench {
    static final String SYSTEM = "winnow-bench";
    static final int NAMESPACES = 10;
    static final int ROUNDS = 2;
    private static final Pattern STEP_JOB = Pattern.compile("^(l\\d+)-r(\\d+)-(.+)$");

    private final RealCluster cluster;
    private final KubernetesClient client;

    private final Path histograms;
    private final String javaOpts;

    private ScaleBench(RealCluster cluster, Path histograms, String javaOpts) {
        this.cluster = cluster;
        this.client = cluster.client();
        this.histograms = histograms;
        this.javaOpts = javaOpts;
    }

    public static void main(String[] args) throws Exception {
        List<Integer> loops = List.of(10, 100, 1000);
        List<Integer> replicas = List.of(1, 2);
        Duration step = Duration.ofSeconds(1);
        Path histograms = null;
        String javaOpts = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--loops" -> loops = Stream.of(args[++i].split(",")).map(Integer::parseInt).toList();
                case "--replicas" -> replicas = Stream.of(args[++i].split(",")).map(Integer::parseInt).toList();
                case "--step-seconds" -> step = Duration.ofMillis((long) (Double.parseDouble(args[++i]) * 1000));
                case "--histogram" -> histograms = Path.of(args[++i]);
                case "--java-opts" -> javaOpts = args[++i];
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        RealCluster cluster = RealCluster.get();
        ScaleBench bench = new ScaleBench(cluster, histograms, javaOpts);
        String realNode = cluster.client().nodes().list().getItems().stream().map(n -> n.getMetadata().getName())
                .filter(n -> !n.equals(SimulatedKubelet.NODE)).findFirst().orElseThrow();
        // the operator stays on the real node, every step pod goes to the simulated one
        cluster.kubectl("label", "node", realNode, "bench-role=operator", "--overwrite");
        cluster.kubectl("taint", "node", realNode, "winnow.dev/bench=real:NoSchedule", "--overwrite");
        System.out.printf(Locale.ROOT, "scale bench: %d namespaces, %d rounds a loop (10 + 10 labels), steps of %.1f s; %d cores%n",
                NAMESPACES, ROUNDS, step.toMillis() / 1000.0, Runtime.getRuntime().availableProcessors());
        System.out.println("| replicas | loops | wall | step-to-step p50 | p99 | max | RSS peak | RSS end | CPU | requests/round by verb | etcd/loop | live heap |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|");
        try (SimulatedKubelet kubelet = new SimulatedKubelet(cluster.client(), step).start()) {
            for (int r : replicas) {
                for (int n : loops) {
                    bench.run(r, n);
                }
            }
        } finally {
            cluster.kubectl("taint", "node", realNode, "winnow.dev/bench-");
        }
    }

    /** Runs N loops and prints their row of the table. */
    private void run(int replicas, int loops) throws Exception {
        Map<String, String> values = new LinkedHashMap<>(Map.of("replicaCount", String.valueOf(replicas),
                "nodeSelector.bench-role", "operator", "tolerations[0].key", "winnow.dev/bench", "tolerations[0].operator", "Exists",
                "tolerations[0].effect", "NoSchedule"));
        if (javaOpts != null) {
            values.put("javaOpts", javaOpts);
        }
        Installation winnow = Installation.install("winnow", SYSTEM, values);
        try {
            List<String> namespaces = new ArrayList<>();
            for (int i = 0; i < NAMESPACES; i++) {
                String ns = "bench-" + i;
                namespaces.add(ns);
                client.namespaces().withName(ns).delete();
                client.namespaces().withName(ns).waitUntilCondition(x -> x == null, 5, TimeUnit.MINUTES);
                client.resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
                client.resource(load(Dataset.class, """
                        apiVersion: winnow.dev/v1alpha1
                        kind: Dataset
                        metadata: {name: pool, namespace: %s}
                        spec:
                          task: Classification
                          classes: [a, b]
                          source: {uri: "file:///data/pool/", format: Idx}
                          labels: {uri: "file:///data/pool/labels/", format: Jsonl}
                          artifacts: {uri: "file:///data/pool/artifacts/"}
                        """.formatted(ns))).create();
            }
            winnow.until(Duration.ofMinutes(5), () -> namespaces.stream().allMatch(ns -> {
                Dataset d = client.resources(Dataset.class).inNamespace(ns).withName("pool").get();
                return d.getStatus() != null && "Ready".equals(d.getStatus().phase);
            }), () -> "Datasets not Ready");
            Pod leader = awaitLeader(winnow);
            Map<String, Double> requestsBefore = requests(leader);
            long cpuBefore = cpuTicks(leader);
            double etcdBefore = etcdInUse();

            Map<String, Long> created = new ConcurrentHashMap<>();
            Map<String, Long> completed = new ConcurrentHashMap<>();
            SharedIndexInformer<Job> jobs = client.batch().v1().jobs().inAnyNamespace()
                    .withLabel(StepJobBuilder.MANAGED_BY, StepJobBuilder.MANAGER).inform(new ResourceEventHandler<>() {
                        @Override
                        public void onAdd(Job job) {
                            created.putIfAbsent(job.getMetadata().getNamespace() + "/" + job.getMetadata().getName(), System.nanoTime());
                            onUpdate(null, job);
                        }

                        @Override
                        public void onUpdate(Job before, Job job) {
                            if (job.getStatus() != null && job.getStatus().getConditions() != null && job.getStatus().getConditions().stream()
                                    .anyMatch(c -> "Complete".equals(c.getType()) && "True".equals(c.getStatus()))) {
                                completed.putIfAbsent(job.getMetadata().getNamespace() + "/" + job.getMetadata().getName(), System.nanoTime());
                            }
                        }

                        @Override
                        public void onDelete(Job job, boolean unknown) {
                        }
                    });
            long start = System.nanoTime();
            for (int i = 0; i < loops; i++) {
                client.resource(load(ActiveLearningLoop.class, """
                        apiVersion: winnow.dev/v1alpha1
                        kind: ActiveLearningLoop
                        metadata: {name: l%04d, namespace: %s}
                        spec:
                          datasetRef: pool
                          initialSelection: {strategy: {name: Random}, count: 10}
                          round: {selection: {strategy: {name: Margin}, count: 10}}
                          labeling: {mode: Simulated}
                          stopWhen: {maxRounds: %d}
                        """.formatted(i, namespaces.get(i % NAMESPACES), ROUNDS))).create();
            }
            long[] rss = {0, 0};
            // every 5 s: listing thousands of loops is itself work for the API server
            dev.winnow.operator.Eventually.until(Duration.ofMinutes(60), Duration.ofSeconds(5), () -> {
                rss[0] = Math.max(rss[0], rss(leader));
                return namespaces.stream().mapToLong(ns -> client.resources(ActiveLearningLoop.class).inNamespace(ns).list().getItems()
                        .stream().filter(l -> l.getStatus() != null && "Succeeded".equals(l.getStatus().phase)).count()).sum() == loops;
            }, () -> "loops not all Succeeded");
            double wall = (System.nanoTime() - start) / 1e9;
            rss[1] = rss(leader);
            double cpu = (cpuTicks(leader) - cpuBefore) / 100.0;
            Map<String, Double> requestsAfter = requests(leader);
            double etcd = (etcdInUse() - etcdBefore) / loops;
            jobs.close();
            // without a histogram, no live heap: only the histogram's full collection leaves the live objects alone
            String liveHeap = "-";
            if (histograms != null) {
                jcmd(leader, histograms.resolve("memory-" + replicas + "-" + loops + ".txt"), List.of("GC.heap_info"),
                        List.of("VM.native_memory", "summary"));
                Path histogram = histograms.resolve("histogram-" + replicas + "-" + loops + ".txt");
                jcmd(leader, histogram, List.of("GC.class_histogram"));
                liveHeap = String.format(Locale.ROOT, "%.1f MB", histogramTotalBytes(histogram) / 1e6);
            }

            List<Double> latencies = latencies(created, completed);
            Map<String, Double> perRound = new TreeMap<>();
            requestsAfter.forEach((verb, count) -> perRound.put(verb, (count - requestsBefore.getOrDefault(verb, 0.0)) / (loops * (double) ROUNDS)));
            String verbs = perRound.entrySet().stream().filter(e -> e.getValue() >= 0.05)
                    .map(e -> String.format(Locale.ROOT, "%s %.1f", e.getKey(), e.getValue())).reduce((a, b) -> a + ", " + b).orElse("");
            // the row first: tidying up a thousand loops' namespaces can take longer than the run
            System.out.println(String.format(Locale.ROOT, "| %d | %,d | %,.0f s | %.2f s | %.2f s | %.2f s | %d MiB | %d MiB | %.0f s (%.0f %%) | %s | %.0f KiB | %s |",
                    replicas, loops, wall, quantile(latencies, 0.5), quantile(latencies, 0.99), quantile(latencies, 1.0),
                    rss[0] >> 20, rss[1] >> 20, cpu, 100 * cpu / wall, verbs, etcd / 1024, liveHeap));
            for (String ns : namespaces) {
                client.namespaces().withName(ns).delete();
            }
            for (String ns : namespaces) {
                client.namespaces().withName(ns).waitUntilCondition(x -> x == null, 30, TimeUnit.MINUTES);
            }
        } finally {
            winnow.uninstall();
        }
    }

    /** For each loop, its step Jobs in the order created: each one's creation after the previous one's completion. */
    static List<Double> latencies(Map<String, Long> created, Map<String, Long> completed) {
        Map<String, List<String>> byLoop = new LinkedHashMap<>();
        for (String job : created.keySet()) {
            Matcher m = STEP_JOB.matcher(job.substring(job.indexOf('/') + 1));
            if (m.matches()) {
                byLoop.computeIfAbsent(job.substring(0, job.indexOf('/') + 1) + m.group(1), k -> new ArrayList<>()).add(job);
            }
        }
        List<Double> latencies = new ArrayList<>();
        for (List<String> chain : byLoop.values()) {
            chain.sort(Comparator.comparing(created::get));
            for (int i = 1; i < chain.size(); i++) {
                Long done = completed.get(chain.get(i - 1));
                if (done != null) {
                    latencies.add(Math.max(0, created.get(chain.get(i)) - done) / 1e9);
                }
            }
        }
        latencies.sort(null);
        return latencies;
    }

    static double quantile(List<Double> sorted, double q) {
        return sorted.isEmpty() ? Double.NaN : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1 < 0 ? 0
                : (int) Math.ceil(q * sorted.size()) - 1));
    }

    private Pod awaitLeader(Installation winnow) {
        Pod[] leader = new Pod[1];
        winnow.until(Duration.ofMinutes(2), () -> (leader[0] = winnow.leader().orElse(null)) != null, () -> "no leader");
        return leader[0];
    }

    /** The operator's own request counter, summed by verb. */
    private static Map<String, Double> requests(Pod pod) throws IOException, InterruptedException {
        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://" + pod.getStatus().getPodIP() + ":8080/metrics"))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
        Map<String, Double> byVerb = new TreeMap<>();
        Matcher m = Pattern.compile("(?m)^winnow_api_requests_total\\{([^}]*)\\} ([0-9.eE+]+)$").matcher(metrics);
        while (m.find()) {
            Matcher verb = Pattern.compile("verb=\"([^\"]+)\"").matcher(m.group(1));
            if (verb.find()) {
                byVerb.merge(verb.group(1), Double.parseDouble(m.group(2)), Double::sum);
            }
        }
        return byVerb;
    }

    private static double etcdInUse() throws IOException, InterruptedException {
        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:22381/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("(?m)^etcd_mvcc_db_total_size_in_use_in_bytes ([0-9.eE+]+)$").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    /** The operator's JVM on this node: the process in the pod's cgroup that runs the jar. */
    private static Optional<Path> process(Pod pod) {
        String uid = pod.getMetadata().getUid();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().matches("\\d+")).filter(p -> {
                try {
                    String cgroup = Files.readString(p.resolve("cgroup"));
                    return (cgroup.contains(uid) || cgroup.contains(uid.replace('-', '_')))
                            && Files.readString(p.resolve("cmdline")).contains("quarkus-run.jar");
                } catch (IOException e) {
                    return false;
                }
            }).findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static long rss(Pod pod) {
        return process(pod).map(p -> {
            try {
                Matcher m = Pattern.compile("VmRSS:\\s+(\\d+) kB").matcher(Files.readString(p.resolve("status")));
                return m.find() ? Long.parseLong(m.group(1)) * 1024 : 0L;
            } catch (IOException e) {
                return 0L;
            }
        }).orElse(0L);
    }

    /**
     * Diagnostic commands to the leader JVM, from the host's jcmd (the image's runtime has no tools), each one's
     * answer appended to the file; a native-memory summary the JVM does not track says so in the file.
     */
    @SafeVarargs
    private static void jcmd(Pod pod, Path file, List<String>... commands) throws IOException, InterruptedException {
        Path proc = process(pod).orElseThrow(() -> new IllegalStateException("no operator process for " + pod.getMetadata().getName()));
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.deleteIfExists(file); // the commands add to it: an earlier run's output would stay at its head
        for (List<String> command : commands) {
            List<String> argv = new ArrayList<>(List.of("jcmd", proc.getFileName().toString()));
            argv.addAll(command);
            Process jcmd = new ProcessBuilder(argv).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(file.toFile())).start();
            if (!jcmd.waitFor(2, TimeUnit.MINUTES) || jcmd.exitValue() != 0) {
                throw new IllegalStateException("jcmd " + String.join(" ", command) + " failed: " + Files.readString(file));
            }
        }
    }

    /** The bytes of the live objects a {@code GC.class_histogram} counted: its last line, "Total INSTANCES BYTES". */
    static long histogramTotalBytes(Path histogram) throws IOException {
        try (Stream<String> lines = Files.lines(histogram)) {
            return lines.map(String::strip).filter(l -> l.startsWith("Total")).reduce((a, b) -> b)
                    .map(l -> Long.parseLong(l.split("\\s+")[2]))
                    .orElseThrow(() -> new IllegalStateException("no Total line in " + histogram));
        }
    }

    /** utime + stime of the operator's JVM, in clock ticks (1/100 s). */
    private static long cpuTicks(Pod pod) {
        return process(pod).map(p -> {
            try {
                String stat = Files.readString(p.resolve("stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                return Long.parseLong(f[11]) + Long.parseLong(f[12]);
            } catch (IOException e) {
                return 0L;
            }
        }).orElse(0L);
    }

    private <T extends io.fabric8.kubernetes.api.model.HasMetadata> T load(Class<T> type, String yaml) {
        return client.getKubernetesSerialization().unmarshal(yaml, type);
    }
}
