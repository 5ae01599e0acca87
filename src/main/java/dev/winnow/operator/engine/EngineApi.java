package dev.winnow.operator.engine;

import dev.winnow.api.v1alpha1.TrainingEngine;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

import java.util.Map;

/**
 * What Winnow needs to know of a training engine's API: its resource, the conditions that end it,
 * the container it trains in, and the labels of rank 0's pod, whose termination message is the step's
 * result.
 *
 * <p>PyTorchJob (Kubeflow training operator, kubeflow.org/v1; https://www.kubeflow.org/docs/components/trainer/legacy-v1/user-guides/pytorch/):
 * spec.pytorchReplicaSpecs.{Master,Worker}.{replicas,restartPolicy,template}, spec.nprocPerNode,
 * spec.runPolicy.{backoffLimit,activeDeadlineSeconds,cleanPodPolicy,suspend}; status.conditions of type
 * Created, Running, Restarting, Succeeded, Failed, Suspended; the operator injects MASTER_ADDR, WORLD_SIZE,
 * RANK and PET_* into the container named "pytorch", and labels each pod
 * training.kubeflow.org/job-name, training.kubeflow.org/replica-type (master, worker) and
 * training.kubeflow.org/replica-index.
 *
 * <p>TrainJob (Kubeflow Trainer v2, trainer.kubeflow.org/v1alpha1; pkg/apis/trainer/v1alpha1/trainjob_types.go,
 * https://www.kubeflow.org/docs/components/trainer/operator-guides/podtemplate-overrides/):
 * spec.runtimeRef.{name,kind,apiGroup}, spec.trainer.{image,command,args,env,numNodes,numProcPerNode,resourcesPerNode},
 * spec.podTemplateOverrides[].{targetJobs,metadata,spec}, spec.suspend; status.conditions Complete and Failed.
 * The runtime's JobSet names its trainer replicated job and container "node"; JobSet labels each pod
 * jobset.sigs.k8s.io/jobset-name (the TrainJob's name), jobset.sigs.k8s.io/replicatedjob-name,
 * jobset.sigs.k8s.io/job-index, and the Job batch.kubernetes.io/job-completion-index: node 0 is rank 0.
 */
public enum EngineApi {
    PYTORCH_JOB("kubeflow.org", "v1", "PyTorchJob", "pytorchjobs", "Succeeded", "Failed", "pytorch"),
    TRAIN_JOB("trainer.kubeflow.org", "v1alpha1", "TrainJob", "trainjobs", "Complete", "Failed", "node");

    /** The replicated job and container of a torch TrainingRuntime that trains. */
    static final String TRAIN_JOB_NODE = "node";

    private final String group;
    private final String version;
    private final String kind;
    private final String plural;
    private final String succeeded;
    private final String failed;
    private final String container;

    EngineApi(String group, String version, String kind, String plural, String succeeded, String failed, String container) {
        this.group = group;
        this.version = version;
        this.kind = kind;
        this.plural = plural;
        this.succeeded = succeeded;
        this.failed = failed;
        this.container = container;
    }

    public static EngineApi of(TrainingEngine engine) {
        return switch (engine) {
            case PyTorchJob -> PYTORCH_JOB;
            case TrainJob -> TRAIN_JOB;
            case Job -> throw new IllegalArgumentException("a Job step is StepRunner's");
        };
    }

    public String apiVersion() {
        return group + "/" + version;
    }

    public String kind() {
        return kind;
    }

    String group() {
        return group;
    }

    String succeededCondition() {
        return succeeded;
    }

    String failedCondition() {
        return failed;
    }

    /** The container that trains, whose termination message rank 0 writes. */
    String container() {
        return container;
    }

    ResourceDefinitionContext context() {
        return new ResourceDefinitionContext.Builder().withGroup(group).withVersion(version).withKind(kind)
                .withPlural(plural).withNamespaced(true).build();
    }

    /** The label the engine gives every pod of the resource of this name. */
    Map<String, String> podLabels(String name) {
        return switch (this) {
            case PYTORCH_JOB -> Map.of("training.kubeflow.org/job-name", name);
            case TRAIN_JOB -> Map.of("jobset.sigs.k8s.io/jobset-name", name);
        };
    }

    /** The labels the engine gives the pod of rank 0 of the resource of this name. */
    Map<String, String> rankZeroLabels(String name) {
        return switch (this) {
            case PYTORCH_JOB -> Map.of("training.kubeflow.org/job-name", name,
                    "training.kubeflow.org/replica-type", "master",
                    "training.kubeflow.org/replica-index", "0");
            case TRAIN_JOB -> Map.of("jobset.sigs.k8s.io/jobset-name", name,
                    "jobset.sigs.k8s.io/replicatedjob-name", TRAIN_JOB_NODE,
                    "jobset.sigs.k8s.io/job-index", "0",
                    "batch.kubernetes.io/job-completion-index", "0");
        };
    }

    /** "PyTorchJob (kubeflow.org/v1)". */
    @Override
    public String toString() {
        return kind + " (" + apiVersion() + ")";
    }
}
