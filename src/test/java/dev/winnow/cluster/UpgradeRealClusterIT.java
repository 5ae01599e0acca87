package dev.winnow.cluster;

import dev.winnow.Needs;
import dev.winnow.api.v1alpha1.ActiveLearningLoop;
import dev.winnow.api.v1alpha1.TrainingRun;
import dev.winnow.local.api.WinnowCrds;
import dev.winnow.operator.CrdUpgrade;
import dev.winnow.operator.job.StepJobBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A platform team upgrades Winnow while tenants' loops run: the previous release (src/test/upgrade/previous-release,
 * built by src/test/upgrade/build-previous.sh: its chart and its images) is installed with its own CRDs, two loops
 * start, and in the middle of a round (one loop's wait for people's labels, a pod of the old worker) the release is
 * upgraded with `helm upgrade` to this build's chart and images. Every loop finishes with one history entry per round, no step runs twice, the step that was running
 * (the old worker's pod) is read by the new operator, and the new CRD fields are served.
 */
class UpgradeRealClusterIT {
    static final String SYSTEM = "winnow-upgrade";
    static final Path PREVIOUS = Path.of("target/previous-release");

    static String previous;
    static Installation winnow;
    static KubernetesClient client;

    @BeforeAll
    static void installThePreviousRelease() throws Exception {
        previous = Files.readString(Path.of("src/test/upgrade/previous-release")).strip().split("\\s+")[0];
        Needs.require(Files.isRegularFile(PREVIOUS.resolve("helm/winnow/Chart.yaml")),
                "no previous release in " + PREVIOUS + ": run src/test/upgrade/build-previous.sh (as root; .ci/run does)");
        RealCluster cluster = RealCluster.get();
        cluster.importImages("localhost/winnow-operator:" + previous, "localhost/winnow-worker:" + previous);
        client = cluster.client();
        // a cluster that never had Winnow: Helm installs the previous release's CRDs, as it did for its users
        for (var crd : WinnowCrds.load()) {
            client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName()).delete();
            client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName())
                    .waitUntilCondition(c -> c == null, 2, TimeUnit.MINUTES);
        }
        winnow = Installation.install(PREVIOUS.resolve("helm/winnow").toAbsolutePath(), "winnow", SYSTEM, Map.of());
        assertTrue(!served("trainingruns.winnow.dev", "skip"), "the previous release's CRDs have no inference.skip");
    }

    @AfterAll
    static void uninstall() {
        if (winnow != null) {
            winnow.uninstall();
        }
    }

    @Test
    void loopsRunningThroughAHelmUpgradeFinishOnceEachWithTheNewCrdsServed() throws Exception {
        Tenant team = Tenant.create(winnow.cluster, "team-upgrade", 1000);
        String ns = team.namespace();
        Map<String, Set<String>> jobUids = new ConcurrentHashMap<>();
        try (Watch jobs = client.batch().v1().jobs().inNamespace(ns).watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Job job) {
                jobUids.computeIfAbsent(job.getMetadata().getName(), n -> ConcurrentHashMap.newKeySet()).add(job.getMetadata().getUid());
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        })) {
            client.resource(team.dataset("fashion")).create();
            client.resource(team.dataset("people")).create();
            client.resource(team.loop("fashion", "fashion", 2, 50)).create();
            // the second loop's labels come from people (External): its first wait for labels, a pod of the old worker,
            // is sure to be running through the upgrade, and ends under the new operator when the labels land. Its Dataset
            // has a labels store of its own, so no other loop's labels end that wait early
            ActiveLearningLoop people = team.loop("second", "people", 2, 50);
            people.getSpec().labeling.mode = dev.winnow.contract.LabelingMode.External;
            people.getSpec().labeling.pollSeconds = 2;
            client.resource(people).create();

            winnow.until(Installation.LOOP_TIMEOUT, () -> awaitPod(ns).map(p -> "Running".equals(p.getStatus().getPhase())).orElse(false),
                    () -> winnow.describe(ns));
            Pod oldWait = awaitPod(ns).orElseThrow();

            winnow.cluster.upgrade("winnow", SYSTEM, Map.of());
            winnow.until(Duration.ofMinutes(3), () -> winnow.leader().map(p -> p.getSpec().getContainers().get(0).getImage()
                    .endsWith(":" + RealCluster.TAG)).orElse(false), () -> winnow.cluster.kubectl("-n", SYSTEM, "get", "pods,lease", "-o", "wide"));
            assertEquals("Running", client.pods().inNamespace(ns).withName(oldWait.getMetadata().getName()).get().getStatus().getPhase(),
                    "the old worker's wait outlived the old operator");

            // people label each round of the second loop as it asks (the true label of every pick)
            Path rounds = team.volume().resolve("work/people/artifacts/rounds");
            Path labels = Files.createDirectories(team.volume().resolve("work/people/labels"));
            Files.setPosixFilePermissions(labels, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
            winnow.until(Installation.LOOP_TIMEOUT, () -> {
                for (String round : List.of("second-r0", "second-r1")) {
                    Path selection = rounds.resolve(round).resolve("selection.jsonl");
                    Path labeled = labels.resolve("people-" + round + ".jsonl");
                    if (Files.exists(selection) && !Files.exists(labeled)) {
                        write(labeled, selection, team.volume().resolve("fashion"));
                    }
                }
                ActiveLearningLoop second = client.resources(ActiveLearningLoop.class).inNamespace(ns).withName("second").get();
                return Installation.phaseIn(second.getStatus(), "Succeeded", "Failed");
            }, () -> winnow.describe(ns));

            ActiveLearningLoop fashion = winnow.finished(ns, "fashion", 2);
            ActiveLearningLoop second = winnow.finished(ns, "second", 2);
            assertTrue(fashion.getStatus().lastMetric > 0.3, "the simulated loop learned: " + fashion.getStatus().lastMetric);
            assertEquals(100L, second.getStatus().labeled);
            assertTrue(second.getStatus().lastMetric > 0.3, "the loop labeled by people learned: " + second.getStatus().lastMetric);

            // the step that ran through the upgrade: the old worker's pod, its result read by the new operator
            assertEquals("localhost/winnow-worker:" + previous, oldWait.getSpec().getContainers().get(0).getImage());
            var firstRound = client.resources(dev.winnow.api.v1alpha1.SelectionRound.class).inNamespace(ns).withName("second-r0").get();
            assertEquals(50L, firstRound.getStatus().labeled, "the old worker's result, read by the new operator");

            // no step ran twice: each Job made once, and one Job per child and step
            jobUids.forEach((job, uids) -> assertEquals(1, uids.size(), "Job " + job + " was made " + uids.size() + " times"));
            Map<String, Long> perStep = client.batch().v1().jobs().inNamespace(ns).list().getItems().stream()
                    .filter(j -> !"await-labels".equals(j.getMetadata().getLabels().get(StepJobBuilder.STEP_LABEL)))
                    .collect(Collectors.groupingBy(j -> j.getMetadata().getOwnerReferences().get(0).getUid() + "/"
                            + j.getMetadata().getLabels().get(StepJobBuilder.STEP_LABEL), Collectors.counting()));
            assertTrue(perStep.values().stream().allMatch(n -> n == 1), "one Job per child and step: " + perStep);
        }

        // the new CRDs are served, applied by the new operator at start, and the new operator uses their new field
        assertTrue(served("trainingruns.winnow.dev", "skip"), "inference.skip served after the upgrade");
        for (var crd : WinnowCrds.load()) {
            assertEquals(RealCluster.TAG, client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName()).get()
                    .getMetadata().getAnnotations().get(CrdUpgrade.VERSION_ANNOTATION), crd.getMetadata().getName());
        }
        TrainingRun last = client.resources(TrainingRun.class).inNamespace(ns).withName("second-r2").get();
        assertEquals(Boolean.TRUE, last.getSpec().inference.skip, "the last round, made after the upgrade, keeps its new field");
    }

    /** The pod of the second loop's first wait for labels. */
    private static java.util.Optional<Pod> awaitPod(String ns) {
        return client.pods().inNamespace(ns).withLabel("job-name", "second-r0-await").list().getItems().stream().findFirst();
    }

    /**
     * The true label of every pick of a selection (from the pool's IDX labels: id train-i is item i), as a labeling
     * tool's export lands in the labels store.
     */
    private static void write(Path labels, Path selection, Path pool) {
        try {
            byte[] truth = Files.readAllBytes(pool.resolve("train-labels-idx1-ubyte"));
            List<String> classes = List.of(Tenant.CLASSES.substring(1, Tenant.CLASSES.length() - 1).split(",\\s*"));
            Path partial = labels.resolveSibling(labels.getFileName() + ".tmp");
            Files.writeString(partial, Tenant.selectedIds(selection).stream()
                    .map(id -> "{\"id\": \"" + id + "\", \"label\": \"" + classes.get(truth[8 + Integer.parseInt(id.substring("train-".length()))])
                            + "\"}\n")
                    .collect(Collectors.joining()));
            Files.move(partial, labels, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Whether the served CRD's schema has a property of this name under spec.inference. */
    private static boolean served(String crd, String property) {
        var schema = client.apiextensions().v1().customResourceDefinitions().withName(crd).get().getSpec().getVersions().get(0)
                .getSchema().getOpenAPIV3Schema().getProperties().get("spec").getProperties().get("inference");
        return schema != null && schema.getProperties() != null && schema.getProperties().containsKey(property);
    }
}
