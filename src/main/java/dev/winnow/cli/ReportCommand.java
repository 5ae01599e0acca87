package dev.winnow.cli;

import dev.winnow.local.api.EmbeddedApiServer;
import dev.winnow.local.bench.BenchLabels;
import dev.winnow.local.bench.BenchReport;
import dev.winnow.local.bench.LoopResult;
import dev.winnow.local.demo.ApiSnapshot;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code winnow report}: the benchmark report from finished loops, read from a cluster (any kubeconfig, the
 * demo's included) or from a finished bench's saved state (--workdir).
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Report finished loops per strategy: AUBC and final metric (mean ± sd over seeds), labels to reach "
                + "a target, selection time; as a table, report.csv and learning-curve.svg/.png with ±1 sd bands.")
public class ReportCommand implements Callable<Integer> {
    static final String DEFAULT_METRIC = "accuracy";

    @Spec
    CommandSpec spec;

    @Option(names = "--selector", required = true, description = "Label selector of the loops, e.g. winnow.dev/bench=bench.")
    String selector;

    @Option(names = "--kubeconfig", description = "Kubeconfig of the cluster (default: $KUBECONFIG, ~/.kube/config or in-cluster).")
    Path kubeconfig;

    @Option(names = {"-n", "--namespace"}, description = "Namespace of the loops (default: the kubeconfig's).")
    String namespace;

    @Option(names = {"-A", "--all-namespaces"}, description = "Loops of every namespace.")
    boolean allNamespaces;

    @Option(names = "--workdir", description = "Read a finished `winnow bench` or `winnow demo` from its saved state "
            + "in this directory instead of a cluster; repeat it to report several runs together.")
    List<Path> workdirs;

    @Option(names = "--out", defaultValue = "report", description = "Directory for report.csv and the pictures (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--target", defaultValue = "0.8", description = "Metric value the report counts labels to (default: ${DEFAULT-VALUE}).")
    double target;

    @Option(names = "--metric", defaultValue = DEFAULT_METRIC, description = "Metric of the curves (default: ${DEFAULT-VALUE}).")
    String metric;

    /** The loops of a finished run, from the state it saved: restored into a scratch embedded API and read back. */
    private List<LoopResult> fromSavedState(Path workdir) throws java.io.IOException {
        if (!Files.isRegularFile(workdir.resolve(ApiSnapshot.FILE))) {
            throw new ParameterException(spec.commandLine(), "--workdir: no " + ApiSnapshot.FILE + " in " + workdir);
        }
        Path scratch = Files.createTempDirectory("winnow-report");
        try (EmbeddedApiServer api = EmbeddedApiServer.start(scratch, 0)) {
            ApiSnapshot.restore(api.client(), workdir);
            return LoopResult.read(api.client(), EmbeddedApiServer.NAMESPACE, selector, metric);
        }
    }

    /**
     * The loops of several saved runs, each name once: a loop run again in a later workdir (a baseline
     * repeated beside new strategies, say) would otherwise count as one more seed. The first wins.
     */
    static List<LoopResult> once(List<List<LoopResult>> found, List<Path> workdirs, java.io.PrintStream err) {
        java.util.Map<String, Path> seen = new java.util.HashMap<>();
        List<LoopResult> loops = new ArrayList<>();
        for (int i = 0; i < found.size(); i++) {
            for (LoopResult loop : found.get(i)) {
                Path first = seen.putIfAbsent(loop.name(), workdirs.get(i));
                if (first == null) {
                    loops.add(loop);
                } else {
                    err.println("winnow report: loop " + loop.name() + " is in " + first + " and in " + workdirs.get(i)
                            + "; counted once, from " + first);
                }
            }
        }
        return loops;
    }

    /** The selector of one benchmark's loops. */
    static String selector(String bench) {
        return BenchLabels.BENCH + "=" + bench;
    }

    @Override
    public Integer call() throws Exception {
        if (workdirs != null && kubeconfig != null) {
            throw new ParameterException(spec.commandLine(), "--workdir and --kubeconfig: one source of loops, not both");
        }
        List<LoopResult> loops;
        if (workdirs != null) {
            List<List<LoopResult>> found = new ArrayList<>();
            for (Path workdir : workdirs) {
                List<LoopResult> saved = new ArrayList<>();
                int code = DataPlane.run("report --workdir", () -> {
                    saved.addAll(fromSavedState(workdir));
                    return 0;
                });
                if (code != 0) {
                    return code;
                }
                found.add(saved);
            }
            loops = once(found, workdirs, System.err);
        } else {
            Config config = kubeconfig == null ? Config.autoConfigure(null) : Config.fromKubeconfig(Files.readString(kubeconfig));
            try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
                String ns = allNamespaces ? null : namespace != null ? namespace
                        : config.getNamespace() != null ? config.getNamespace() : "default";
                loops = LoopResult.read(client, ns, selector, metric);
            }
        }
        if (loops.isEmpty()) {
            System.err.println("winnow report: no ActiveLearningLoop matches " + selector);
            return 1;
        }
        BenchReport report = BenchReport.of(loops, target, metric);
        report.print(System.out);
        report.write(out).forEach(p -> System.out.println("Report: " + p));
        return report.rows().isEmpty() ? 1 : 0;
    }
}
