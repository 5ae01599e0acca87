package dev.winnow.operator.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.winnow.contract.Results;
import dev.winnow.operator.metrics.WinnowMetrics;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Runs one step: creates its Job when absent (idempotently: the name is deterministic), otherwise
 * observes it (starting, running, refused pods, pods that cannot start, or settling between states
 * the Job controller passes through)
 * and, once it ends, reads the steps' results from the pods' termination messages.
 */
public final class StepRunner {
    static final String JOB_NAME_LABEL = "job-name";
    static final String COMPLETION_INDEX = "batch.kubernetes.io/job-completion-index";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KubernetesClient client;
    private final StepJobBuilder builder;
    private final WinnowMetrics metrics;
    private final KueueWorkloads workloads;

    public StepRunner(KubernetesClient client, StepJobBuilder builder, WinnowMetrics metrics, KueueWorkloads workloads) {
        this.client = client;
        this.builder = builder;
        this.metrics = metrics;
        this.workloads = workloads;
    }

    /**
     * Needs the controller's Job informer and its informer of FailedCreate Events (see the
     * reconcilers' event sources).
     */
    public StepOutcome run(Context<? extends HasMetadata> context, StepJob step) {
        String name = StepJobBuilder.jobName(step.owner(), step.jobSuffix());
        String namespace = step.owner().getMetadata().getNamespace();
        // The informer has every Job that existed when it synced, and the ones made since are in its cache from
        // the create's own answer (resourceOperations), so a Job not found here is made; a 409 means another
        // writer was first, and its Job arrives with the next event.
        Job job = context.getSecondaryResources(Job.class).stream()
                .filter(j -> name.equals(j.getMetadata().getName())).findFirst().orElse(null);
        if (job == null) {
            try {
                context.resourceOperations().create(builder.build(step));
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw e;
                }
            }
            return StepOutcome.started(name);
        }
        if (!ownedBy(job, step.owner())) {
            return StepOutcome.failed(name, "Job '" + name + "' already exists and does not belong to this "
                    + step.owner().getKind() + ": delete that Job or rename the " + step.owner().getKind());
        }
        if (job.getMetadata().getDeletionTimestamp() != null) {
            return StepOutcome.settling(name, "Job " + name + " is being deleted; the step runs again once it is gone");
        }
        StepOutcome outcome = observe(job, context.getSecondaryResources(Event.class));
        if (outcome.state() == StepOutcome.State.SETTLING && hasCondition(job, "Complete")) {
            // complete without the results of its pods: nothing to read, so the step runs again under the same name
            client.batch().v1().jobs().inNamespace(namespace).withName(name)
                    .withPropagationPolicy(io.fabric8.kubernetes.api.model.DeletionPropagation.FOREGROUND).delete();
            return outcome;
        }
        if (outcome.done()) {
            duration(job).ifPresent(d -> metrics.stepEnded(step.owner(), step.step().id(), outcome.state() == StepOutcome.State.SUCCEEDED, d));
        }
        return outcome;
    }

    /**
     * Deletes a step's ended Job and its pods (the garbage collector takes them) when the controller's
     * Job informer still holds it, so a Job already gone costs no API call.
     */
    public void delete(Context<? extends HasMetadata> context, HasMetadata owner, String jobName) {
        if (context.getSecondaryResources(Job.class).stream().noneMatch(j -> jobName.equals(j.getMetadata().getName()))) {
            return;
        }
        client.batch().v1().jobs().inNamespace(owner.getMetadata().getNamespace()).withName(jobName)
                .withPropagationPolicy(io.fabric8.kubernetes.api.model.DeletionPropagation.BACKGROUND).delete();
    }

    /** From the Job's start to its completion, or to its Failed condition. */
    private static Optional<Duration> duration(Job job) {
        var status = job.getStatus();
        String end = status.getCompletionTime() != null ? status.getCompletionTime()
                : condition(job, "Failed").map(JobCondition::getLastTransitionTime).orElse(null);
        if (status.getStartTime() == null || end == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Duration.between(Instant.parse(status.getStartTime()), Instant.parse(end)));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    StepOutcome observe(Job job, Collection<Event> events) {
        return observe(job, events, () -> pods(job, null));
    }

    /** {@code pods} lists the Job's pods; it is asked only while some active pod is not ready. */
    StepOutcome observe(Job job, Collection<Event> events, java.util.function.Supplier<List<Pod>> pods) {
        String name = job.getMetadata().getName();
        if (hasCondition(job, "Complete")) {
            // one result per completion index, from its first pod: a second pod of a finished step (the Job
            // controller makes one now and then around API-server restarts) is not another result
            List<JsonNode> results = new ArrayList<>();
            List<String> attempts = new ArrayList<>();
            java.util.Set<Integer> seen = new java.util.HashSet<>();
            for (Pod pod : pods(job, "Succeeded")) {
                if (seen.add(index(pod))) {
                    terminationMessage(pod, job).map(StepRunner::parse).ifPresent(r -> {
                        results.add(r);
                        attempts.add(pod.getMetadata().getUid());
                    });
                }
            }
            int completions = job.getSpec().getCompletions() == null ? 1 : job.getSpec().getCompletions();
            if (seen.size() < completions) {
                // a pod deleted as it ended (it exited 0 on SIGTERM): the Job counted it, its result went with it
                return StepOutcome.settling(name, "Job " + name + " completed, but " + (completions - seen.size()) + " of its pods"
                        + " and their results are gone; running the step again");
            }
            return StepOutcome.succeeded(name, results, attempts);
        }
        if (hasCondition(job, "Failed")) {
            return StepOutcome.failed(name, failureMessage(job));
        }
        JobStatus s = job.getStatus() == null ? new JobStatus() : job.getStatus();
        int active = count(s.getActive());
        int failed = count(s.getFailed());
        int succeeded = count(s.getSucceeded());
        String attempts = failed == 1 ? "1 failed attempt" : failed + " failed attempts";
        // ready is null where the Job controller does not count ready pods (before Kubernetes 1.24)
        if (active > 0 && s.getReady() != null && s.getReady() < active) {
            return NotStarting.of(name, failed, pods.get());
        }
        if (active > 0) {
            return StepOutcome.running(name, "Job " + name + ": " + active + " running" + (failed > 0 ? ", " + attempts : ""));
        }
        var uncounted = s.getUncountedTerminatedPods();
        boolean counting = uncounted != null && (!isEmpty(uncounted.getSucceeded()) || !isEmpty(uncounted.getFailed()));
        int completions = job.getSpec().getCompletions() == null ? 1 : job.getSpec().getCompletions();
        if (counting || succeeded >= completions) {
            // the pods just ended; the Complete or Failed condition follows in a moment
            return StepOutcome.settling(name, "Job " + name + ": pods ended, waiting for the Job's verdict");
        }
        if (failed > 0) {
            return StepOutcome.running(name, "Job " + name + ": " + attempts + ", retrying");
        }
        if (Boolean.TRUE.equals(job.getSpec().getSuspend())) {
            return StepOutcome.running(name, KueueWorkloads.QUEUED + "Job " + name + " is suspended until Kueue admits it"
                    + workloads.pending(job).map(why -> " (" + why + ")").orElse(""));
        }
        // no pod: either they are being created, or something refuses them
        return FailedCreate.of(job, events).orElseGet(() -> StepOutcome.settling(name, "Job " + name + ": waiting for its pods"));
    }

    /** Whether what a step found under its deterministic name is its own, not someone else's of that name. */
    public static boolean ownedBy(HasMetadata created, HasMetadata owner) {
        return created.getMetadata().getOwnerReferences().stream().anyMatch(o -> o.getUid().equals(owner.getMetadata().getUid()));
    }

    private static int count(Integer n) {
        return n == null ? 0 : n;
    }

    private static boolean isEmpty(List<?> list) {
        return list == null || list.isEmpty();
    }

    /**
     * Why the step failed, in its own words where it left any: the termination message of the
     * container that failed (init containers such as prepare included) in the newest failed pod.
     * Without one, the Job's reason comes with what the pods show (exit codes, an eviction, an image
     * that cannot be pulled), so BackoffLimitExceeded is never the whole story.
     */
    private String failureMessage(Job job) {
        String step = job.getMetadata().getLabels() == null ? "?" : job.getMetadata().getLabels().getOrDefault(StepJobBuilder.STEP_LABEL, "?");
        List<Pod> failed = pods(job, "Failed");
        for (int i = failed.size() - 1; i >= 0; i--) {
            Optional<ContainerStatus> container = failedContainer(failed.get(i));
            String message = container.map(StepRunner::terminatedMessage).orElse(null);
            if (message != null && !message.isBlank()) {
                String where = container.get().getName().equals(step) ? "" : " in " + container.get().getName();
                return "step " + step + " failed" + where + ": " + errorText(message);
            }
        }
        JobCondition c = condition(job, "Failed").orElseThrow();
        String reason = "Job " + job.getMetadata().getName() + " failed: " + c.getReason() + (c.getMessage() == null ? "" : " (" + c.getMessage() + ")");
        // no failed pod (a deadline, pods never started): what the newest pod shows
        List<Pod> candidates = failed.isEmpty() ? pods(job, null) : failed;
        Optional<String> pod = candidates.isEmpty() ? Optional.empty() : PodStates.describe(candidates.get(candidates.size() - 1));
        return reason + pod.map(p -> "; last pod " + p).orElse("; no pod of the Job ran (kubectl describe job "
                + job.getMetadata().getName() + " shows why)");
    }

    /** The first container, init containers first, that ended with a non-zero exit code. */
    public static Optional<ContainerStatus> failedContainer(Pod pod) {
        if (pod.getStatus() == null) {
            return Optional.empty();
        }
        return PodStates.containers(pod).stream().filter(s -> s.getState() != null && s.getState().getTerminated() != null
                && s.getState().getTerminated().getExitCode() != null && s.getState().getTerminated().getExitCode() != 0).findFirst();
    }

    private static String terminatedMessage(ContainerStatus status) {
        return status.getState().getTerminated().getMessage();
    }

    /** A step's error JSON says {"error": "..."}; a user image may have left plain log lines instead. */
    public static String errorText(String message) {
        JsonNode node = parse(message);
        if (node.hasNonNull(Results.ERROR)) {
            return node.get(Results.ERROR).asText();
        }
        String trimmed = message.strip();
        return trimmed.length() > 500 ? "..." + trimmed.substring(trimmed.length() - 500) : trimmed;
    }

    /** The Job's pods in the given phase (null: any), oldest first within each completion index. */
    private List<Pod> pods(Job job, String phase) {
        return client.pods().inNamespace(job.getMetadata().getNamespace())
                .withLabel(JOB_NAME_LABEL, job.getMetadata().getName()).list().getItems().stream()
                .filter(p -> p.getStatus() != null && (phase == null || phase.equals(p.getStatus().getPhase())))
                .sorted(Comparator.comparing((Pod p) -> index(p)).thenComparing(p -> p.getMetadata().getCreationTimestamp(),
                        Comparator.nullsFirst(Comparator.naturalOrder())))
                .toList();
    }

    private static int index(Pod pod) {
        var labels = pod.getMetadata().getLabels();
        try {
            return labels == null ? 0 : Integer.parseInt(labels.getOrDefault(COMPLETION_INDEX, "0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The result of the step's own container (an init container's result is not the step's). */
    private static Optional<String> terminationMessage(Pod pod, Job job) {
        return terminationMessage(pod, job.getMetadata().getLabels() == null ? null : job.getMetadata().getLabels().get(StepJobBuilder.STEP_LABEL));
    }

    /** What the named container (or a pod's only one) wrote to its termination log. */
    public static Optional<String> terminationMessage(Pod pod, String container) {
        List<ContainerStatus> statuses = pod.getStatus().getContainerStatuses();
        if (statuses == null) {
            return Optional.empty();
        }
        return statuses.stream()
                .filter(s -> statuses.size() == 1 || s.getName().equals(container))
                .map(s -> s.getState() == null || s.getState().getTerminated() == null ? null : s.getState().getTerminated().getMessage())
                .filter(m -> m != null)
                .findFirst();
    }

    public static JsonNode parse(String message) {
        try {
            JsonNode node = JSON.readTree(message);
            return node != null && node.isObject() ? node : JSON.createObjectNode();
        } catch (Exception e) {
            return JSON.createObjectNode();
        }
    }

    private static boolean hasCondition(Job job, String type) {
        return condition(job, type).isPresent();
    }

    private static Optional<JobCondition> condition(Job job, String type) {
        if (job.getStatus() == null || job.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return job.getStatus().getConditions().stream()
                .filter(c -> type.equals(c.getType()) && "True".equals(c.getStatus())).findFirst();
    }
}
