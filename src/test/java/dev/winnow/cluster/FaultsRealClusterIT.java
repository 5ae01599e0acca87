package dev.winnow.cluster;

import dev.winnow.api.v1alpha1.ActiveLearningLoop;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Faults at every step type of a loop on the real cluster, with the chart's default install: each disturbed loop
 * ends as the undisturbed one did, with the same metrics and the same picks in every round, one history entry per
 * round and one condition per type.
 */
class FaultsRealClusterIT {
    static final String SYSTEM = "winnow-faults";
    static final int ROUNDS = 2;

    static Installation winnow;
    static KubernetesClient client;
    static Tenant reference;
    static Map<String, Object> undisturbed;

    @BeforeAll
    static void installAndStartAnUndisturbedLoop() throws Exception {
        winnow = Installation.install("winnow", SYSTEM, Map.of());
        client = winnow.client;
        // it runs beside the first disturbed loop; its faults (an operator or a node restarted) are over
        // before it is compared, and it must end as if nothing happened too
        reference = start("reference");
    }

    static synchronized Map<String, Object> undisturbed() throws Exception {
        if (undisturbed == null) {
            undisturbed = Faults.outcome(winnow.finished(reference.namespace(), "fashion", ROUNDS), reference);
        }
        return undisturbed;
    }

    @AfterAll
    static void uninstall() {
        if (winnow != null) {
            winnow.uninstall();
        }
    }

    static Tenant start(String namespace) throws Exception {
        Tenant tenant = Tenant.create(winnow.cluster, namespace, 1000);
        client.resource(tenant.dataset("fashion")).create();
        client.resource(tenant.loop("fashion", "fashion", ROUNDS, 50)).create();
        return tenant;
    }

    void assertLikeTheUndisturbedLoop(Tenant tenant, String what) throws Exception {
        ActiveLearningLoop loop = winnow.finished(tenant.namespace(), "fashion", ROUNDS);
        Faults.assertSameOutcome(undisturbed(), Faults.outcome(loop, tenant), what);
        // Events are not compared here: an operator killed at every step type has, once, told a transition again
        // (the two-replica hand-over in FailoverRealClusterIT tells each once)
    }

    @Test
    void theOperatorsPodForceDeletedAtEveryStepType() throws Exception {
        Tenant tenant = start("force-deleted");
        new Faults(winnow).atEveryStepType(tenant.namespace(), step -> {
            Pod operator = winnow.leader().orElseGet(() -> winnow.pods().get(0));
            client.pods().inNamespace(SYSTEM).withName(operator.getMetadata().getName()).withGracePeriod(0).delete();
        });
        assertLikeTheUndisturbedLoop(tenant, "operator force-deleted at every step type");
    }

    @Test
    void aStepsPodDeletedAtEveryStepType() throws Exception {
        Tenant tenant = start("pod-deleted");
        new Faults(winnow).atEveryStepType(tenant.namespace(),
                step -> client.pods().inNamespace(tenant.namespace()).withName(step.getMetadata().getName()).delete());
        assertLikeTheUndisturbedLoop(tenant, "step pods deleted at every step type");
    }

    @Test
    void theKubeletAndContainerdRestartedAtEveryStepType() throws Exception {
        Tenant tenant = start("node-restarted");
        new Faults(winnow).atEveryStepType(tenant.namespace(), step -> {
            winnow.cluster.stop("kubelet", "containerd");
            winnow.cluster.start();
        });
        assertLikeTheUndisturbedLoop(tenant, "kubelet and containerd restarted at every step type");
    }

