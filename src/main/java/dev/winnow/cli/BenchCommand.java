package dev.winnow.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.winnow.local.bench.BenchManifests;
import dev.winnow.local.bench.BenchPlan;
import dev.winnow.local.bench.BenchStrategy;
import dev.winnow.local.bench.BenchPreset;
import dev.winnow.local.bench.BenchReport;
import dev.winnow.local.bench.LoopResult;
import dev.winnow.local.api.EmbeddedApiServer;
import dev.winnow.local.demo.DemoManifests;
import dev.winnow.local.demo.DemoSession;
import dev.winnow.local.demo.DetectionDemo;
import dev.winnow.local.demo.TrainingOptions;
import dev.winnow.local.demo.FashionMnistFiles;
import dev.winnow.local.kubelet.JarStepLauncher;
import dev.winnow.contract.Variables;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

/**
 * {@code winnow bench}: every strategy with every seed as its own ActiveLearningLoop with simulated labeling, all on
 * the demo's embedded API and run by its session, then the report; or the same loops as YAML for a cluster.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmark selection strategies: one loop per strategy and seed (the same first pick for every "
                + "strategy of a seed), run on this machine like `winnow demo`, then the report of `winnow report`.")
public class BenchCommand implements java.util.concurrent.Callable<Integer> {
    /** The detector's held-out metric, mAP at IoU 0.5, which the train step reports. */
    static final String DETECTION_METRIC = "map50";

    @Spec
    CommandSpec spec;

    @Mixin
    TrainingFlags training = new TrainingFlags();

    @Option(names = "--name", defaultValue = "bench", description = "The benchmark's name: loops are labeled "
            + "winnow.dev/bench=<name> and named <name>-<strategy>-s<seed>; with --backbone or --pseudo-labels the strategy's "
            + "row and loops get -backbone and -pseudo after it, so runs with and without compare (default: ${DEFAULT-VALUE}).")
    String name;

    @Option(names = "--strategies", split = ",", defaultValue = "margin,entropy,random",
            description = "Strategies per round, comma-separated; compare settings with name:key=value[:key=value] "
                    + "(a list value's items joined by +), e.g. coral:measures=margin (default: ${DEFAULT-VALUE}).")
    List<String> strategies;

    @Option(names = "--seeds", defaultValue = "3", description = "Seeds per strategy (default: ${DEFAULT-VALUE}).")
    int seeds;

    @Option(names = "--first-seed", defaultValue = "1", description = "The first seed; the others follow it, so runs "
            + "of one seed each can be spread over time or machines and reported together (default: ${DEFAULT-VALUE}).")
    long firstSeed;

    @Option(names = "--rounds", description = "Trained rounds of every loop (default: the manifest's maxRounds).")
    Integer rounds;

    @Option(names = "--initial", description = "Size of the first, model-free selection.")
    Integer initial;

    @Option(names = "--initial-strategy", description = "Strategy of the first pick, the same in every loop (default: the manifest's).")
    String initialStrategy;

    @Option(names = "--count", description = "Samples selected per round.")
    Integer count;

    @Option(names = "--epochs", description = "Training epochs per round (the trainer's WINNOW_EPOCHS).")
    Integer epochs;

    @Option(names = "--preset", description = "A published protocol: cdal (CDALBench's Fashion-MNIST: ResNet-18 from "
            + "scratch, Adam 1e-3, 20 epochs, batch 128, 500 per query).")
    String preset;

    @Option(names = "--target", defaultValue = "0.8", description = "Metric (accuracy, or map50 with --task detection) the "
            + "report counts labels to (default: ${DEFAULT-VALUE}).")
    double target;

    @Option(names = "--emit-manifests", description = "Write the loops as YAML into this directory for a cluster, instead of running them.")
    Path emit;

    @Option(names = "--file", description = "Manifest with a Dataset and one ActiveLearningLoop (default: the bundled "
            + DemoManifests.BUNDLED + ", or with --task detection " + DetectionDemo.BUNDLED + ").")
    Path file;

    @Option(names = "--task", defaultValue = "classification", description = "classification (Fashion-MNIST) or "
            + "detection (the detection demo's canvases and detector, like `winnow demo --task detection`; the report "
            + "is on map50) (default: ${DEFAULT-VALUE}).")
    String task;

    @Option(names = "--workdir", defaultValue = "winnow-bench", description = "Working directory (default: ${DEFAULT-VALUE}).")
    Path workdir;

    @Option(names = "--fresh", description = "Start over; without it a run in the same workdir resumes.")
    boolean fresh;

    @Option(names = "--source", description = "Directory with the Fashion-MNIST IDX files (default: ${DEFAULT-VALUE}).")
    Path source = FashionMnistFiles.DEFAULT_DIR;

    @Option(names = "--port", defaultValue = "0", description = "Port of the embedded API for kubectl (default: a free one).")
    int port;

    @Option(names = "--parallel", description = "Steps running at once (default: the available processors).")
    Integer parallel;

    @Override
    public Integer call() throws Exception {
        return DataPlane.run("bench", this::runIt);
    }

    private Integer runIt() throws Exception {
        boolean detection = LocalRun.detection(spec, task);
        training.options(spec, detection);
        BenchPlan plan = plan();
        List<ObjectNode> manifests = detection && file == null ? DemoManifests.read(DetectionDemo.bundled())
                : DemoSession.manifests(file);
        if (emit != null) {
            return emit(manifests, plan);
        }
        List<String> missing = FashionMnistFiles.missing(source);
        if (!missing.isEmpty()) {
            System.err.println(FashionMnistFiles.hint(source, missing));
            return 2;
        }
        Path dir = workdir.toAbsolutePath();
        try {
            BenchManifests.forDemo(manifests, plan, dir, source.toAbsolutePath()); // a bad manifest fails here, before anything starts
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        Path src = source.toAbsolutePath();
        boolean startFresh = fresh;
        if (detection) {
            // the canvases live in the workdir, which is made (or emptied) first; every loop gets the held-out boxes
            Path data;
            try {
                data = DetectionDemo.prepare(dir, fresh, src, System.out,
                        plan.loopNames().stream().map(loop -> BenchManifests.loopRoot(dir, loop)).toList());
            } catch (IllegalStateException e) {
                System.err.println("winnow bench: " + e.getMessage());
                return 1;
            }
            startFresh = false;
            manifests = DetectionDemo.withGroundTruth(manifests, data);
            src = data.resolve("images");
        }
        Path pool = src;
        String metric = detection ? DETECTION_METRIC : ReportCommand.DEFAULT_METRIC;
        int steps = parallel != null ? parallel : Runtime.getRuntime().availableProcessors();
        var settings = new DemoManifests.Settings(dir, pool, null, null, null, null, null, null, false);
        var options = new DemoSession.Options(dir, startFresh, manifests, settings, port, steps, DemoCommand.WORKER_IMAGE,
                JarStepLauncher.forThisJar(), DemoCommand::startOperator, Duration.ofSeconds(5),
                docs -> BenchManifests.forDemo(docs, plan, dir, pool));
        return LocalRun.run(new DemoSession(options, System.out), "bench", (session, exit) -> {
            if (exit == 130) {
                return exit;
            }
            List<LoopResult> loops = LoopResult.read(session.client(), EmbeddedApiServer.NAMESPACE,
                    ReportCommand.selector(plan.name()), metric);
            System.out.println();
            BenchReport report = BenchReport.of(loops, target, metric);
            report.print(System.out);
            report.write(dir.resolve("report")).forEach(p -> System.out.println("Report: " + p));
            return exit;
        });
    }

    BenchPlan plan() {
        if (seeds < 1) {
            throw new ParameterException(spec.commandLine(), "--seeds: at least 1");
        }
        List<BenchStrategy> list = new ArrayList<>();
        for (String s : strategies) {
            list.add(LocalRun.option(spec, "--strategies", () -> BenchStrategy.parse(s)));
        }
        if (initialStrategy != null) {
            LocalRun.option(spec, "--initial-strategy", () -> DemoManifests.initialStrategy(initialStrategy));
        }
        BenchPreset p = preset == null ? null : LocalRun.option(spec, "--preset", () -> BenchPreset.parse(preset));
        Map<String, String> env = new HashMap<>(p == null ? Map.of() : p.trainerEnv());
        if (epochs != null) {
            env.put(Variables.EPOCHS, Integer.toString(epochs));
        }
        TrainingOptions options = training.options(spec);
        List<Long> seedList = LongStream.range(firstSeed, firstSeed + seeds).boxed().toList();
        return LocalRun.option(spec, "--strategies", () -> new BenchPlan(name, list, seedList, rounds != null ? rounds : p == null ? null : p.rounds(),
                initial != null ? initial : p == null ? null : p.initial(), count != null ? count : p == null ? null : p.count(),
                initialStrategy, env, p == null ? null : p.resumeFromPrevious(), options));
    }

    private int emit(List<ObjectNode> manifests, BenchPlan plan) throws java.io.IOException {
        List<ObjectNode> docs;
        try {
            docs = BenchManifests.forCluster(manifests, plan);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        Files.createDirectories(emit);
        Path out = emit.resolve(plan.name() + ".yaml");
        YAMLMapper yaml = new YAMLMapper();
        StringBuilder text = new StringBuilder("# winnow bench " + plan.name() + ": " + docs.size() / 2
                + " loops, one per strategy and seed. kubectl apply -f this file, then:\n#   winnow report --selector "
                + ReportCommand.selector(plan.name()) + " --out report\n");
        for (ObjectNode doc : docs) {
            text.append(yaml.writeValueAsString(doc));
        }
        Files.writeString(out, text);
        System.out.println("Wrote " + docs.size() / 2 + " loops to " + out);
        System.out.println("  kubectl apply -f " + out);
        System.out.println("  winnow report --selector " + ReportCommand.selector(plan.name()) + " --out report");
        return 0;
    }
}
