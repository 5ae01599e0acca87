package dev.winnow.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.winnow.contract.InferenceOutput;
import dev.winnow.contract.InferenceTarget;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

import java.util.List;

@JsonClassDescription("What to train on, from which checkpoint, and the train and infer containers; the operator never writes spec.")
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@ValidationRule(value = "self == oldSelf", message = "a TrainingRun is immutable: create a new one")
public class TrainingRunSpec {
    public static final int DEFAULT_BACKOFF_LIMIT = 2;

    @Required
    @Pattern(Validation.NAME_PATTERN)
    @JsonPropertyDescription("Name of the Dataset in this namespace to train on.")
    public String datasetRef;
    @JsonPropertyDescription("Which labeled samples to train on (default: all labeled).")
    public TrainOn trainOn;
    @JsonPropertyDescription("Continue from a checkpoint: another TrainingRun's or a URI.")
    public ResumeFrom resumeFrom;
    @JsonPropertyDescription("The train step's container; Winnow's DJL trainer when no image is given.")
    public TrainerTemplate trainer;
    @JsonPropertyDescription("The infer step after training: its container, outputs and shards.")
    public Inference inference;
    @JsonPropertyDescription("Also train on the confident predictions of unlabeled samples in a predictions directory (pseudo-labels; classification only). A loop with spec.pseudoLabels sets this on its rounds.")
    public PseudoLabels pseudoLabels;
    @JsonPropertyDescription("Seed of the train and infer steps (WINNOW_SEED): weight initialisation, shuffling and dropout; the same data and seed train the same model (default 0).")
    public Long seed;
    @Min(0)
    @Max(Integer.MAX_VALUE)
    @JsonPropertyDescription("Retries of each step before the run fails (default 2).")
    public Integer backoffLimit;
    @Min(1)
    @JsonPropertyDescription("Deadline of each step's Job, in seconds.")
    public Long activeDeadlineSeconds;

    public int effectiveBackoffLimit() {
        return backoffLimit == null ? DEFAULT_BACKOFF_LIMIT : backoffLimit;
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @ValidationRule(value = "!(has(self.tags) && has(self.allLabeled) && self.allLabeled)",
            message = "trainOn: give tags or allLabeled, not both")
    @ValidationRule(value = "!has(self.tags) || size(self.tags) > 0",
            message = "trainOn.tags is empty, which names no samples to train on: list at least one tag, or set allLabeled: true")
    public static class TrainOn {
        // an empty list must survive a copy (JOSDK clones through Jackson) to be refused, not read as "all"
        @JsonInclude(JsonInclude.Include.NON_NULL)
        @JsonPropertyDescription("Train on the labeled samples of these tags; at least one (an empty list is refused, not read as all).")
        public List<String> tags;
        @JsonPropertyDescription("Train on every labeled sample.")
        public Boolean allLabeled;
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @ValidationRule(value = "has(self.trainingRun) != has(self.uri)", message = "resumeFrom: give trainingRun or uri, exactly one")
    public static class ResumeFrom {
        @Pattern(Validation.NAME_PATTERN)
        @JsonPropertyDescription("Start from the checkpoint of this TrainingRun in the same namespace.")
        public String trainingRun;
        @Pattern(Validation.URI_PATTERN)
        @JsonPropertyDescription("Start from the checkpoint at this URI.")
        public String uri;
    }

    /** Where pseudo-labels come from and how confident a prediction must be to become one. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public static class PseudoLabels {
        @Required
        @Pattern(Validation.URI_PATTERN)
        @JsonPropertyDescription("A predictions directory (ids.txt and probs.npy, or part-<i>/ shards), such as another TrainingRun's status.predictions. WINNOW_PSEUDO_LABEL_SOURCE.")
        public String predictions;
        @Required
        @Min(value = 0, inclusive = false)
        @Max(1)
        @JsonPropertyDescription("Least top-class probability, in (0, 1]. WINNOW_PSEUDO_LABEL_THRESHOLD.")
        public Double threshold;
    }

    /** The infer step: an Indexed Job with one completion per shard. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public static class Inference extends StepTemplate {
        @JsonPropertyDescription("What to predict (default Probabilities and Embeddings).")
        public List<InferenceOutput> outputs;
        @Min(0)
        @Max(100)
        @JsonPropertyDescription("Stochastic forward passes with dropout on, for BALD and variation ratio (0 = none).")
        public Integer mcDropoutSamples;
        @Min(1)
        @Max(512)
        @JsonPropertyDescription("Parallel shards of the pool (default 1).")
        public Integer shards;
        @JsonPropertyDescription("Which samples to predict: Unlabeled (default) or All.")
        public InferenceTarget target;
        @JsonPropertyDescription("Train only: the run ends after training, without predicting. A SelectionRound that selects from this run"
                + " runs the infer step itself first. A loop sets this on the round it plans to be its last (maxRounds, labelBudget).")
        public Boolean skip;

        public int effectiveShards() {
            return shards == null ? 1 : shards;
        }
    }
}