    @Test
    void aSecondAttemptOfAFinishedStepChangesNothingDownstream() throws Exception {
        Tenant tenant = start("second-attempt");
        // round 1's training has finished (its inference is under way): a second pod of the train Job's template
        // starts, as the Job controller made one around an API-server restart, and trains differently (one epoch)
        winnow.until(Installation.LOOP_TIMEOUT, () -> client.batch().v1().jobs().inNamespace(tenant.namespace()).withName("fashion-r1-infer").get() != null,
                () -> winnow.describe(tenant.namespace()));
        Job train = client.batch().v1().jobs().inNamespace(tenant.namespace()).withName("fashion-r1-train").get();
        Pod second = new io.fabric8.kubernetes.api.model.PodBuilder().withNewMetadata().withName("fashion-r1-train-second")
                .withLabels(train.getSpec().getTemplate().getMetadata().getLabels()).endMetadata()
                .withSpec(train.getSpec().getTemplate().getSpec()).build();
        second.getSpec().getContainers().get(0).getEnv().removeIf(e -> "WINNOW_EPOCHS".equals(e.getName()));
        second.getSpec().getContainers().get(0).getEnv().add(new io.fabric8.kubernetes.api.model.EnvVar("WINNOW_EPOCHS", "1", null));
        client.pods().inNamespace(tenant.namespace()).resource(second).create();
        winnow.until(Duration.ofMinutes(5), () -> List.of("Succeeded", "Failed").contains(client.pods().inNamespace(tenant.namespace())
                .withName("fashion-r1-train-second").get().getStatus().getPhase()), () -> winnow.describe(tenant.namespace()));
        assertEquals("Succeeded", client.pods().inNamespace(tenant.namespace()).withName("fashion-r1-train-second").get().getStatus().getPhase());

        assertLikeTheUndisturbedLoop(tenant, "a second attempt of round 1's training");
        var run = client.resources(dev.winnow.api.v1alpha1.TrainingRun.class).inNamespace(tenant.namespace()).withName("fashion-r1").get();
        String secondUid = client.pods().inNamespace(tenant.namespace()).withName("fashion-r1-train-second").get().getMetadata().getUid();
        assertNotEquals(secondUid, run.getStatus().trainAttempt, "the run reads the attempt that finished first");
        assertTrue(Files.isDirectory(tenant.volume().resolve("work/fashion/artifacts/runs/fashion-r1/attempts/" + secondUid + "/model")),
                "the second attempt wrote a place of its own");
    }

    @Test
    void anApiServerOutageOf30sCostsAtMostOneRestartAndTheNextStepFollowsWithin15s() throws Exception {
        Tenant tenant = start("api-outage");
        int restartsBefore = winnow.pods().stream().mapToInt(Installation::restarts).sum();
        // while round 1 trains: the step ends during the outage, and its successor waits for the API server's return
        winnow.until(Installation.LOOP_TIMEOUT, () -> client.pods().inNamespace(tenant.namespace()).withLabel("job-name", "fashion-r1-train")
                .list().getItems().stream().anyMatch(p -> "Running".equals(p.getStatus().getPhase())), () -> winnow.describe(tenant.namespace()));
        winnow.cluster.stop("kube-apiserver");
        Instant stopped = Instant.now();
        winnow.until(Duration.ofSeconds(45), () -> Duration.between(stopped, Instant.now()).toSeconds() >= 30, () -> "30 s of outage");
        winnow.cluster.start();
        Instant back = Instant.now();

        winnow.until(Duration.ofMinutes(5), () -> client.batch().v1().jobs().inNamespace(tenant.namespace()).withName("fashion-r1-infer").get() != null,
                () -> winnow.describe(tenant.namespace()));
        // the operator's part: once the API server is back and the Job controller has counted the training
        // (the kubelet reports the pod that ended during the outage only when its node is Ready again), the next
        // step follows within 15 s
        Job train = client.batch().v1().jobs().inNamespace(tenant.namespace()).withName("fashion-r1-train").get();
        Job next = client.batch().v1().jobs().inNamespace(tenant.namespace()).withName("fashion-r1-infer").get();
        Instant trained = Instant.parse(train.getStatus().getCompletionTime());
        Instant from = trained.isAfter(back) ? trained : back;
        Duration after = Duration.between(from, Instant.parse(next.getMetadata().getCreationTimestamp()));
        assertTrue(after.toSeconds() <= 15, "the next step came " + after.toSeconds() + " s after the API server's return ("
                + back + ") and the training's completion (" + trained + "):\n" + winnow.describe(tenant.namespace()));
        assertLikeTheUndisturbedLoop(tenant, "API server stopped for 30 s");
        int restarts = winnow.pods().stream().mapToInt(Installation::restarts).sum() - restartsBefore;
        assertTrue(restarts <= 1, "an outage costs at most one restart, not a crash loop: " + restarts + "\n"
                + winnow.cluster.kubectl("-n", SYSTEM, "get", "pods", "-o", "wide"));
    }
}
