package dev.winnow.cluster;

import dev.winnow.api.v1alpha1.ActiveLearningLoop;
import dev.winnow.api.v1alpha1.Dataset;
import dev.winnow.api.v1alpha1.SelectionRound;
import dev.winnow.api.v1alpha1.TrainingRun;
import dev.winnow.api.v1alpha1.WinnowStatus;
import dev.winnow.operator.Eventually;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.CustomResource;
import dev.winnow.operator.status.StatusWriter;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The chart's default install (one replica, leader election on a Lease) on a real cluster, as a new user runs
 * it: it stays up, renews its Lease, and runs a loop with real worker containers in a namespace that enforces
 * Pod Security {@code restricted}; its metrics answer through the chart's Service; its step failures read as
 * the kubelet and the API server put them.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DefaultInstallRealClusterIT {
    static final String SYSTEM = "winnow-system";

    static Installation winnow;
    static KubernetesClient client;
    static Instant installed;

    @BeforeAll
    static void install() {
        winnow = Installation.install("winnow", SYSTEM, Map.of());
        client = winnow.client;
        installed = winnow.pods().get(0).getMetadata().getCreationTimestamp() == null ? Instant.now()
                : Instant.parse(winnow.pods().get(0).getMetadata().getCreationTimestamp());
        printStartToReady(winnow.pods().get(0));
    }

    /**
     * The operator's time from container start to Ready (docs/images.md), two ways: from its first output (the JVM's
     * "Picked up JAVA_TOOL_OPTIONS") to its "winnow operator started" line, after which /readyz answers 200, by the
     * container runtime's log timestamps (ns); and from the container's startedAt to the pod's Ready condition, in
     * whole seconds and paced by the chart's readiness probe (first at 5 s, then every 10 s).
     */
    static void printStartToReady(Pod pod) {
        String log = client.pods().inNamespace(SYSTEM).withName(pod.getMetadata().getName()).usingTimestamps().getLog();
        List<String> lines = log.lines().toList();
        Function<String, Instant> at = line -> Instant.parse(line.substring(0, line.indexOf(' ')));
        String started = lines.stream().filter(l -> l.contains("winnow operator started")).findFirst().orElse(null);
        String ready = pod.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType()))
                .map(c -> c.getLastTransitionTime()).findFirst().orElse(null);
        String running = pod.getStatus().getContainerStatuses().get(0).getState().getRunning().getStartedAt();
        System.out.printf("operator start to Ready: first output to 'winnow operator started' %s ms;"
                        + " container startedAt %s to Ready condition %s: %d s%n",
                started == null || lines.isEmpty() ? "?" : Duration.between(at.apply(lines.get(0)), at.apply(started)).toMillis(),
                running, ready, ready == null ? -1 : Duration.between(Instant.parse(running), Instant.parse(ready)).toSeconds());
    }

    @AfterAll
    static void uninstall() {
        if (winnow != null) {
            winnow.uninstall();
        }
    }

    @Test
    @Order(1)
    void aTwoRoundLoopRunsToSucceededInARestrictedNamespace() throws Exception {
        Tenant team = Tenant.create(winnow.cluster, "team-a", 1000);
        client.resource(team.dataset("fashion")).create();
        client.resource(team.loop("fashion", "fashion", 2, 50)).create();

        ActiveLearningLoop loop = winnow.finished(team.namespace(), "fashion", 2);
        assertEquals("MaxRounds", loop.getStatus().stopReason);
        assertEquals(100L, loop.getStatus().labeled, "50 picked first, 50 after round 1; none after the last training");
        assertTrue(loop.getStatus().lastMetric > 0.3, "two epochs on 100 labels beat chance (0.1): " + loop.getStatus().lastMetric);
        for (var run : client.resources(TrainingRun.class).inNamespace(team.namespace()).list().getItems()) {
            Installation.assertOneConditionPerType(run.getStatus());
            winnow.assertNoRepeatedEvents(team.namespace(), "TrainingRun", run.getMetadata().getName());
        }
        winnow.assertNoRepeatedEvents(team.namespace(), "ActiveLearningLoop", "fashion");

        // the children's step Jobs, one of each: select and await-labels of each pick, prepare+train and infer per round
        Map<String, Long> jobsPerOwner = client.batch().v1().jobs().inNamespace(team.namespace()).list().getItems().stream()
                .collect(Collectors.groupingBy(j -> j.getMetadata().getOwnerReferences().get(0).getName(), Collectors.counting()));
        for (String child : List.of("fashion-r0", "fashion-r1", "fashion-r2")) {
            assertTrue(jobsPerOwner.containsKey(child), "Jobs of " + child + ": " + jobsPerOwner);
        }
        // every worker pod ran as the restricted level demands (the namespace would have refused it otherwise)
        List<Pod> pods = client.pods().inNamespace(team.namespace()).list().getItems();
        assertTrue(pods.stream().allMatch(p -> Boolean.TRUE.equals(p.getSpec().getSecurityContext().getRunAsNonRoot())), "non-root pods");
        String operatorPod = winnow.pods().get(0).getMetadata().getName();
        List<Event> loopEvents = client.v1().events().inNamespace(team.namespace()).withField("involvedObject.kind", "ActiveLearningLoop")
                .list().getItems();
        assertTrue(!loopEvents.isEmpty() && loopEvents.stream().allMatch(e -> e.getReportingInstance() != null
                && e.getReportingInstance().startsWith(operatorPod + "_")), "Events name the replica that wrote them");
    }

    /** Helm installed crds/; the operator applied them again at start with the chart's RBAC, marked with its version. */
    @Test
    @Order(1)
    void theOperatorAppliedItsOwnCrdsAtStart() {
        for (var crd : dev.winnow.local.api.WinnowCrds.load()) {
            var served = client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName()).get();
            assertEquals(RealCluster.TAG, served.getMetadata().getAnnotations().get(dev.winnow.operator.CrdUpgrade.VERSION_ANNOTATION),
                    crd.getMetadata().getName());
            assertTrue(served.getMetadata().getManagedFields().stream().anyMatch(m -> "winnow-operator".equals(m.getManager())
                    && "Apply".equals(m.getOperation())), "server-side applied by the operator");
        }
    }

    @Test
    @Order(2)
    void aStatusWrittenFromAnOlderVersionIsRefusedWith409() {
        var loops = client.resources(ActiveLearningLoop.class).inNamespace("team-a");
        ActiveLearningLoop read = loops.withName("fashion").get();
        // someone writes in between (a label here; another replica's status write alike)
        loops.withName("fashion").edit(l -> {
            var labels = new java.util.HashMap<String, String>(l.getMetadata().getLabels() == null ? Map.of() : l.getMetadata().getLabels());
            labels.put("team", "vision");
            l.getMetadata().setLabels(labels);
            return l;
        });
        KubernetesClientException stale = org.junit.jupiter.api.Assertions.assertThrows(KubernetesClientException.class,
                () -> StatusWriter.write(client, read), "a status computed from the older version");
        assertEquals(409, stale.getCode(), stale.getMessage());
        ActiveLearningLoop now = loops.withName("fashion").get();
        assertEquals(read.getStatus().history.size(), now.getStatus().history.size(), "nothing doubled");
        assertEquals(now.getMetadata().getResourceVersion(), StatusWriter.write(client, now).getMetadata().getResourceVersion(),
                "from the current version the same status is accepted (and changes nothing)");
    }

    @Test
    @Order(3)
    void metricsThroughTheChartsServiceShowRoundsAndStepDurations() {
        String metrics = client.raw("/api/v1/namespaces/" + SYSTEM + "/services/winnow-metrics:metrics/proxy/metrics");
        assertTrue(metrics.contains("winnow_rounds_completed_total"), metrics);
        double rounds = metrics.lines().filter(l -> l.startsWith("winnow_rounds_completed_total"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
        assertTrue(rounds >= 2, "rounds completed: " + rounds);
        assertTrue(metrics.lines().anyMatch(l -> l.startsWith("winnow_step_duration_seconds_count") && l.contains("step=\"train\"")),
                "train steps' durations");
        assertTrue(metrics.contains("reconciliations_started_total"), "JOSDK's reconcile metrics");
    }

    @Test
    @Order(9) // last: the other tests run during its two minutes
    void theOperatorStaysUpTwoMinutesAndRenewsItsLease() {
        Lease first = winnow.lease();
        Pod pod = winnow.pods().get(0);
        String name = pod.getMetadata().getName();
        assertTrue(first.getSpec().getHolderIdentity().startsWith(name + "_"), "the operator's pod holds the Lease: " + first.getSpec());
        winnow.until(Duration.ofMinutes(3), () -> Duration.between(installed, Instant.now()).toSeconds() >= 125,
                () -> "waiting for two minutes since the install");
        Pod now = winnow.pods().get(0);
        assertEquals(name, now.getMetadata().getName(), "the same pod");
        assertEquals(0, Installation.restarts(now), () -> "the operator restarted:\n" + winnow.cluster.kubectl("-n", SYSTEM, "logs", name, "--previous"));
        // renewed every 2 s (the retry period), well within its 15 s term
        winnow.until(Duration.ofSeconds(15), () -> winnow.lease().getSpec().getRenewTime().isAfter(first.getSpec().getRenewTime()),
                () -> "renewTime stays at " + first.getSpec().getRenewTime());
        Lease later = winnow.lease();
        assertEquals(first.getSpec().getHolderIdentity(), later.getSpec().getHolderIdentity());
        ZonedDateTime renewed = later.getSpec().getRenewTime();
        assertTrue(Duration.between(renewed.toInstant(), Instant.now()).toSeconds() < 15, "renewed within its term: " + renewed);
        String log = winnow.cluster.kubectl("-n", SYSTEM, "logs", name);
        assertTrue(log.contains("leads: holds the Lease"), "leadership is logged:\n" + log);
    }

    @Test
    @Order(4)
    void aStepWhoseImageDoesNotExistIsPodsNotStartingWithTheKubeletsWords() throws Exception {
        // team-a's Dataset has the labels of the loop above, so the prepare step passes and the trainer's image is due
        Tenant team = Tenant.existing(winnow.cluster, "team-a");
        client.resource(team.load(TrainingRun.class, """
                apiVersion: winnow.dev/v1alpha1
                kind: TrainingRun
                metadata: {name: missing-image, namespace: team-a}
                spec:
                  datasetRef: fashion
                  trainOn: {allLabeled: true}
                  trainer:
                    image: "localhost/no-such-trainer:1"
                    podSecurityContext: {runAsNonRoot: true, runAsUser: 1000, seccompProfile: {type: RuntimeDefault}}
                    securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}
                """)).create();
        TrainingRun run = winnow.await(TrainingRun.class, team.namespace(), "missing-image",
                r -> r.getStatus() != null && r.getStatus().conditions.stream().anyMatch(c -> "PodsNotStarting".equals(c.getReason())),
                Duration.ofMinutes(3));
        Condition stuck = run.getStatus().conditions.stream().filter(c -> "PodsNotStarting".equals(c.getReason())).findFirst().orElseThrow();
        assertTrue(stuck.getMessage().contains("ErrImagePull") || stuck.getMessage().contains("ImagePullBackOff"), stuck.getMessage());
        assertTrue(stuck.getMessage().contains("localhost/no-such-trainer:1"), stuck.getMessage());
    }

    @Test
    @Order(5)
    void aQuotaThatRefusesPodsIsPodsForbiddenWithTheApiServersWords() throws Exception {
        Tenant team = Tenant.create(winnow.cluster, "team-q", 300);
        winnow.cluster.kubectl("-n", team.namespace(), "create", "quota", "no-pods", "--hard=pods=0");
        client.resource(team.dataset("fashion")).create();
        Dataset dataset = winnow.await(Dataset.class, team.namespace(), "fashion",
                d -> d.getStatus() != null && d.getStatus().conditions.stream().anyMatch(c -> "PodsForbidden".equals(c.getReason())),
                Duration.ofMinutes(3));
        Condition forbidden = dataset.getStatus().conditions.stream().filter(c -> "PodsForbidden".equals(c.getReason())).findFirst().orElseThrow();
        assertTrue(forbidden.getMessage().contains("exceeded quota: no-pods"), forbidden.getMessage());
    }

    @Test
    @Order(6)
    void deletingALoopMidRoundLeavesNothingBehind() throws Exception {
        Tenant team = Tenant.create(winnow.cluster, "team-d", 1000);
        client.resource(team.dataset("fashion")).create();
        client.resource(team.loop("doomed", "fashion", 3, 50)).create();
        // mid-round: the first training's Job has a pod
        winnow.until(Installation.LOOP_TIMEOUT, () -> client.pods().inNamespace(team.namespace()).withLabel("job-name", "doomed-r1-train")
                .list().getItems().size() > 0, () -> winnow.describe(team.namespace()));
        client.resources(ActiveLearningLoop.class).inNamespace(team.namespace()).withName("doomed").delete();
        winnow.until(Duration.ofMinutes(3), () -> client.resources(TrainingRun.class).inNamespace(team.namespace()).list().getItems().isEmpty()
                && client.resources(SelectionRound.class).inNamespace(team.namespace()).list().getItems().isEmpty()
                && client.batch().v1().jobs().inNamespace(team.namespace()).list().getItems().stream().allMatch(this::ownedByTheDataset)
                && client.pods().inNamespace(team.namespace()).list().getItems().stream().noneMatch(p -> p.getMetadata().getName().startsWith("doomed")),
                () -> winnow.describe(team.namespace()));
    }

    @Test
    @Order(7)
    void aWaitThatReportsProgressIsDeletedAndTheNextWaitCarriesOn() throws Exception {
        Tenant team = Tenant.existing(winnow.cluster, "team-a");
        client.resource(team.load(SelectionRound.class, """
                apiVersion: winnow.dev/v1alpha1
                kind: SelectionRound
                metadata: {name: by-hand, namespace: team-a}
                spec:
                  datasetRef: fashion
                  strategy: {name: Random}
                  count: 5
                  seed: 3
                  exclude: {allLabeled: true}
                  labeling: {mode: External, pollSeconds: 2}
                """)).create();
        winnow.until(Duration.ofMinutes(3), () -> client.batch().v1().jobs().inNamespace("team-a").withName("by-hand-await").get() != null,
                () -> winnow.describe("team-a"));
        // people label two of the five, as a tool's export lands in the labels store
        java.nio.file.Path work = team.volume().resolve("work/fashion");
        List<String> picked = Tenant.selectedIds(work.resolve("artifacts/rounds/by-hand/selection.jsonl"));
        java.nio.file.Path labels = work.resolve("labels/people.jsonl");
        java.nio.file.Files.writeString(labels, picked.subList(0, 2).stream()
                .map(id -> "{\"id\": \"" + id + "\", \"label\": \"bag\"}\n").collect(Collectors.joining()));
        // the wait ends to report them (after a minute), the operator records them, deletes that Job and waits on
        SelectionRound reported = winnow.await(SelectionRound.class, "team-a", "by-hand",
                r -> r.getStatus() != null && Long.valueOf(2).equals(r.getStatus().labeled), Duration.ofMinutes(3));
        assertEquals("AwaitingLabels", reported.getStatus().phase);
        winnow.until(Duration.ofMinutes(1), () -> client.batch().v1().jobs().inNamespace("team-a").withName("by-hand-await").get() == null
                && client.pods().inNamespace("team-a").withLabel("job-name", "by-hand-await").list().getItems().isEmpty()
                && client.batch().v1().jobs().inNamespace("team-a").withName("by-hand-await-2").get() != null,
                () -> "the reported wait's Job and pods are deleted, the next wait runs:\n" + winnow.describe("team-a"));
        java.nio.file.Files.writeString(labels, picked.stream()
                .map(id -> "{\"id\": \"" + id + "\", \"label\": \"bag\"}\n").collect(Collectors.joining()));
        SelectionRound done = winnow.await(SelectionRound.class, "team-a", "by-hand", r -> Installation.phaseIn(r.getStatus(), "Succeeded"),
                Duration.ofMinutes(3));
        assertEquals(5L, done.getStatus().labeled);
    }

    private boolean ownedByTheDataset(Job job) {
        return job.getMetadata().getOwnerReferences().stream().allMatch(o -> "Dataset".equals(o.getKind()));
    }
}
