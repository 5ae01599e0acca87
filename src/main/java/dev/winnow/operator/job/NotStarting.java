package dev.winnow.operator.job;

import dev.winnow.operator.status.Reason;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Why a Job's pods exist but do not run. The Job controller counts such a pod as active and never
 * fails the Job for it, so without looking at the pods a wrong image name would read "running"
 * until the step's deadline: the kubelet's waiting reasons that need a person (an image that cannot
 * be pulled, a missing Secret or ConfigMap) make the step stuck; a pod the scheduler cannot place
 * yet (no GPU free, a node pool scaling up) is said in the message while the step keeps waiting.
 */
public final class NotStarting {
    /** The kubelet's waiting reasons that do not go away without someone fixing the image or the config. */
    static final Set<String> NEEDS_A_PERSON = Set.of("ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull",
            "CreateContainerConfigError", "CreateContainerError", "RunContainerError");

    private NotStarting() {
    }

    /** A stuck or starting outcome for a Job with {@code active} pods of which fewer are ready. */
    /**
     * @param failed the Job's failed attempts so far, which the message keeps
     * @param pods   the Job's pods: a pod counted active may have just ended, or run on a node that is not Ready
     */
    static StepOutcome of(String job, int failed, List<Pod> pods) {
        List<Pod> live = pods.stream().filter(NotStarting::live).toList();
        for (Pod pod : live) {
            Optional<StepOutcome> stuck = stuck(job, "Job " + job, pod);
            if (stuck.isPresent()) {
                return stuck.get();
            }
        }
        String attempts = failed == 0 ? "" : failed == 1 ? ", 1 failed attempt" : ", " + failed + " failed attempts";
        if (live.isEmpty()) {
            // the Job controller has not counted the pods that just ended yet
            return StepOutcome.settling(job, "Job " + job + ": pods ended, waiting for the Job's verdict" + attempts);
        }
        long pending = live.stream().filter(p -> "Pending".equals(p.getStatus().getPhase())).count();
        if (pending == 0) {
            // running but not ready: its node stopped reporting (NotReady), or the container just ended
            return StepOutcome.running(job, "Job " + job + ": " + live.size() + " running" + attempts);
        }
        String starting = "Job " + job + ": " + pending + " starting" + (live.size() > pending ? ", " + (live.size() - pending) + " running" : "")
                + attempts;
        Optional<String> unscheduled = live.stream().filter(NotStarting::unscheduled).findFirst().flatMap(PodStates::describe);
        return StepOutcome.starting(job, unscheduled.map(p -> starting + ", pod " + p).orElse(starting));
    }

    /**
     * The step named {@code job} as stuck when this live pod has a container the kubelet cannot start
     * ({@code what} names its owner for people: "Job x", "PyTorchJob x"); empty otherwise.
     */
    public static Optional<StepOutcome> stuck(String job, String what, Pod pod) {
        if (!live(pod) || PodStates.containers(pod).stream().noneMatch(NotStarting::needsAPerson)) {
            return Optional.empty();
        }
        return Optional.of(StepOutcome.stuck(job, Reason.PodsNotStarting, what + " cannot start its pods: "
                + PodStates.describe(pod).orElse(pod.getMetadata().getName())));
    }

    /** Not yet ended: a failed or succeeded pod left behind says nothing about the ones to come. */
    private static boolean live(Pod pod) {
        return pod.getStatus() != null && ("Pending".equals(pod.getStatus().getPhase()) || "Running".equals(pod.getStatus().getPhase()));
    }

    private static boolean needsAPerson(ContainerStatus c) {
        return c.getState() != null && c.getState().getWaiting() != null && NEEDS_A_PERSON.contains(c.getState().getWaiting().getReason());
    }

    private static boolean unscheduled(Pod pod) {
        return pod.getStatus().getConditions() != null && pod.getStatus().getConditions().stream()
                .anyMatch(c -> "PodScheduled".equals(c.getType()) && "False".equals(c.getStatus()));
    }
}
