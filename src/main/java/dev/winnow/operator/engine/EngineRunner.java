package dev.winnow.operator.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.winnow.api.v1alpha1.TrainerTemplate;
import dev.winnow.operator.job.KueueWorkloads;
import dev.winnow.operator.job.NotStarting;
import dev.winnow.operator.job.PodStates;
import dev.winnow.operator.job.ServedApis;
import dev.winnow.operator.job.StepJob;
import dev.winnow.operator.job.StepJobBuilder;
import dev.winnow.operator.job.StepOutcome;
import dev.winnow.operator.job.StepRunner;
import dev.winnow.operator.status.Reason;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.FieldValidateable;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs a train step on a training engine: creates its PyTorchJob or TrainJob when absent (the name is
 * deterministic, as a Job step's), then reads the engine's own conditions and, once it succeeded, the
 * result rank 0 wrote in its termination message. An engine this cluster does not serve is a stuck step
 * (EngineNotInstalled), not an exception. The engines' resources have no informer (their CRDs may be
 * missing when the operator starts), so the caller polls while the step runs.
 *
 * <p>Every create is strict ({@code fieldValidation=Strict}): a field the cluster's CRD does not know is
 * refused by name instead of pruned in silence. That is how the engine's version is found (see
 * {@link EngineSchema}); a refusal no shape avoids is EngineVersionUnsupported, any other 400 or 422 is
 * final ({@code <Kind>Rejected}).
 */
public final class EngineRunner {
    private static final Pattern UNKNOWN_FIELD = Pattern.compile("unknown field \"([^\"]+)\"|\\.?([\\w.\\[\\]]+): field not declared in schema");

    private final KubernetesClient client;
    private final EngineResources resources;
    private final ServedApis discovery;
    private final KueueWorkloads workloads;

    /**
     * What one look at the engine found: the step's outcome, and what rank 0 last wrote when it failed
     * (null when it has not): the engine restarts a failed rank in place and may delete its pods
     * before it reports Failed, so the caller keeps it and gives it back as {@code knownError}.
     */
    public record Observed(StepOutcome outcome, String rankZeroError) {
    }

    public EngineRunner(KubernetesClient client, EngineResources resources, ServedApis discovery, KueueWorkloads workloads) {
        this.client = client;
        this.resources = resources;
        this.discovery = discovery;
        this.workloads = workloads;
    }

    /** @param knownError what rank 0 wrote when it failed, as an earlier look found it (null: nothing yet) */
    public Observed run(StepJob step, TrainerTemplate trainer, String knownError) {
        EngineApi api = EngineApi.of(trainer.effectiveEngine());
        String name = EngineResources.name(step);
        if (!discovery.served(api.apiVersion(), api.kind())) {
            return new Observed(notInstalled(api, name), knownError);
        }
        GenericKubernetesResource existing = client.genericKubernetesResources(api.context())
                .inNamespace(step.owner().getMetadata().getNamespace()).withName(name).get();
        if (existing == null) {
            return new Observed(create(api, step, trainer, name), knownError);
        }
        if (!StepRunner.ownedBy(existing, step.owner())) {
            return new Observed(StepOutcome.failed(name, api.kind() + " '" + name + "' already exists and does not belong to this "
                    + step.owner().getKind() + ": delete that " + api.kind() + " or rename the " + step.owner().getKind()), knownError);
        }
        return observe(api, existing, trainer.effectiveNodes(), knownError);
    }

