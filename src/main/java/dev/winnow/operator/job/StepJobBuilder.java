package dev.winnow.operator.job;

import dev.winnow.api.v1alpha1.Dataset;
import dev.winnow.api.v1alpha1.DatasetSpec;
import dev.winnow.api.v1alpha1.StepTemplate;
import dev.winnow.contract.Results;
import dev.winnow.contract.ArtifactLayout;
import dev.winnow.contract.Task;
import dev.winnow.contract.Variables;
import dev.winnow.operator.OperatorSettings;
import dev.winnow.operator.naming.Names;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicy;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyBuilder;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds every step Job, in one place: the user's container template (or Winnow's worker) plus the
 * step contract's environment, GPU resources and tolerations, /dev/shm, data volumes, S3
 * credentials as the standard AWS variables, Kueue's queue label, and a locked-down pod (Pod Security
 * "restricted" for Winnow's worker; the template's security contexts replace Winnow's).
 */
public final class StepJobBuilder {
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String MANAGER = "winnow";
    public static final String STEP_LABEL = "winnow.dev/step";
    public static final String KUEUE_QUEUE = "kueue.x-k8s.io/queue-name";
    public static final String DEFAULT_GPU_RESOURCE = "nvidia.com/gpu";
    static final String DEFAULT_SHM = "1Gi";
    static final String IDLE_CPU = "10m";
    static final String IDLE_MEMORY = "128Mi";
    /** The user of Winnow's worker image (src/main/docker/Dockerfile.worker). */
    static final long WORKER_UID = 1001;
    static final String RUNTIME_DEFAULT = "RuntimeDefault";

    private final OperatorSettings settings;

    /**
     * A pod evicted, preempted or drained (the kubelet or the API server marks it DisruptionTarget) does not
     * count against backoffLimit: it says nothing about the step. Exit code 2, bad input by the contract, fails
     * the Job at once: retrying a deterministic refusal only delays the message.
     */
    static final PodFailurePolicy FAILURE_POLICY = new PodFailurePolicyBuilder()
            .addNewRule().withAction("Ignore").addNewOnPodCondition().withType("DisruptionTarget").withStatus("True").endOnPodCondition().endRule()
            .addNewRule().withAction("FailJob").withNewOnExitCodes().withOperator("In").withValues(Results.BAD_INPUT_EXIT_CODE).endOnExitCodes().endRule()
            .build();

    public StepJobBuilder(OperatorSettings settings) {
        this.settings = settings;
    }

    /** Job names are deterministic, so a restarted operator finds the Job it created instead of making another. */
    public static String jobName(HasMetadata owner, String step) {
        return Names.job(owner.getMetadata().getName(), step);
    }

    public Job build(StepJob step) {
        var spec = new JobBuilder()
                .withNewMetadata()
                .withName(jobName(step.owner(), step.jobSuffix())).withNamespace(step.owner().getMetadata().getNamespace())
                .withLabels(labels(step)).withOwnerReferences(ownerReference(step.owner()))
                .endMetadata()
                .withNewSpec()
                .withBackoffLimit(step.backoffLimit())
                .withActiveDeadlineSeconds(step.activeDeadlineSeconds())
                .withPodFailurePolicy(FAILURE_POLICY);
        if (step.shards() > 0) {
            // infer: one completion per shard; JOB_COMPLETION_INDEX tells each pod its part
            spec.withCompletionMode("Indexed").withCompletions(step.shards()).withParallelism(step.shards());
        }
        return spec.withTemplate(podTemplate(step)).endSpec().build();
    }

