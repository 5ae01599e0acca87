package dev.winnow.operator.job;

import dev.winnow.operator.status.Reason;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** How a Job that has not ended reads, through the states the real Job controller passes it through. */
class StepRunnerTest {
    final StepRunner runner = new StepRunner(null, null, null,
            new KueueWorkloads(null, new ServedApis((apiVersion, kind) -> false, java.time.Clock.systemUTC(), java.time.Duration.ofSeconds(15))));

    static Job job(JobStatus status) {
        return new JobBuilder().withNewMetadata().withName("fashion-r1-train").withNamespace("ml").withUid("job-uid").endMetadata()
                .withNewSpec().endSpec().withStatus(status).build();
    }

    static Event failedCreate(String uid, String message, String at) {
        return new EventBuilder().withNewMetadata().withName("fashion-r1-train." + at).endMetadata()
                .withNewInvolvedObject().withKind("Job").withName("fashion-r1-train").withNamespace("ml").withUid(uid).endInvolvedObject()
                .withReason("FailedCreate").withType("Warning").withMessage(message).withLastTimestamp(at).build();
    }

    @Test
    void aCompletingJobSettlesInsteadOfReadingZeroRunning() {
        // what the Job controller writes while one pod ends: active 1, then the pod uncounted, then counted
        var running = runner.observe(job(new JobStatusBuilder().withActive(1).build()), List.of());
        assertEquals(StepOutcome.State.RUNNING, running.state());
        assertEquals("Job fashion-r1-train: 1 running", running.message());
        var uncounted = runner.observe(job(new JobStatusBuilder().withActive(0).withNewUncountedTerminatedPods()
                .withSucceeded("pod-uid").endUncountedTerminatedPods().build()), List.of());
        assertEquals(StepOutcome.State.SETTLING, uncounted.state());
        var counted = runner.observe(job(new JobStatusBuilder().withActive(0).withSucceeded(1).build()), List.of());
        assertEquals(StepOutcome.State.SETTLING, counted.state());
        var notStarted = runner.observe(job(new JobStatus()), List.of());
        assertEquals(StepOutcome.State.SETTLING, notStarted.state(), "pods being created: nothing new either");
    }

    @Test
    void aJobBetweenRetriesAndASuspendedJobSaySo() {
        var retrying = runner.observe(job(new JobStatusBuilder().withActive(0).withFailed(2).build()), List.of());
        assertEquals(StepOutcome.State.RUNNING, retrying.state());
        assertEquals("Job fashion-r1-train: 2 failed attempts, retrying", retrying.message());
        Job suspended = job(new JobStatus());
        suspended.getSpec().setSuspend(true);
        assertEquals("Queued: Job fashion-r1-train is suspended until Kueue admits it", runner.observe(suspended, List.of()).message());
    }

    @Test
    void refusedPodsMakeTheStepStuckWithTheNewestMessageOfThisJob() {
        List<Event> events = List.of(
                failedCreate("job-uid", "Error creating: pods \"fashion-r1-train-a1b2c\" is forbidden: exceeded quota: gpu", "2026-01-01T10:00:00Z"),
                failedCreate("job-uid", "(combined from similar events): Error creating: pods \"fashion-r1-train-zz9yx\" is forbidden: "
                        + "violates PodSecurity \"restricted:v1.28\": seccompProfile", "2026-01-01T10:05:00Z"),
                failedCreate("an-older-job-of-the-same-name", "Error creating: pods \"x\" is forbidden: other", "2026-01-01T11:00:00Z"));
        var stuck = runner.observe(job(new JobStatus()), events);
        assertEquals(StepOutcome.State.STUCK, stuck.state());
        assertEquals(Reason.PodsForbidden, stuck.reason());
        assertEquals("Job fashion-r1-train cannot create pods: violates PodSecurity \"restricted:v1.28\": seccompProfile", stuck.message());

        var webhook = runner.observe(job(new JobStatus()), List.of(failedCreate("job-uid",
                "Error creating: Internal error occurred: failed calling webhook \"kueue\": connection refused", "2026-01-01T10:00:00Z")));
        assertEquals(Reason.PodsNotCreated, webhook.reason());
        assertEquals("Job fashion-r1-train cannot create pods: Internal error occurred: failed calling webhook \"kueue\": connection refused",
                webhook.message());

        var started = runner.observe(job(new JobStatusBuilder().withActive(1).build()), events);
        assertEquals(StepOutcome.State.RUNNING, started.state(), "once pods exist, an old refusal no longer counts");
    }