    /** The newest shape the cluster's CRD takes whole, or why none fits. */
    private StepOutcome create(EngineApi api, StepJob step, TrainerTemplate trainer, String name) {
        List<String> refused = new ArrayList<>();
        for (EngineSchema schema : EngineSchema.of(api)) {
            if (step.activeDeadlineSeconds() != null && !schema.hasDeadline()) {
                return StepOutcome.failed(name, Reason.EngineVersionUnsupported, "this cluster's " + api + " is " + schema.version()
                        + ", which has no activeDeadlineSeconds: remove the TrainingRun's activeDeadlineSeconds, or upgrade to a "
                        + "version that has it. " + EngineSchema.SUPPORTED);
            }
            try {
                client.genericKubernetesResources(api.context()).inNamespace(step.owner().getMetadata().getNamespace())
                        .resource(resources.build(schema, step, trainer)).fieldValidation(FieldValidateable.Validation.STRICT).create();
                return new StepOutcome(StepOutcome.State.STARTED, name, List.of(), null, "created " + api.kind() + " " + name
                        + " (" + schema.version() + ")");
            } catch (KubernetesClientException e) {
                if (e.getCode() == 404) {
                    discovery.forget(api.apiVersion(), api.kind());
                    return notInstalled(api, name);
                }
                if (e.getCode() == 409) {
                    return StepOutcome.settling(name, "created " + api.kind() + " " + name);
                }
                if (e.getCode() != 400 && e.getCode() != 422) {
                    throw e;
                }
                Set<String> unknown = unknownFields(e);
                if (unknown.isEmpty()) {
                    // refused for good (a name, a value its schema or webhook will never take): retrying changes nothing
                    return StepOutcome.failed(name, Reason.of(api.kind() + "Rejected").orElseThrow(),
                            "the API server refused the " + api.kind() + " " + name + ": " + message(e));
                }
                if (!unknown.contains(schema.marker())) {
                    return StepOutcome.failed(name, Reason.EngineVersionUnsupported, "this cluster's " + api + " does not know "
                            + String.join(", ", unknown) + " of " + schema.version() + "; the API server said: " + message(e)
                            + ". " + EngineSchema.SUPPORTED);
                }
                refused.add(schema.marker() + " (" + schema.version() + ")");
            }
        }
        return StepOutcome.failed(name, Reason.EngineVersionUnsupported, "this cluster's " + api + " knows none of "
                + String.join(", ", refused) + ": an engine version Winnow cannot build for. " + EngineSchema.SUPPORTED);
    }

    /** The fields a strict create named as unknown to the CRD. */
    static Set<String> unknownFields(KubernetesClientException e) {
        Set<String> fields = new LinkedHashSet<>();
        Matcher m = UNKNOWN_FIELD.matcher(message(e));
        while (m.find()) {
            fields.add(m.group(1) != null ? m.group(1) : m.group(2));
        }
        return fields;
    }

    private static String message(KubernetesClientException e) {
        var status = e.getStatus();
        String message = status == null || status.getMessage() == null ? e.getMessage() : status.getMessage();
        return message.length() > 1000 ? message.substring(0, 1000) + "..." : message;
    }

    private StepOutcome notInstalled(EngineApi api, String name) {
        return StepOutcome.stuck(name, Reason.EngineNotInstalled, api + " is not served by this cluster: install "
                + (api == EngineApi.PYTORCH_JOB ? "the Kubeflow training operator" : "Kubeflow Trainer")
                + " (the run goes on once it is), or train with engine Job");
    }

    Observed observe(EngineApi api, GenericKubernetesResource resource, int nodes, String knownError) {
        String name = resource.getMetadata().getName();
        List<Pod> pods = pods(api, resource);
        Optional<Pod> rankZero = rankZero(api, resource, pods);
        String error = rankZero.flatMap(pod -> rankZeroError(api, pod)).orElse(knownError);
        if (condition(resource, api.succeededCondition()).isPresent()) {
            return new Observed(rankZero.flatMap(pod -> result(api, pod))
                    .map(result -> StepOutcome.succeeded(name, List.of(result), List.of(rankZero.get().getMetadata().getUid())))
                    .orElseGet(() -> StepOutcome.succeeded(name, List.of())), error);
        }
        Optional<Map<String, Object>> failed = condition(resource, api.failedCondition());
        if (failed.isPresent()) {
            return new Observed(StepOutcome.failed(name, failureMessage(api, resource, failed.get(), rankZero, error)), error);
        }
        if (suspended(api, resource)) {
            return new Observed(StepOutcome.running(name, KueueWorkloads.QUEUED + api.kind() + " " + name + " is suspended until Kueue admits it"
                    + workloads.pending(resource).map(why -> " (" + why + ")").orElse("")), error);
        }
        // the engine counts a pod whose image cannot be pulled as running: rank 0 shows it (all ranks share the image)
        Optional<StepOutcome> stuck = rankZero.flatMap(pod -> NotStarting.stuck(name, api.kind() + " " + name, pod));
        if (stuck.isPresent()) {
            return new Observed(stuck.get(), error);
        }
        long running = pods.stream().filter(p -> "Running".equals(p.getStatus().getPhase())).count();
        String progress = running > 0 ? running + " of " + nodes + " pods running"
                : latest(resource).map(c -> c.get("type") + ": " + c.get("message")).orElse("waiting for " + api.kind() + " controller");
        return new Observed(StepOutcome.running(name, api.kind() + " " + name + ": " + progress
                + (error == null ? "" : "; rank 0 failed before and was restarted: " + StepRunner.errorText(error))), error);
    }

