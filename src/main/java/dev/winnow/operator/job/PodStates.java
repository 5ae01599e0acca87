package dev.winnow.operator.job;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a pod shows about why it did not finish, in one line: the pod's own reason (Evicted,
 * DeadlineExceeded), a container that exited non-zero, a container left waiting (ImagePullBackOff,
 * CreateContainerConfigError), or the scheduler's refusal.
 */
public final class PodStates {
    private PodStates() {
    }

    public static Optional<String> describe(Pod pod) {
        var status = pod.getStatus();
        if (status == null) {
            return Optional.empty();
        }
        List<String> parts = new ArrayList<>();
        if (status.getReason() != null) {
            parts.add(status.getReason() + (status.getMessage() == null ? "" : ": " + status.getMessage()));
        }
        StepRunner.failedContainer(pod).ifPresent(c -> parts.add("container " + c.getName() + " exited with code "
                + c.getState().getTerminated().getExitCode() + reason(c.getState().getTerminated().getReason())));
        for (ContainerStatus c : containers(pod)) {
            if (c.getState() != null && c.getState().getWaiting() != null && c.getState().getWaiting().getReason() != null
                    && !"PodInitializing".equals(c.getState().getWaiting().getReason())) {
                var waiting = c.getState().getWaiting();
                parts.add("container " + c.getName() + " waiting: " + waiting.getReason()
                        + (waiting.getMessage() == null ? "" : " (" + waiting.getMessage() + ")"));
            }
        }
        if (status.getConditions() != null) {
            status.getConditions().stream()
                    .filter(c -> "PodScheduled".equals(c.getType()) && "False".equals(c.getStatus()))
                    .map(PodStates::unscheduled)
                    .findFirst().ifPresent(parts::add);
        }
        return parts.isEmpty() ? Optional.empty() : Optional.of(pod.getMetadata().getName() + " " + String.join("; ", parts));
    }

    private static String unscheduled(PodCondition c) {
        return "not scheduled: " + c.getReason() + (c.getMessage() == null ? "" : " (" + c.getMessage() + ")");
    }

    private static String reason(String reason) {
        return reason == null ? "" : " (" + reason + ")";
    }

    /** Init containers first, then the pod's containers. */
    static List<ContainerStatus> containers(Pod pod) {
        List<ContainerStatus> all = new ArrayList<>();
        if (pod.getStatus().getInitContainerStatuses() != null) {
            all.addAll(pod.getStatus().getInitContainerStatuses());
        }
        if (pod.getStatus().getContainerStatuses() != null) {
            all.addAll(pod.getStatus().getContainerStatuses());
        }
        return all;
    }
}