    /**
     * The step's pod, the one place step pods are built: a Job's template, and each replica of a
     * training engine's resource (operator.engine) takes it as it is. Its main container comes first.
     */
    public PodTemplateSpec podTemplate(StepJob step) {
        StepTemplate template = step.template() == null ? new StepTemplate() : step.template();
        DatasetSpec dataset = step.dataset().getSpec();
        boolean worker = isWorker(template);

        List<Volume> volumes = new ArrayList<>();
        List<VolumeMount> mounts = new ArrayList<>();
        volumes.add(new VolumeBuilder().withName("dshm").withNewEmptyDir().withMedium("Memory")
                .withSizeLimit(new Quantity(template.shmSize == null ? DEFAULT_SHM : template.shmSize)).endEmptyDir().build());
        mounts.add(new VolumeMountBuilder().withName("dshm").withMountPath("/dev/shm").build());
        // a read-only root filesystem still needs somewhere to write temporary files
        volumes.add(new VolumeBuilder().withName("tmp").withNewEmptyDir().endEmptyDir().build());
        mounts.add(new VolumeMountBuilder().withName("tmp").withMountPath("/tmp").build());
        if (dataset.storage != null && dataset.storage.volumes != null) {
            for (DatasetSpec.Volume v : dataset.storage.volumes) {
                volumes.add(new VolumeBuilder().withName(v.name).withNewPersistentVolumeClaim(v.claimName, Boolean.TRUE.equals(v.readOnly)).build());
                mounts.add(new VolumeMountBuilder().withName(v.name).withMountPath(v.mountPath).withReadOnly(Boolean.TRUE.equals(v.readOnly)).build());
            }
        }

        List<EnvVar> contract = contractEnv(step);
        String image = template.image == null || template.image.isBlank() ? settings.workerImage() : template.image;
        Container main = container(step.step().id(), image, template.command,
                template.args == null || template.args.isEmpty() ? (worker ? step.workerArgs() : List.of()) : template.args,
                merge(contract, template.env), step.waitsForPeople() ? idleResources() : resources(template), mounts,
                template.securityContext != null ? template.securityContext : containerSecurity(worker));
        List<Container> init = new ArrayList<>();
        for (StepJob.InitStep i : step.initSteps()) {
            // Winnow's worker, locked down on its own whatever the user's pod context says
            init.add(container(i.step().id(), settings.workerImage(), List.of(), i.workerArgs(), merge(contract, List.of()),
                    null, mounts, containerSecurity(true)));
        }
        return new PodTemplateSpecBuilder()
                .withNewMetadata().withLabels(labels(step)).endMetadata()
                .withNewSpec()
                .withRestartPolicy("Never")
                .withServiceAccountName(template.serviceAccountName)
                // steps never call the API server: no token in the pod, unless the template names an account for it
                .withAutomountServiceAccountToken(template.serviceAccountName == null ? Boolean.FALSE : null)
                .withSecurityContext(template.podSecurityContext != null ? template.podSecurityContext : podSecurity(worker))
                .withInitContainers(init)
                .withContainers(main)
                .withVolumes(volumes)
                .withNodeSelector(template.nodeSelector)
                .withAffinity(template.affinity)
                .withTolerations(step.waitsForPeople() ? List.of() : tolerations(template))
                .withRuntimeClassName(template.runtimeClassName)
                .withPriorityClassName(template.priorityClassName)
                .endSpec()
                .build();
    }

    /** The owner's controller reference: deleting the owner deletes what it created. */
    public static OwnerReference ownerReference(HasMetadata owner) {
        return new OwnerReferenceBuilder().withApiVersion(owner.getApiVersion())
                .withKind(owner.getKind()).withName(owner.getMetadata().getName())
                .withUid(owner.getMetadata().getUid()).withController(true).withBlockOwnerDeletion(true).build();
    }

