package dev.winnow.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

@JsonClassDescription("The policy of the loop: its dataset, rounds, labeling and when to stop; the operator never writes spec.")
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@ValidationRule(value = "!has(self.labeling) || !has(self.labeling.proceedAfter)"
        + " || (self.labeling.proceedAfter <= self.initialSelection.count && self.labeling.proceedAfter <= self.round.selection.count)",
        message = "labeling.proceedAfter is more than initialSelection.count or round.selection.count: a round would wait for more labels than it selects")
public class ActiveLearningLoopSpec {
    @Required
    @Pattern(Validation.NAME_PATTERN)
    @ValidationRule(value = "self == oldSelf", message = "datasetRef is immutable")
    @JsonPropertyDescription("Name of the Dataset in this namespace the loop learns on. Immutable.")
    public String datasetRef;
    @Required
    @JsonPropertyDescription("The first, model-free selection.")
    public Selection initialSelection;
    @Required
    @JsonPropertyDescription("What each round runs: train and infer (a TrainingRun), then select (a SelectionRound).")
    public Round round;
    @JsonPropertyDescription("How the labels of every selection arrive (default: External, people label).")
    public LabelingSpec labeling;
    @Required
    @JsonPropertyDescription("When the loop stops: the first condition that holds ends it.")
    public StopWhen stopWhen;
    @JsonPropertyDescription("Seed of the loop: round r trains, predicts and selects with seed + r, so two loops with the same seed and data give the same rounds (default: every step's default, 0).")
    public Long seed;
    @JsonPropertyDescription("Off unless set: from the second round, each training also uses the previous round's confident predictions of unlabeled samples (CEAL); never labels, never counted. Classification only.")
    public PseudoLabelsSpec pseudoLabels;
    @JsonPropertyDescription("Create no new children while true; running steps finish.")
    public Boolean suspend;

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public static class Selection {
        @Required
        @JsonPropertyDescription("The sampling strategy; a model-free one (Random, Coreset, ClusterBalanced, TypiClust, ProbCover) for the initial selection.")
        public StrategySpec strategy;
        @Required
        @Min(1)
        @Max(Integer.MAX_VALUE)
        @JsonPropertyDescription("How many samples to add to the labeled set.")
        public Integer count;
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public static class Round {
        @JsonPropertyDescription("The train step's container; Winnow's DJL trainer when no image is given.")
        public TrainerTemplate trainer;
        @JsonPropertyDescription("The infer step: its container, outputs and shards.")
        public TrainingRunSpec.Inference inference;
        @Required
        @JsonPropertyDescription("The selection after each training, sampling from that round's predictions.")
        public Selection selection;
        @JsonPropertyDescription("Start each round from the previous round's checkpoint (default true).")
        public Boolean resumeFromPrevious;
        @Min(0)
        @Max(Integer.MAX_VALUE)
        @JsonPropertyDescription("Retries of each step Job before the round fails (default 2).")
        public Integer backoffLimit;
        @Min(1)
        @JsonPropertyDescription("Deadline of each train and infer Job, in seconds.")
        public Long activeDeadlineSeconds;
        @JsonPropertyDescription("Container settings of the select steps.")
        public StepTemplate selector;
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @ValidationRule(value = "has(self.maxRounds) || has(self.labelBudget) || has(self.metric) || has(self.plateau)",
            message = "stopWhen needs at least one of maxRounds, labelBudget, metric, plateau")
    public static class StopWhen {
        @Min(1)
        @Max(Integer.MAX_VALUE)
        @JsonPropertyDescription("Stop after this many trained rounds.")
        public Integer maxRounds;
        @Min(1)
        @JsonPropertyDescription("Stop before asking for more labels than this in total.")
        public Long labelBudget;
        @JsonPropertyDescription("Stop once the trained model reaches this metric.")
        public MetricThreshold metric;
        @JsonPropertyDescription("Stop when the metric stops improving.")
        public Plateau plateau;
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public static class MetricThreshold {
        @JsonPropertyDescription("Metric reported by the trainer (default accuracy).")
        public String name;
        @Required
        @JsonPropertyDescription("Stop when the metric is at least this value.")
        public Double atLeast;
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public static class Plateau {
        @Required
        @Min(1)
        @Max(Integer.MAX_VALUE)
        @JsonPropertyDescription("Stop when the metric improved by less than minDelta this many rounds in a row.")
        public Integer rounds;
        @Required
        @Min(0)
        @JsonPropertyDescription("Smallest improvement of the metric that counts as progress.")
        public Double minDelta;
    }
}
