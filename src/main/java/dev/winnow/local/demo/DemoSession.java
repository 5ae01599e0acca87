package dev.winnow.local.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.winnow.api.v1alpha1.ActiveLearningLoop;
import dev.winnow.local.api.EmbeddedApiServer;
import dev.winnow.local.kubelet.LocalExecutor;
import dev.winnow.local.kubelet.StepLauncher;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * One {@code winnow demo} run: embedded API, manifests applied (or the last run's state restored), the local
 * executor, the operator, progress on the terminal, and at the end rounds.csv and the learning curve.
 * {@link #close()} is safe to call from a shutdown hook (Ctrl-C) while {@link #run()} is waiting.
 */
public final class DemoSession implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> FINAL_PHASES = Set.of("Succeeded", "Failed");
    /** Held: java.util.logging keeps loggers weakly, and the level must stick. */
    private static final java.util.logging.Logger VERSION_WARNINGS =
            java.util.logging.Logger.getLogger("io.fabric8.kubernetes.client.dsl.internal.VersionUsageUtils");

    static {
        // "unstable version v1alpha1" once per type is noise in the user's terminal; the API is ours
        VERSION_WARNINGS.setLevel(java.util.logging.Level.SEVERE);
    }

    /**
     * @param manifests   the manifest (already read), applied on a fresh start
     * @param port        port of the kubectl-facing API; 0 picks one
     * @param parallel    pods at once
     * @param objects     what to create from the manifest on a fresh start (the benchmark makes many loops of one)
     */
    public record Options(Path workdir, boolean fresh, List<ObjectNode> manifests, DemoManifests.Settings settings,
                          int port, int parallel, String workerImage, StepLauncher launcher, OperatorStarter operator,
                          Duration snapshotEvery, UnaryOperator<List<ObjectNode>> objects) {
        /** The demo's objects: the manifest rewritten by {@link DemoManifests#rewrite}. */
        public Options(Path workdir, boolean fresh, List<ObjectNode> manifests, DemoManifests.Settings settings,
                       int port, int parallel, String workerImage, StepLauncher launcher, OperatorStarter operator,
                       Duration snapshotEvery) {
            this(workdir, fresh, manifests, settings, port, parallel, workerImage, launcher, operator, snapshotEvery,
                    docs -> DemoManifests.rewrite(docs, settings));
        }
    }

    private final Options o;
    private final PrintStream out;
    private final Instant start = Instant.now();
    private final CountDownLatch loopsDone = new CountDownLatch(1);
    private final ScheduledExecutorService snapshots = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "demo-snapshot");
        t.setDaemon(true);
        return t;
    });
    private final List<String> loopNames = new ArrayList<>();
    private EmbeddedApiServer api;
    private LocalExecutor executor;
    private AutoCloseable operator;
    private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
    private ProgressPrinter printer;
    private DemoPoolMap poolMap;
    private volatile boolean closed;
    private final List<Companion> companions = new ArrayList<>();
    private final List<AutoCloseable> started = new ArrayList<>();

    public DemoSession(Options options, PrintStream out) {
        this.o = options;
        this.out = out;
    }

    /** Something that runs beside the session on its API (the dashboard): started once the API is up, closed first. */
    @FunctionalInterface
    public interface Companion {
        AutoCloseable start(KubernetesClient client, PrintStream out) throws Exception;
    }

    /** Adds a companion; before {@link #run()}. */
    public DemoSession alongside(Companion companion) {
        companions.add(companion);
        return this;
    }

    /** Runs until every loop has finished; 0 when they all succeeded, 1 otherwise. */
    public int run() throws Exception {
        Path workdir = o.workdir().toAbsolutePath();
        boolean resume = DemoWorkdir.prepare(workdir, o.fresh());
        api = EmbeddedApiServer.start(workdir, o.port());
        KubernetesClient client = api.client();
        if (resume) {
            out.println("Resuming the run in " + workdir + " (" + ApiSnapshot.restore(client, workdir)
                    + " objects); --fresh starts over.");
        } else {
            for (ObjectNode doc : o.objects().apply(o.manifests())) {
                client.resource(JSON.treeToValue(doc, GenericKubernetesResource.class)).create();
            }
        }
        client.resources(ActiveLearningLoop.class).inNamespace(EmbeddedApiServer.NAMESPACE).list().getItems()
                .forEach(l -> loopNames.add(l.getMetadata().getName()));
        if (loopNames.isEmpty()) {
            throw new IllegalStateException("the manifest has no ActiveLearningLoop");
        }
        for (Companion c : companions) {
            started.add(c.start(client, out));
        }
        printKubectlHint(workdir);

        executor = new LocalExecutor(client, EmbeddedApiServer.NAMESPACE, new LocalExecutor.Settings(o.workerImage(),
                o.parallel(), workdir, Duration.ofSeconds(1)), o.launcher()).start();
        operator = o.operator().start(client, o.workerImage());

        printer = new ProgressPrinter(out, start, client);
        poolMap = client.resources(ActiveLearningLoop.class).inNamespace(EmbeddedApiServer.NAMESPACE).list().getItems().stream()
                .map(l -> new DemoPoolMap(workdir, l.getSpec().datasetRef)).findFirst().orElse(null);
        informers.add(client.batch().v1().jobs().inNamespace(EmbeddedApiServer.NAMESPACE)
                .inform(handler(printer::jobChanged)));
        informers.add(client.resources(ActiveLearningLoop.class).inNamespace(EmbeddedApiServer.NAMESPACE)
                .inform(handler(loop -> {
                    printer.loopChanged(loop);
                    if (poolMap != null && loop.getStatus() != null) {
                        poolMap.selectionChanged(loop.getStatus().selectionRound);
                    }
                    checkDone(client);
                })));
        snapshots.scheduleWithFixedDelay(this::snapshot, o.snapshotEvery().toMillis(), o.snapshotEvery().toMillis(),
                TimeUnit.MILLISECONDS);
        checkDone(client);
        loopsDone.await();
        if (closed) {
            return 130;
        }

        List<ActiveLearningLoop> loops = client.resources(ActiveLearningLoop.class)
                .inNamespace(EmbeddedApiServer.NAMESPACE).list().getItems();
        loops.forEach(printer::loopChanged);
        Path csv = RoundsCsv.write(workdir, printer.rows(loopNames), printer.metric());
        List<Path> pictures = LearningCurve.write(workdir, printer.series(loopNames), printer.metric());
        out.println();
        boolean allSucceeded = true;
        for (ActiveLearningLoop loop : loops) {
            var s = loop.getStatus();
            out.println("Loop " + loop.getMetadata().getName() + ": " + s.phase
                    + (s.stopReason == null ? "" : " (" + s.stopReason + ")")
                    + (s.message == null ? "" : ": " + s.message));
            allSucceeded &= "Succeeded".equals(s.phase);
        }
        out.println("Rounds:         " + csv);
        out.println("Learning curve: " + pictures.get(0));
        out.println("                " + pictures.get(1));
        Optional<List<Path>> map = poolMap == null ? Optional.empty() : poolMap.draw();
        if (map.isPresent()) {
            out.println("Pool map:       " + map.get().get(0));
            out.println("                " + map.get().get(1));
        }
        return allSucceeded ? 0 : 1;
    }

    /** The embedded API's client, between {@link #run()} and {@link #close()}: the benchmark reads its loops. */
    public KubernetesClient client() {
        if (api == null) {
            throw new IllegalStateException("the session has not started");
        }
        return api.client();
    }

    private void checkDone(KubernetesClient client) {
        List<ActiveLearningLoop> loops = client.resources(ActiveLearningLoop.class)
                .inNamespace(EmbeddedApiServer.NAMESPACE).list().getItems();
        if (!loops.isEmpty() && loops.stream().allMatch(l -> l.getStatus() != null && FINAL_PHASES.contains(l.getStatus().phase))) {
            loopsDone.countDown();
        }
    }

    private void printKubectlHint(Path workdir) {
        Path kubeconfig = api.kubeconfig();
        out.println("Embedded Kubernetes API on " + api.url() + ". Watch the run from another terminal:");
        out.println("  export KUBECONFIG=" + kubeconfig);
        out.println("  kubectl get activelearningloops -w");
        out.println("  kubectl get trainingruns,selectionrounds,jobs     # kubectl -w follows one type at a time");
        out.println("Step logs: " + workdir.resolve("logs") + " (or kubectl logs <pod>)");
        out.println();
    }

    private void snapshot() {
        try {
            ApiSnapshot.save(api.client(), api.kubeconfig().getParent());
        } catch (IOException | RuntimeException e) {
            out.println("warning: could not save the demo's state: " + e.getMessage());
        }
    }

    /**
     * Stops everything in the order that leaves the workdir consistent: no new steps (operator), running steps
     * killed and marked (executor), then the API's state saved for the next run.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        snapshots.shutdownNow();
        informers.forEach(SharedIndexInformer::stop);
        for (AutoCloseable c : started) {
            try {
                c.close();
            } catch (Exception e) {
                out.println("warning: stopping " + c + ": " + e.getMessage());
            }
        }
        if (operator != null) {
            try {
                operator.close();
            } catch (Exception e) {
                out.println("warning: stopping the operator: " + e.getMessage());
            }
        }
        if (executor != null) {
            executor.close();
        }
        if (poolMap != null) {
            poolMap.close();
        }
        if (api != null) {
            snapshot();
            api.close();
        }
        loopsDone.countDown();
    }

    private static <T> ResourceEventHandler<T> handler(Consumer<T> onChange) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                onChange.accept(obj);
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                onChange.accept(newObj);
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
            }
        };
    }

    /** Reads the manifest given with --file, or the bundled example. */
    public static List<ObjectNode> manifests(Path file) throws IOException {
        try (InputStream in = file == null ? DemoManifests.bundled() : java.nio.file.Files.newInputStream(file)) {
            return DemoManifests.read(in);
        }
    }
}
