package dev.winnow.operator.engine;

import dev.winnow.api.v1alpha1.TrainerTemplate;
import dev.winnow.operator.job.StepJob;
import dev.winnow.operator.job.StepJobBuilder;
import dev.winnow.operator.naming.Names;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a train step's PyTorchJob or TrainJob as a generic resource (no engine model on the
 * classpath), from the same pod StepJobBuilder makes for a Job step: contract environment, GPU limits
 * and tolerations, volumes, /dev/shm and security contexts are a Job step's. Owned by the TrainingRun,
 * labelled like a Job step (Kueue's queue label included), so Kueue admits it as one workload.
 * Field names are the engines' documented APIs (see {@link EngineApi}).
 */
public final class EngineResources {
    private static final KubernetesSerialization JSON = new KubernetesSerialization();
    /** Pods of an engine restart in place on failure, up to runPolicy.backoffLimit; "Never" would ignore it. */
    static final String RESTART_POLICY = "OnFailure";
    /** Who owns Winnow's entry of a TrainJob's runtimePatches (a list keyed by manager; Kueue has its own). */
    static final String PATCH_MANAGER = "winnow.dev/operator";

    private final StepJobBuilder pods;

    public EngineResources(StepJobBuilder pods) {
        this.pods = pods;
    }

    /** The step's resource in one of its engine's shapes ({@link EngineRunner} tries them newest first). */
    public GenericKubernetesResource build(EngineSchema schema, StepJob step, TrainerTemplate trainer) {
        EngineApi api = schema.api();
        PodTemplateSpec pod = pods.podTemplate(step);
        Map<String, Object> spec = switch (schema) {
            case PYTORCH_JOB_V1 -> pytorchJob(step, trainer, pod);
            case TRAIN_JOB_RUNTIME_PATCHES, TRAIN_JOB_POD_TEMPLATE_OVERRIDES -> trainJob(schema, step, trainer, pod);
        };
        return new GenericKubernetesResourceBuilder()
                .withApiVersion(api.apiVersion()).withKind(api.kind())
                .withNewMetadata().withName(name(step)).withNamespace(step.owner().getMetadata().getNamespace())
                .withLabels(StepJobBuilder.labels(step)).withOwnerReferences(StepJobBuilder.ownerReference(step.owner()))
                .endMetadata()
                .withAdditionalProperties(Map.of("spec", spec))
                .build();
    }

    /** A DNS label that starts with a letter, as every engine demands (see {@link Names#engine}). */
    public static String name(StepJob step) {
        return Names.engine(step.owner().getMetadata().getName(), step.jobSuffix());
    }

    /** One Master (rank 0) and nodes - 1 Workers, each pod the step's pod with its container named "pytorch". */
    private static Map<String, Object> pytorchJob(StepJob step, TrainerTemplate trainer, PodTemplateSpec pod) {
        PodTemplateSpec replica = new PodTemplateSpecBuilder(pod).editSpec().withRestartPolicy(RESTART_POLICY)
                .withContainers(renamed(pod.getSpec().getContainers(), EngineApi.PYTORCH_JOB.container())).endSpec().build();
        Map<String, Object> replicas = new LinkedHashMap<>();
        replicas.put("Master", replicaSpec(1, replica));
        if (trainer.effectiveNodes() > 1) {
            replicas.put("Worker", replicaSpec(trainer.effectiveNodes() - 1, replica));
        }
        Map<String, Object> runPolicy = new LinkedHashMap<>();
        runPolicy.put("backoffLimit", step.backoffLimit());
        // the pods stay after the end: rank 0's termination message is the step's result
        runPolicy.put("cleanPodPolicy", "None");
        if (step.activeDeadlineSeconds() != null) {
            runPolicy.put("activeDeadlineSeconds", step.activeDeadlineSeconds());
        }
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("runPolicy", runPolicy);
        spec.put("nprocPerNode", String.valueOf(trainer.effectiveProcessesPerNode()));
        spec.put("pytorchReplicaSpecs", replicas);
        return spec;
    }

    private static Map<String, Object> replicaSpec(int count, PodTemplateSpec template) {
        Map<String, Object> replica = new LinkedHashMap<>();
        replica.put("replicas", count);
        replica.put("restartPolicy", RESTART_POLICY);
        replica.put("template", asMap(template));
        return replica;
    }

    /**
     * The runtime's JobSet owns the pod; the TrainJob takes the container through spec.trainer and the
     * rest of the pod through a patch of the runtime's "node" job: runtimePatches from Trainer v2.2 (with
     * the security contexts and the step's deadline), podTemplateOverrides in v2.1 (which has room for
     * neither: there the runtime's pod template decides them). A TrainJob cannot add init containers,
     * which is why a distributed run prepares its id lists in a Job of its own first.
     */
    private static Map<String, Object> trainJob(EngineSchema schema, StepJob step, TrainerTemplate trainer, PodTemplateSpec pod) {
        boolean patches = schema == EngineSchema.TRAIN_JOB_RUNTIME_PATCHES;
        PodSpec podSpec = pod.getSpec();
        Container main = podSpec.getContainers().get(0);
        Map<String, Object> runtimeRef = new LinkedHashMap<>();
        TrainerTemplate.RuntimeRef ref = trainer.runtimeRef == null ? new TrainerTemplate.RuntimeRef() : trainer.runtimeRef;
        runtimeRef.put("name", ref.effectiveName());
        runtimeRef.put("kind", ref.effectiveKind());
        runtimeRef.put("apiGroup", EngineApi.TRAIN_JOB.group());

        Map<String, Object> container = new LinkedHashMap<>();
        container.put("image", main.getImage());
        putIfAny(container, "command", main.getCommand());
        putIfAny(container, "args", main.getArgs());
        container.put("env", asList(main.getEnv()));
        container.put("numNodes", trainer.effectiveNodes());
        container.put("numProcPerNode", trainer.effectiveProcessesPerNode());
        if (main.getResources() != null) {
            container.put("resourcesPerNode", asMap(main.getResources()));
        }

        Map<String, Object> nodeContainer = new LinkedHashMap<>();
        nodeContainer.put("name", EngineApi.TRAIN_JOB.container());
        nodeContainer.put("volumeMounts", asList(main.getVolumeMounts()));
        Map<String, Object> podPatch = new LinkedHashMap<>();
        putIfAny(podPatch, "serviceAccountName", podSpec.getServiceAccountName());
        putIfAny(podPatch, "nodeSelector", podSpec.getNodeSelector());
        putIfAny(podPatch, "affinity", podSpec.getAffinity() == null ? null : asMap(podSpec.getAffinity()));
        putIfAny(podPatch, "tolerations", asList(podSpec.getTolerations()));
        podPatch.put("volumes", asList(podSpec.getVolumes()));
        if (patches) {
            putIfAny(nodeContainer, "securityContext", asMap(main.getSecurityContext()));
            putIfAny(podPatch, "securityContext", asMap(podSpec.getSecurityContext()));
        }
        podPatch.put("containers", List.of(nodeContainer));
        Map<String, Object> podMetadata = Map.of("labels", pod.getMetadata().getLabels());

        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("runtimeRef", runtimeRef);
        spec.put("trainer", container);
        if (patches) {
            Map<String, Object> job = new LinkedHashMap<>();
            job.put("name", EngineApi.TRAIN_JOB_NODE);
            job.put("template", Map.of("spec", Map.of("template", Map.of("metadata", podMetadata, "spec", podPatch))));
            Map<String, Object> patch = new LinkedHashMap<>();
            patch.put("manager", PATCH_MANAGER);
            patch.put("trainingRuntimeSpec", Map.of("template", Map.of("spec", Map.of("replicatedJobs", List.of(job)))));
            spec.put("runtimePatches", List.of(patch));
            if (step.activeDeadlineSeconds() != null) {
                spec.put("activeDeadlineSeconds", step.activeDeadlineSeconds());
            }
        } else {
            Map<String, Object> override = new LinkedHashMap<>();
            override.put("targetJobs", List.of(Map.of("name", EngineApi.TRAIN_JOB_NODE)));
            override.put("metadata", podMetadata);
            override.put("spec", podPatch);
            spec.put("podTemplateOverrides", List.of(override));
        }
        return spec;
    }

    private static List<Container> renamed(List<Container> containers, String name) {
        return List.of(new ContainerBuilder(containers.get(0)).withName(name).build());
    }

    private static void putIfAny(Map<String, Object> map, String key, Object value) {
        boolean empty = value == null || value instanceof java.util.Collection<?> c && c.isEmpty()
                || value instanceof Map<?, ?> m && m.isEmpty() || value instanceof String s && s.isBlank();
        if (!empty) {
            map.put(key, value);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object value) {
        return value == null ? null : JSON.convertValue(value, Map.class);
    }

    private static List<Object> asList(List<?> values) {
        return values == null ? List.of() : values.stream().map(v -> (Object) asMap(v)).toList();
    }
}
