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
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs a train step on a training engine: creates its PyTorchJob or TrainJob when absent (the name is
 * deterministic, as a Job step's), then reads the engine's own conditions and, once it succeeded, the
 * result rank 0 wrote in its termination message. An engine this cluster does not serve is a stuck step
 * (EngineNotInstalled), not an exception. The engines' resources have no informer (their CRDs may be
 * missing when the operator starts), so the caller polls while the step runs.
 */
public final class EngineRunner {
    private final KubernetesClient client;
    private final EngineResources resources;
    private final ServedApis discovery;
    private final KueueWorkloads workloads;

    public EngineRunner(KubernetesClient client, EngineResources resources, ServedApis discovery, KueueWorkloads workloads) {
        this.client = client;
        this.resources = resources;
        this.discovery = discovery;
        this.workloads = workloads;
    }

    public StepOutcome run(StepJob step, TrainerTemplate trainer) {
        EngineApi api = EngineApi.of(trainer.effectiveEngine());
        String name = StepJobBuilder.jobName(step.owner(), step.jobSuffix());
        if (!discovery.served(api.apiVersion(), api.kind())) {
            return notInstalled(api, name);
        }
        var resource = client.genericKubernetesResources(api.context()).inNamespace(step.owner().getMetadata().getNamespace()).withName(name);
        GenericKubernetesResource existing = resource.get();
        if (existing == null) {
            try {
                client.genericKubernetesResources(api.context()).inNamespace(step.owner().getMetadata().getNamespace())
                        .resource(resources.build(api, step, trainer)).create();
            } catch (KubernetesClientException e) {
                if (e.getCode() == 404) {
                    discovery.forget(api.apiVersion(), api.kind());
                    return notInstalled(api, name);
                }
                if (e.getCode() != 409) {
                    throw e;
                }
            }
            return new StepOutcome(StepOutcome.State.STARTED, name, List.of(), null, "created " + api.kind() + " " + name);
        }
        if (!StepRunner.ownedBy(existing, step.owner())) {
            return StepOutcome.failed(name, api.kind() + " '" + name + "' already exists and does not belong to this "
                    + step.owner().getKind() + ": delete that " + api.kind() + " or rename the " + step.owner().getKind());
        }
        return observe(api, existing);
    }

    private StepOutcome notInstalled(EngineApi api, String name) {
        return StepOutcome.stuck(name, Reason.EngineNotInstalled, api + " is not served by this cluster: install "
                + (api == EngineApi.PYTORCH_JOB ? "the Kubeflow training operator" : "Kubeflow Trainer")
                + " (the run goes on once it is), or train with engine Job");
    }

    StepOutcome observe(EngineApi api, GenericKubernetesResource resource) {
        String name = resource.getMetadata().getName();
        Optional<Map<String, Object>> failed = condition(resource, api.failedCondition());
        if (condition(resource, api.succeededCondition()).isPresent()) {
            Optional<Pod> rankZero = rankZero(api, resource);
            return rankZero.flatMap(pod -> result(api, pod))
                    .map(result -> StepOutcome.succeeded(name, List.of(result), List.of(rankZero.get().getMetadata().getUid())))
                    .orElseGet(() -> StepOutcome.succeeded(name, List.of()));
        }
        if (failed.isPresent()) {
            return StepOutcome.failed(name, failureMessage(api, resource, failed.get()));
        }
        if (suspended(api, resource)) {
            return StepOutcome.running(name, KueueWorkloads.QUEUED + api.kind() + " " + name + " is suspended until Kueue admits it"
                    + workloads.pending(resource).map(why -> " (" + why + ")").orElse(""));
        }
        // the engine counts a pod whose image cannot be pulled as running: rank 0 shows it (all ranks share the image)
        Optional<StepOutcome> stuck = rankZero(api, resource).flatMap(pod -> NotStarting.stuck(name, api.kind() + " " + name, pod));
        if (stuck.isPresent()) {
            return stuck.get();
        }
        return StepOutcome.running(name, api.kind() + " " + name + ": " + latest(resource).map(c -> c.get("type") + ": " + c.get("message"))
                .orElse("waiting for " + api.kind() + " controller"));
    }

    /** A step failure in rank 0's words where it left any, else the engine's reason and what rank 0's pod shows. */
    private String failureMessage(EngineApi api, GenericKubernetesResource resource, Map<String, Object> condition) {
        String step = resource.getMetadata().getLabels() == null ? "?" : resource.getMetadata().getLabels().getOrDefault(StepJobBuilder.STEP_LABEL, "?");
        Optional<Pod> pod = rankZero(api, resource);
        Optional<String> own = pod.flatMap(StepRunner::failedContainer).map(c -> c.getState().getTerminated().getMessage())
                .filter(m -> m != null && !m.isBlank());
        if (own.isPresent()) {
            return "step " + step + " failed on rank 0: " + StepRunner.errorText(own.get());
        }
        return api.kind() + " " + resource.getMetadata().getName() + " failed: " + condition.get("reason")
                + (condition.get("message") == null ? "" : " (" + condition.get("message") + ")")
                + pod.flatMap(PodStates::describe).map(p -> "; rank 0 pod " + p).orElse("");
    }

    /** Rank 0's newest pod, by the labels the engine gives it. */
    private Optional<Pod> rankZero(EngineApi api, GenericKubernetesResource resource) {
        return client.pods().inNamespace(resource.getMetadata().getNamespace()).withLabels(api.rankZeroLabels(resource.getMetadata().getName()))
                .list().getItems().stream()
                .filter(p -> p.getStatus() != null)
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
