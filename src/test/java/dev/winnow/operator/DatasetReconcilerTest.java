package dev.winnow.operator;

import dev.winnow.api.v1alpha1.Dataset;
import dev.winnow.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatasetReconcilerTest {
    MockCluster cluster;
    TestKubelet kubelet;

    @BeforeEach
    void start() {
        cluster = new MockCluster();
        kubelet = FakeSteps.install(new TestKubelet(cluster.client), r -> 0.5).automatic();
        cluster.startOperator();
    }

    @AfterEach
    void stop() {
        kubelet.close();
        cluster.close();
    }

    Dataset get(String name) {
        return cluster.client.resources(Dataset.class).inNamespace(MockCluster.NAMESPACE).withName(name).get();
    }

    String message(String name) {
        Dataset d = get(name);
        return d == null || d.getStatus() == null ? null : d.getStatus().message;
    }

    @Test
    void indexStepMakesTheDatasetReadyWithCountsAndTags() {
        kubelet.on("index", (job, i, env) -> TestKubelet.PodResult.ok("""
                {"samples": 60000, "labeled": 120, "classHistogram": {"a": 70, "b": 50},
                 "tags": [{"name": "initial", "count": 120, "uri": "s3://data/winnow/tags/initial.txt", "sha256": "ab12"}],
                 "manifest": "s3://data/winnow/datasets/fashion/manifest.jsonl"}"""));
        cluster.client.resource(Manifests.dataset("fashion")).create();

        Eventually.until(Duration.ofSeconds(20), () -> get("fashion").getStatus() != null
                && Conditions.isTrue(get("fashion").getStatus(), Conditions.READY), () -> String.valueOf(get("fashion").getStatus()));
        var status = get("fashion").getStatus();
        assertEquals("Ready", status.phase);
        assertEquals(60000L, status.samples);
        assertEquals(120L, status.labeled);
        assertEquals(70L, status.classHistogram.get("a"));
        assertEquals("initial", status.tags.get(0).name);
        assertEquals("ab12", status.tags.get(0).sha256);
        assertEquals(1L, status.observedGeneration);
        assertEquals(1, kubelet.ran().size(), "one index Job: " + kubelet.ran());
        assertEquals("fashion-index-g1", kubelet.ran().get(0));
    }

    @Test
    void failedIndexStepLeavesTheDatasetNotReadyWithTheStepsMessage() {
        kubelet.on("index", (job, i, env) -> TestKubelet.PodResult.fail("{\"error\": \"s3://data/fashion/: no IDX files found\"}"));
        cluster.client.resource(Manifests.dataset("broken")).create();

        Eventually.until(Duration.ofSeconds(20), () -> get("broken").getStatus() != null
                && "IndexFailed".equals(get("broken").getStatus().phase), () -> String.valueOf(get("broken").getStatus()));
        var ready = Conditions.find(get("broken").getStatus(), Conditions.READY).orElseThrow();
        assertEquals("False", ready.getStatus());
        assertTrue(ready.getMessage().contains("no IDX files found"), ready.getMessage());
        // backoffLimit 2: the step ran three times before the Job failed
        assertEquals(3, cluster.client.pods().inNamespace(MockCluster.NAMESPACE).withLabel("job-name", "broken-index-g1").list().getItems().size());
        var events = cluster.client.v1().events().inNamespace(MockCluster.NAMESPACE).list().getItems();
        assertTrue(events.stream().anyMatch(e -> "IndexFailed".equals(e.getReason()) && "Warning".equals(e.getType())), "a Warning event");
    }

    @Test
    void invalidUriIsReportedWithoutRunningAnything() {
        Dataset dataset = Manifests.dataset("bad-uri");
        dataset.getSpec().source.uri = "http://example.com/data";
        cluster.client.resource(dataset).create();

        Eventually.until(Duration.ofSeconds(20), () -> get("bad-uri").getStatus() != null, () -> "no status");
        var ready = Conditions.find(get("bad-uri").getStatus(), Conditions.READY).orElseThrow();
        assertEquals("InvalidSpec", ready.getReason());
        assertTrue(ready.getMessage().contains("spec.source.uri"), ready.getMessage());
        assertFalse(kubelet.ran().contains("bad-uri-index-g1"));
    }

    @Test
    void nameTooLongForLabelValuesIsReportedOnAClusterWithoutCel() {
        String name = "d".repeat(64);
        cluster.client.resource(Manifests.dataset(name)).create();

        Eventually.until(Duration.ofSeconds(20), () -> get(name).getStatus() != null, () -> "no status");
        var ready = Conditions.find(get(name).getStatus(), Conditions.READY).orElseThrow();
        assertEquals("InvalidSpec", ready.getReason());
        assertTrue(ready.getMessage().contains("at most 63"), ready.getMessage());
        assertTrue(kubelet.ran().isEmpty());
    }

    @Test
    void anImageThatCannotBePulledMakesTheStepStuckUntilThePodRuns() {
        kubelet.manual();
        cluster.client.resource(Manifests.dataset("fashion")).create();
        var jobs = cluster.client.batch().v1().jobs().inNamespace(MockCluster.NAMESPACE);
        Eventually.until(Duration.ofSeconds(20), () -> jobs.withName("fashion-index-g1").get() != null, () -> "no index Job");

        // what the Job controller and the kubelet show for a mistyped image: an active pod, none ready,
        // its container waiting in ImagePullBackOff; the Job itself never fails for it
        var pods = cluster.client.pods().inNamespace(MockCluster.NAMESPACE);
        var pod = pods.resource(new PodBuilder().withNewMetadata().withName("fashion-index-g1-x7k2p")
                .addToLabels("job-name", "fashion-index-g1").endMetadata()
                .withNewSpec().addNewContainer().withName("index").withImage("ghcr.io/winnow/worker:typo").endContainer().endSpec()
                .build()).create();
        pod.setStatus(new PodStatusBuilder().withPhase("Pending").addNewContainerStatus().withName("index").withReady(false)
                .withNewState().withNewWaiting().withReason("ImagePullBackOff")
                .withMessage("Back-off pulling image \"ghcr.io/winnow/worker:typo\"").endWaiting().endState().endContainerStatus().build());
        pod = pods.resource(pod).updateStatus();
        var job = jobs.withName("fashion-index-g1").get();
        job.setStatus(new JobStatusBuilder().withActive(1).withReady(0).build());
        job = jobs.resource(job).updateStatus();

        Eventually.until(Duration.ofSeconds(20), () -> Conditions.find(get("fashion").getStatus(), Conditions.PROGRESSING)
                .filter(c -> "False".equals(c.getStatus()) && "PodsNotStarting".equals(c.getReason())).isPresent(), () -> message("fashion"));
        assertEquals("Job fashion-index-g1 cannot start its pods: fashion-index-g1-x7k2p container index waiting: ImagePullBackOff "
                + "(Back-off pulling image \"ghcr.io/winnow/worker:typo\")", message("fashion"));

        // the image is pushed: the kubelet's next try pulls it, the pod runs, and the Job counts it ready
        pod.setStatus(new PodStatusBuilder().withPhase("Running").addNewContainerStatus().withName("index").withReady(true)
                .withNewState().withNewRunning().endRunning().endState().endContainerStatus().build());
        pods.resource(pod).updateStatus();
        job.setStatus(new JobStatusBuilder().withActive(1).withReady(1).build());
        jobs.resource(job).updateStatus();
        Eventually.until(Duration.ofSeconds(20), () -> "Job fashion-index-g1: 1 running".equals(message("fashion")), () -> message("fashion"));
        assertTrue(Conditions.isTrue(get("fashion").getStatus(), Conditions.PROGRESSING));
    }

    @Test
    void aJobCompletingThroughTheJobControllersStatesWritesNoFlickerAndNoExtraEvent() throws InterruptedException {
        kubelet.manual();
        cluster.client.resource(Manifests.dataset("fashion")).create();
        var jobs = cluster.client.batch().v1().jobs().inNamespace(MockCluster.NAMESPACE);
        Eventually.until(Duration.ofSeconds(20), () -> jobs.withName("fashion-index-g1").get() != null, () -> "no index Job");

        // the real Job controller: a pod runs, then ends uncounted (active 0), then is counted, then Complete
        var job = jobs.withName("fashion-index-g1").get();
        job.setStatus(new JobStatusBuilder().withActive(1).build());
        job = jobs.resource(job).updateStatus();
        Eventually.until(Duration.ofSeconds(20), () -> "Job fashion-index-g1: 1 running".equals(message("fashion")),
                () -> message("fashion"));
        job.setStatus(new JobStatusBuilder().withActive(0).withNewUncountedTerminatedPods().withSucceeded("pod-uid")
                .endUncountedTerminatedPods().build());
        job = jobs.resource(job).updateStatus();
        Thread.sleep(300);
        job.setStatus(new JobStatusBuilder().withActive(0).withSucceeded(1).build());
        jobs.resource(job).updateStatus();
        Thread.sleep(300);
        assertEquals("Job fashion-index-g1: 1 running", message("fashion"), "no '0 running' while the Job settles");
        kubelet.runPending();
        Eventually.until(Duration.ofSeconds(20), () -> Conditions.isTrue(get("fashion").getStatus(), Conditions.READY),
                () -> get("fashion").getStatus().message);

        var indexing = cluster.client.v1().events().inNamespace(MockCluster.NAMESPACE).list().getItems().stream()
                .filter(e -> "Dataset".equals(e.getInvolvedObject().getKind()) && "Indexing".equals(e.getReason()))
                .map(e -> e.getMessage()).sorted().toList();
        assertEquals(java.util.List.of("Job fashion-index-g1: 1 running", "created Job fashion-index-g1"), indexing);
    }

    @Test
    void changingTheReindexAnnotationCountsAgainAndSettles() throws InterruptedException {
        int[] labeled = {0};
        kubelet.on("index", (job, i, env) -> TestKubelet.PodResult.ok("{\"samples\": 1000, \"labeled\": " + labeled[0] + "}"));
        cluster.client.resource(Manifests.dataset("fashion")).create();
        Eventually.until(Duration.ofSeconds(20), () -> get("fashion").getStatus() != null
                && Conditions.isTrue(get("fashion").getStatus(), Conditions.READY), () -> String.valueOf(get("fashion").getStatus()));

        labeled[0] = 300;
        Dataset current = get("fashion");
        current.getMetadata().setAnnotations(java.util.Map.of(DatasetReconciler.REINDEX, "after-round-3"));
        cluster.client.resource(current).update();
        Eventually.until(Duration.ofSeconds(20), () -> Long.valueOf(300).equals(get("fashion").getStatus().labeled),
                () -> String.valueOf(get("fashion").getStatus().labeled) + " " + kubelet.ran());
        assertEquals(2, kubelet.ran().size(), kubelet.ran().toString());
        assertTrue(kubelet.ran().get(1).startsWith("fashion-index-g1-"), kubelet.ran().toString());

        // settled: no more Jobs, no status churn (the kubelet stops polling so only the operator is counted)
        kubelet.manual();
        Thread.sleep(200);
        int before = cluster.server.getRequestCount();
        Thread.sleep(1000);
        assertTrue(cluster.server.getRequestCount() - before < 10, "requests while idle: " + (cluster.server.getRequestCount() - before));
        assertEquals(2, kubelet.ran().size());
    }
}