    /** A step failure in rank 0's words where it left any (now or at an earlier look), else the engine's reason and what rank 0's pod shows. */
    private static String failureMessage(EngineApi api, GenericKubernetesResource resource, Map<String, Object> condition,
                                         Optional<Pod> pod, String rankZeroError) {
        String step = resource.getMetadata().getLabels() == null ? "?" : resource.getMetadata().getLabels().getOrDefault(StepJobBuilder.STEP_LABEL, "?");
        if (rankZeroError != null) {
            return "step " + step + " failed on rank 0: " + StepRunner.errorText(rankZeroError);
        }
        return api.kind() + " " + resource.getMetadata().getName() + " failed: " + condition.get("reason")
                + (condition.get("message") == null ? "" : " (" + condition.get("message") + ")")
                + pod.flatMap(PodStates::describe).map(p -> "; rank 0 pod " + p).orElse("");
    }

    /** What rank 0's training container wrote when it last failed: its current state, or the one before a restart in place. */
    static Optional<String> rankZeroError(EngineApi api, Pod pod) {
        List<ContainerStatus> statuses = pod.getStatus().getContainerStatuses();
        if (statuses == null) {
            return Optional.empty();
        }
        return statuses.stream().filter(s -> statuses.size() == 1 || api.container().equals(s.getName()))
                .flatMap(s -> Stream.of(s.getState() == null ? null : s.getState().getTerminated(),
                        s.getLastState() == null ? null : s.getLastState().getTerminated()))
                .filter(t -> t != null && t.getExitCode() != null && t.getExitCode() != 0)
                .map(ContainerStateTerminated::getMessage)
                .filter(m -> m != null && !m.isBlank())
                .findFirst();
    }

    /** The engine's pods of this resource. */
    private List<Pod> pods(EngineApi api, GenericKubernetesResource resource) {
        return client.pods().inNamespace(resource.getMetadata().getNamespace()).withLabels(api.podLabels(resource.getMetadata().getName()))
                .list().getItems().stream().filter(p -> p.getStatus() != null).toList();
    }

    /** Rank 0's newest pod, by the labels the engine gives it. */
    private static Optional<Pod> rankZero(EngineApi api, GenericKubernetesResource resource, List<Pod> pods) {
        Map<String, String> labels = api.rankZeroLabels(resource.getMetadata().getName());
        return pods.stream()
                .filter(p -> p.getMetadata().getLabels() != null && p.getMetadata().getLabels().entrySet().containsAll(labels.entrySet()))
                .max(Comparator.comparing(p -> p.getMetadata().getCreationTimestamp(), Comparator.nullsFirst(Comparator.naturalOrder())));
    }

    /** What rank 0's training container wrote to its termination log. */
    private static Optional<JsonNode> result(EngineApi api, Pod pod) {
        return StepRunner.terminationMessage(pod, api.container()).map(StepRunner::parse);
    }

    private static Optional<Map<String, Object>> condition(GenericKubernetesResource resource, String type) {
        return KueueWorkloads.conditions(resource).stream().filter(c -> type.equals(c.get("type")) && "True".equals(c.get("status"))).findFirst();
    }

    private static Optional<Map<String, Object>> latest(GenericKubernetesResource resource) {
        List<Map<String, Object>> all = KueueWorkloads.conditions(resource).stream().filter(c -> "True".equals(c.get("status"))).toList();
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /** PyTorchJob: spec.runPolicy.suspend; TrainJob: spec.suspend. Kueue sets them until it admits the workload. */
    private static boolean suspended(EngineApi api, GenericKubernetesResource resource) {
        Object spec = resource.getAdditionalProperties().get("spec");
        if (!(spec instanceof Map<?, ?> s)) {
            return false;
        }
        Object holder = api == EngineApi.PYTORCH_JOB ? s.get("runPolicy") : s;
        return holder instanceof Map<?, ?> h && Boolean.TRUE.equals(h.get("suspend"));
    }
}
