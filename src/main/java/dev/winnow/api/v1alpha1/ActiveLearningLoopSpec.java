package dev.winnow.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class ActiveLearningLoopSpec {
    @Required
    @Pattern(Validation.NAME_PATTERN)
    @ValidationRule(value = "self == oldSelf", message = "datasetRef is immutable")
    public String datasetRef;
    @Required
    @JsonPropertyDescription("The first, model-free selection.")
    public Selection initialSelection;
    @Required
    public Round round;
    public LabelingSpec labeling;
    @Required
    public StopWhen stopWhen;
    @JsonPropertyDescription("Seed for every selection of the loop (round r uses seed + r).")
    public Long seed;
    @JsonPropertyDescription("Create no new children while true; running steps finish.")
    public Boolean suspend;

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public static class Selection {
        @Required
        public StrategySpec strategy;
        @Required
        @Min(1)
        public Integer count;
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public static class Round {
        public StepTemplate trainer;
        public TrainingRunSpec.Inference inference;
        @Required
        public Selection selection;
        @JsonPropertyDescription("Start each round from the previous round's checkpoint (default true).")
        public Boolean resumeFromPrevious;
        @Min(0)
        public Integer backoffLimit;
        @Min(1)
        public Long activeDeadlineSeconds;
        @JsonPropertyDescription("Container settings of the select steps.")
        public StepTemplate selector;
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @ValidationRule(value = "has(self.maxRounds) || has(self.labelBudget) || has(self.metric) || has(self.plateau)",
            message = "stopWhen needs at least one of maxRounds, labelBudget, metric, plateau")
    public static class StopWhen {
        @Min(1)
        @JsonPropertyDescription("Stop after this many trained rounds.")
        public Integer maxRounds;
        @Min(1)
        @JsonPropertyDescription("Stop before asking for more labels than this in total.")
        public Long labelBudget;
        public MetricThreshold metric;
        public Plateau plateau;
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public static class MetricThreshold {
        @JsonPropertyDescription("Metric reported by the trainer (default accuracy).")
        public String name;
        @Required
        public Double atLeast;
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public static class Plateau {
        @Required
        @Min(1)
        @JsonPropertyDescription("Stop when the metric improved by less than minDelta this many rounds in a row.")
        public Integer rounds;
        @Required
        @Min(0)
        public Double minDelta;
    }
}
