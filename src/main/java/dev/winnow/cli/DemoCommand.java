package dev.winnow.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.winnow.dashboard.DashboardServer;
import dev.winnow.local.api.EmbeddedApiServer;
import dev.winnow.local.demo.DemoManifests;
import dev.winnow.local.demo.DetectionDemo;
import dev.winnow.local.demo.TrainingOptions;
import dev.winnow.local.demo.DemoSession;
import dev.winnow.local.demo.FashionMnistFiles;
import dev.winnow.local.kubelet.JarStepLauncher;
import dev.winnow.operator.OperatorSettings;
import dev.winnow.operator.WinnowOperator;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code winnow demo}: a whole active learning loop on one machine, no cluster (DESIGN §6). */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run an active learning loop on this machine: an embedded Kubernetes API, Winnow's operator, "
                + "and the steps as local processes of the worker. Writes rounds.csv and the learning curve.")
public class DemoCommand implements Callable<Integer> {
    /**
     * The image whose steps run locally. The operator is given the same name for the steps it creates, so they
     * agree by construction; manifests that pin this repository (any tag) run too.
     */
    public static final String WORKER_IMAGE = OperatorSettings.DEFAULT_WORKER_IMAGE;

    @Spec
    CommandSpec spec;

    @Mixin
    TrainingFlags training = new TrainingFlags();

    @Option(names = "--task", defaultValue = "classification", description = "classification (Fashion-MNIST, the default) "
            + "or detection (Fashion-MNIST items on canvases, the built-in detector, mAP per round; manifest "
            + DetectionDemo.BUNDLED + ").")
    String task;

    @Option(names = "--file", description = "Manifest with a Dataset and an ActiveLearningLoop (default: the bundled "
            + DemoManifests.BUNDLED + ").")
    Path file;

    @Option(names = "--rounds", description = "Trained rounds (stopWhen.maxRounds).")
    Integer rounds;

    @Option(names = "--initial", description = "Size of the first, model-free selection.")
    Integer initial;

    @Option(names = "--initial-strategy", description = "Strategy of the first, model-free selection, e.g. random, "
            + "typiclust, probcover, coreset.")
    String initialStrategy;

    @Option(names = "--embed", description = "Give the Dataset an embedder: the embed step trains a self-supervised "
            + "encoder on the pool first, and model-free first picks (typiclust, coreset...) use its embeddings, not pixels. "
            + "Writes pool-map.png/.svg after each round.")
    boolean embed;

    @Option(names = "--count", description = "Samples selected per round.")
    Integer count;

    @Option(names = "--strategy", description = "Selection strategy per round, e.g. margin, entropy, coreset, random.")
    String strategy;

    @Option(names = "--seed", description = "Seed of the loop: round r trains and selects with seed + r (default 0 for every step).")
    Long seed;

    @Option(names = "--workdir", defaultValue = "winnow-demo", description = "Working directory (default: ${DEFAULT-VALUE}).")
    Path workdir;

    @Option(names = "--fresh", description = "Start over; without it a run in the same workdir resumes.")
    boolean fresh;

    @Option(names = "--compare", description = "Also run a baseline for the picture; only 'random' is known.")
    String compare;

    @Option(names = "--source", description = "Directory with the Fashion-MNIST IDX files (default: ${DEFAULT-VALUE}).")
    Path source = FashionMnistFiles.DEFAULT_DIR;

    @Option(names = "--port", defaultValue = "0", description = "Port of the embedded API for kubectl (default: a free one).")
    int port;

    @Option(names = "--dashboard-port", defaultValue = "0", description = "Port of the dashboard on localhost "
            + "(default: a free one; -1: no dashboard).")
    int dashboardPort;

    @Option(names = "--parallel", defaultValue = "2", description = "Steps running at once (default: ${DEFAULT-VALUE}).")
    int parallel;

    @Override
    public Integer call() throws Exception {
        return DataPlane.run("demo", this::runIt);
    }

    private Integer runIt() throws Exception {
        if (compare != null && !compare.equals("random")) {
            throw new ParameterException(spec.commandLine(), "--compare: only 'random' is supported");
        }
        if (strategy != null) {
            LocalRun.option(spec, "--strategy", () -> DemoManifests.strategy(strategy));
        }
        if (initialStrategy != null) {
            LocalRun.option(spec, "--initial-strategy", () -> DemoManifests.initialStrategy(initialStrategy));
        }
        boolean detection = LocalRun.detection(spec, task);
        TrainingOptions trainWith = training.options(spec, detection);
        List<ObjectNode> manifests = detection && file == null ? DemoManifests.read(DetectionDemo.bundled())
                : DemoSession.manifests(file);
        boolean idx = detection || manifests.stream().anyMatch(d -> d.path("kind").asText().equals("Dataset")
                && d.path("spec").path("source").path("format").asText().equals("Idx"));
        List<String> missing = idx ? FashionMnistFiles.missing(source) : List.of();
        if (!missing.isEmpty()) {
            System.err.println(FashionMnistFiles.hint(source, missing));
            return 2;
        }
        Path dir = workdir.toAbsolutePath();
        Path pool = source.toAbsolutePath();
        boolean startFresh = fresh;
        if (detection) {
            // the generated pool lives in the workdir, so the workdir is made (or emptied) before it is written
            Path data;
            try {
                data = DetectionDemo.prepare(dir, fresh, pool, System.out);
            } catch (IllegalStateException e) {
                System.err.println("winnow demo: " + e.getMessage());
                return 1;
            }
            startFresh = false;
            manifests = DetectionDemo.withGroundTruth(manifests, data);
            pool = data.resolve("images");
        }
        DemoManifests.Settings settings = new DemoManifests.Settings(dir, pool, rounds, initial, initialStrategy, count,
                strategy, seed, "random".equals(compare), embed, trainWith);
        DemoSession.Options options = new DemoSession.Options(dir, startFresh, manifests, settings, port, parallel,
                WORKER_IMAGE, JarStepLauncher.forThisJar(), DemoCommand::startOperator, Duration.ofSeconds(5));
        DemoSession session = new DemoSession(options, System.out);
        if (dashboardPort >= 0) {
            session.alongside((client, out) -> dashboard(client, out, dashboardPort));
        }
        return LocalRun.run(session, "demo", (s, exit) -> exit);
    }

    /** {@code winnow dashboard} on the embedded API, so the loop and its curve can be watched in a browser. */
    static AutoCloseable dashboard(KubernetesClient client, java.io.PrintStream out, int port) {
        DashboardServer server = DashboardServer.start(client, List.of(EmbeddedApiServer.NAMESPACE), "127.0.0.1", port,
                System.getenv());
        out.println("Dashboard: " + server.url() + " (the loop, its rounds and its learning curve, live)");
        return server;
    }

    /** The same operator as on a cluster, watching the embedded API's namespace. */
    static AutoCloseable startOperator(KubernetesClient client, String workerImage) {
        Operator operator = WinnowOperator.create(client, new OperatorSettings(workerImage, Set.of(EmbeddedApiServer.NAMESPACE)));
        operator.start();
        return operator::stop;
    }
}
