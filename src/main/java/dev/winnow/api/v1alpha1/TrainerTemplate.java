package dev.winnow.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * The train step's container, and which engine runs it: a batch/v1 Job (one pod), or a Kubeflow
 * PyTorchJob or TrainJob for training across nodes. Winnow's built-in trainer is single-node.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@ValidationRule(value = "!has(self.engine) || self.engine == 'Job' || (has(self.image) && size(self.image) > 0)",
        message = "Winnow's built-in trainer runs on one node: a PyTorchJob or TrainJob engine needs trainer.image, a distributed training image")
@ValidationRule(value = "!has(self.nodes) || self.nodes == 1 || (has(self.engine) && self.engine != 'Job')",
        message = "trainer.nodes above 1 needs engine PyTorchJob or TrainJob: a Job trains on one node")
@ValidationRule(value = "!has(self.runtimeRef) || (has(self.engine) && self.engine == 'TrainJob')",
        message = "trainer.runtimeRef is for engine TrainJob only")
public class TrainerTemplate extends StepTemplate {
    @JsonPropertyDescription("What runs the train step: Job (default, one pod), PyTorchJob (Kubeflow training operator, kubeflow.org/v1) or TrainJob (Kubeflow Trainer, trainer.kubeflow.org/v1alpha1). Both engines need their CRD installed and an image.")
    public TrainingEngine engine;
    @Min(1)
    @Max(1024)
    @JsonPropertyDescription("Nodes (pods) to train on, each with gpus GPUs (default 1); above 1 needs engine PyTorchJob or TrainJob.")
    public Integer nodes;
    @Min(1)
    @Max(1024)
    @JsonPropertyDescription("Processes per node, usually one per GPU (default: gpus, or 1 without GPUs); torchrun's --nproc-per-node.")
    public Integer processesPerNode;
    @JsonPropertyDescription("The TrainJob's runtime (default: the ClusterTrainingRuntime torch-distributed).")
    public RuntimeRef runtimeRef;
    @JsonPropertyDescription("Start from an encoder instead of random weights (WINNOW_BACKBONE): the Dataset's embedder ({fromEmbedder: true}) or one at a URI. Ignored when the run resumes from a checkpoint.")
    public Backbone backbone;

    public TrainingEngine effectiveEngine() {
        return engine == null ? TrainingEngine.Job : engine;
    }

    public int effectiveNodes() {
        return nodes == null ? 1 : nodes;
    }

    public int effectiveProcessesPerNode() {
        if (processesPerNode != null) {
            return processesPerNode;
        }
        return gpus != null && gpus > 0 ? gpus : 1;
    }

    /** A Kubeflow Trainer runtime: a ClusterTrainingRuntime (default) or a TrainingRuntime in the run's namespace. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public static class RuntimeRef {
        public static final String DEFAULT_NAME = "torch-distributed";
        public static final String CLUSTER_KIND = "ClusterTrainingRuntime";

        @Pattern(Validation.SUBDOMAIN_PATTERN)
        @Size(max = Validation.MAX_SUBDOMAIN)
        @JsonPropertyDescription("Name of the runtime (default torch-distributed).")
        public String name;
        @JsonPropertyDescription("ClusterTrainingRuntime (default) or TrainingRuntime.")
        public RuntimeKind kind;

        public String effectiveName() {
            return name == null || name.isBlank() ? DEFAULT_NAME : name;
        }

        public String effectiveKind() {
            return kind == null ? CLUSTER_KIND : kind.name();
        }
    }

    public enum RuntimeKind { ClusterTrainingRuntime, TrainingRuntime }
}