    static Pod pod(String phase, ContainerState state, PodCondition... conditions) {
        // an unscheduled pod has no container statuses yet
        var status = new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPhase(phase).addAllToConditions(List.of(conditions));
        if (state != null) {
            status.addNewContainerStatus().withName("train").withReady(false).withState(state).endContainerStatus();
        }
        return new PodBuilder().withNewMetadata().withName("fashion-r1-train-q8w4z").endMetadata().withStatus(status.build()).build();
    }

    static ContainerState waiting(String reason, String message) {
        return new ContainerStateBuilder().withNewWaiting().withReason(reason).withMessage(message).endWaiting().build();
    }

    @Test
    void podsThatCannotStartMakeTheStepStuckAndUnscheduledOnesSayWhy() {
        Job starting = job(new JobStatusBuilder().withActive(1).withReady(0).build());
        var secret = runner.observe(starting, List.of(), () -> List.of(pod("Pending",
                waiting("CreateContainerConfigError", "secret \"s3-creds\" not found"))));
        assertEquals(StepOutcome.State.STUCK, secret.state());
        assertEquals(Reason.PodsNotStarting, secret.reason());
        assertEquals("Job fashion-r1-train cannot start its pods: fashion-r1-train-q8w4z container train waiting: "
                + "CreateContainerConfigError (secret \"s3-creds\" not found)", secret.message());

        var unschedulable = runner.observe(starting, List.of(), () -> List.of(pod("Pending", null,
                new PodConditionBuilder().withType("PodScheduled").withStatus("False").withReason("Unschedulable")
                        .withMessage("0/3 nodes are available: 3 Insufficient nvidia.com/gpu.").build())));
        assertEquals(StepOutcome.State.STARTING, unschedulable.state(), "a node pool may still scale up: waiting, not stuck");
        assertEquals("Job fashion-r1-train: 1 starting, pod fashion-r1-train-q8w4z "
                + "not scheduled: Unschedulable (0/3 nodes are available: 3 Insufficient nvidia.com/gpu.)", unschedulable.message());

        var pulling = runner.observe(starting, List.of(), () -> List.of(pod("Pending", waiting("ContainerCreating", null))));
        assertEquals(StepOutcome.State.STARTING, pulling.state());
        assertEquals("Job fashion-r1-train: 1 starting", pulling.message());

        var failedPodLeftBehind = runner.observe(starting, List.of(), () -> List.of(pod("Failed", waiting("ImagePullBackOff", null))));
        assertEquals(StepOutcome.State.SETTLING, failedPodLeftBehind.state(), "only live pods count: an ended one is not stuck");
        assertEquals("Job fashion-r1-train: pods ended, waiting for the Job's verdict", failedPodLeftBehind.message(),
                "a pod that has just ended is not starting");

        // a running pod whose node stopped reporting is not ready: it runs, and the failed attempts are still told
        Job retried = job(new JobStatusBuilder().withActive(1).withReady(0).withFailed(1).build());
        var notReadyNode = runner.observe(retried, List.of(), () -> List.of(pod("Running", null)));
        assertEquals(StepOutcome.State.RUNNING, notReadyNode.state());
        assertEquals("Job fashion-r1-train: 1 running, 1 failed attempt", notReadyNode.message());

        Job ready = job(new JobStatusBuilder().withActive(1).withReady(1).build());
        assertEquals(StepOutcome.State.RUNNING, runner.observe(ready, List.of(), () -> {
            throw new AssertionError("a Job whose pods are all ready is not looked into");
        }).state());
    }
}