    /** winnow.dev/trainingrun=<name> and the like: whose step a Job is. */
    public static String ownerLabel(String kind) {
        return "winnow.dev/" + kind.toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * A step runs Winnow's worker (and gets its step arguments) when it names no image, the
     * operator's worker image, or another build of it, such as the CUDA worker on a CPU-default
     * install.
     */
    private boolean isWorker(StepTemplate template) {
        if (template.image == null || template.image.isBlank() || template.image.equals(settings.workerImage())) {
            return true;
        }
        String repository = repository(template.image);
        return repository.equals(repository(settings.workerImage())) || repository.endsWith("/winnow-worker")
                || repository.endsWith("/winnow-worker-cuda");
    }

    /** registry/name:tag or registry/name@sha256:... without the tag or digest. */
    static String repository(String image) {
        String name = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
        int colon = name.lastIndexOf(':');
        return colon > name.lastIndexOf('/') ? name.substring(0, colon) : name;
    }

    /** Winnow's labels of a step's Job, pods and engine resource: Kueue's queue for every step but a wait for people. */
    public static Map<String, String> labels(StepJob step) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(MANAGED_BY, MANAGER);
        labels.put(STEP_LABEL, step.step().id());
        labels.put(ownerLabel(step.owner().getKind()), step.owner().getMetadata().getName());
        Map<String, String> ownerLabels = step.owner().getMetadata().getLabels();
        // a step that waits for people holds no quota: Kueue manages only what names a queue
        if (ownerLabels != null && ownerLabels.containsKey(KUEUE_QUEUE) && !step.waitsForPeople()) {
            labels.put(KUEUE_QUEUE, ownerLabels.get(KUEUE_QUEUE));
        }
        return labels;
    }

    private static Container container(String name, String image, List<String> command, List<String> args, List<EnvVar> env,
                                       ResourceRequirements resources, List<VolumeMount> mounts, SecurityContext security) {
        return new ContainerBuilder()
                .withName(name)
                .withImage(image)
                .withImagePullPolicy("IfNotPresent")
                .withCommand(command == null ? List.of() : command)
                .withArgs(args)
                .withEnv(env)
                .withResources(resources)
                .withVolumeMounts(mounts)
                .withTerminationMessagePolicy("FallbackToLogsOnError")
                .withSecurityContext(security)
                .build();
    }

    /**
     * Pods pass Pod Security "restricted" when they run Winnow's worker; a user's image keeps its own
     * user (TAO runs as root) unless the template's podSecurityContext says otherwise.
     */
    private static PodSecurityContext podSecurity(boolean worker) {
        var pod = new PodSecurityContextBuilder().withNewSeccompProfile().withType(RUNTIME_DEFAULT).endSeccompProfile();
        if (worker) {
            pod.withRunAsNonRoot(true).withRunAsUser(WORKER_UID).withRunAsGroup(WORKER_UID).withFsGroup(WORKER_UID);
        }
        return pod.build();
    }

    /** Winnow's worker containers carry the whole restricted profile themselves, so they pass in any pod. */
    private static SecurityContext containerSecurity(boolean worker) {
        var sc = new SecurityContextBuilder().withAllowPrivilegeEscalation(false)
                .withNewCapabilities().withDrop("ALL").endCapabilities();
        if (worker) {
            sc.withRunAsNonRoot(true).withRunAsUser(WORKER_UID).withRunAsGroup(WORKER_UID).withReadOnlyRootFilesystem(true)
                    .withNewSeccompProfile().withType(RUNTIME_DEFAULT).endSeccompProfile();
        }
        return sc.build();
    }

    private static ResourceRequirements resources(StepTemplate template) {
        ResourceRequirements base = template.resources == null ? new ResourceRequirements() : template.resources;
        var builder = new ResourceRequirementsBuilder(base);
        if (template.gpus != null && template.gpus > 0) {
            // extended resources are requested through limits; requests default to them
            builder.addToLimits(gpuResource(template), new Quantity(String.valueOf(template.gpus)));
        }
        ResourceRequirements built = builder.build();
        boolean empty = (built.getLimits() == null || built.getLimits().isEmpty()) && (built.getRequests() == null || built.getRequests().isEmpty());
        return empty ? null : built;
    }

    /**
     * A step that only polls for labels (await-labels) may wait for days: it asks for next to nothing,
     * so it holds no GPU and little of a namespace's quota, and sets no limit the JVM would be cut at.
     */
    private static ResourceRequirements idleResources() {
        return new ResourceRequirementsBuilder().addToRequests("cpu", new Quantity(IDLE_CPU))
                .addToRequests("memory", new Quantity(IDLE_MEMORY)).build();
    }

    private static String gpuResource(StepTemplate template) {
        return template.gpuResource == null || template.gpuResource.isBlank() ? DEFAULT_GPU_RESOURCE : template.gpuResource;
    }

    private static List<Toleration> tolerations(StepTemplate template) {
        List<Toleration> tolerations = new ArrayList<>(template.tolerations == null ? List.of() : template.tolerations);
        if (template.gpus != null && template.gpus > 0) {
            // GPU nodes are commonly tainted nvidia.com/gpu:NoSchedule; a GPU step must tolerate that
            boolean present = tolerations.stream().anyMatch(t -> DEFAULT_GPU_RESOURCE.equals(t.getKey()));
            if (!present) {
                tolerations.add(new TolerationBuilder().withKey(DEFAULT_GPU_RESOURCE).withOperator("Exists").withEffect("NoSchedule").build());
            }
        }
        return tolerations;
    }

    private static List<EnvVar> contractEnv(StepJob step) {
        Dataset dataset = step.dataset();
        DatasetSpec spec = dataset.getSpec();
        ArtifactLayout layout = new ArtifactLayout(spec.artifacts.uri);
        Map<String, String> env = new LinkedHashMap<>();
        env.put(Variables.STEP, step.step().id());
        env.put(Variables.TASK, (spec.task == null ? Task.Classification : spec.task).name());
        env.put(Variables.CLASSES, String.join(",", spec.classes));
        env.put(Variables.DATASET, dataset.getMetadata().getName());
        env.put(Variables.DATASET_URI, spec.source.uri);
        env.put(Variables.DATASET_FORMAT, spec.source.format.name());
        env.put(Variables.LABELS_URI, spec.labels.uri);
        env.put(Variables.LABELS_FORMAT, spec.labels.format.name());
        env.put(Variables.ARTIFACTS_URI, layout.root());
        env.put(Variables.MANIFEST, layout.manifest(dataset.getMetadata().getName()));
        env.putAll(step.env());
        List<EnvVar> vars = new ArrayList<>();
        // first: Kubernetes expands $(WINNOW_ATTEMPT) only in the variables after it
        vars.add(new EnvVarBuilder().withName(Variables.ATTEMPT).withNewValueFrom().withNewFieldRef().withFieldPath("metadata.uid")
                .endFieldRef().endValueFrom().build());
        env.forEach((k, v) -> vars.add(new EnvVar(k, v, null)));
        if (spec.storage != null && spec.storage.s3 != null) {
            DatasetSpec.S3 s3 = spec.storage.s3;
            if (s3.region != null) {
                vars.add(new EnvVar("AWS_REGION", s3.region, null));
            }
            if (s3.endpoint != null) {
                vars.add(new EnvVar("AWS_ENDPOINT_URL", s3.endpoint, null));
            }
            if (s3.credentialsSecret != null) {
                vars.add(secretVar("AWS_ACCESS_KEY_ID", s3.credentialsSecret));
                vars.add(secretVar("AWS_SECRET_ACCESS_KEY", s3.credentialsSecret));
            }
        }
        return vars;
    }

    private static EnvVar secretVar(String key, String secret) {
        return new EnvVarBuilder().withName(key).withNewValueFrom().withNewSecretKeyRef(key, secret, false).endValueFrom().build();
    }

    /** The user's variables win over the contract's of the same name. */
    private static List<EnvVar> merge(List<EnvVar> contract, List<EnvVar> user) {
        Map<String, EnvVar> byName = new LinkedHashMap<>();
        contract.forEach(v -> byName.put(v.getName(), v));
        if (user != null) {
            user.forEach(v -> byName.put(v.getName(), v));
        }
        return new ArrayList<>(byName.values());
    }
}
