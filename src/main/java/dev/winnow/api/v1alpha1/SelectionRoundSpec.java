package dev.winnow.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

import java.util.List;

@JsonClassDescription("Which samples to choose, how, and how their labels arrive; the operator never writes spec.")
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@ValidationRule(value = "has(self.count) != has(self.total)", message = "give count (how many to add) or total (size after adding), exactly one")
@ValidationRule(value = "self == oldSelf", message = "a SelectionRound is immutable: create a new one")
@ValidationRule(value = "!has(self.labeling) || !has(self.labeling.proceedAfter) || !has(self.count) || self.labeling.proceedAfter <= self.count",
        message = "labeling.proceedAfter is more than count: the round would wait for more labels than it selects")
public class SelectionRoundSpec {
    @Required
    @Pattern(Validation.NAME_PATTERN)
    @JsonPropertyDescription("Name of the Dataset in this namespace to select from.")
    public String datasetRef;
    @Pattern(Validation.NAME_PATTERN)
    @JsonPropertyDescription("The TrainingRun whose predictions to sample from; absent for a model-free first selection.")
    public String trainingRunRef;
    @Required
    @JsonPropertyDescription("The sampling strategy and its parameters.")
    public StrategySpec strategy;
    @Min(1)
    @Max(Integer.MAX_VALUE)
    @JsonPropertyDescription("How many samples to add.")
    public Integer count;
    @Min(1)
    @Max(Integer.MAX_VALUE)
    @JsonPropertyDescription("Size of the chosen set after adding, counting samples already labeled or tagged.")
    public Integer total;
    @JsonPropertyDescription("Samples never to choose (default: every labeled one).")
    public Exclude exclude;
    @Pattern(Validation.NAME_PATTERN)
    @JsonPropertyDescription("Tag written for the chosen ids (default: this object's name).")
    public String tag;
    @Min(0)
    @Max(Integer.MAX_VALUE)
    @JsonPropertyDescription("The loop round this selection belongs to (0 = initial), written to every line of selection.jsonl; a loop sets it on its rounds.")
    public Integer round;
    @JsonPropertyDescription("Seed that breaks ties and drives random choices: the same inputs and seed give the same selection (default 0).")
    public Long seed;
    @JsonPropertyDescription("How the labels of this selection arrive (default: External, people label).")
    public LabelingSpec labeling;
    @JsonPropertyDescription("Container settings of the select step (resources, GPUs for large pools).")
    public StepTemplate selector;
    @Min(0)
    @Max(Integer.MAX_VALUE)
    @JsonPropertyDescription("Retries of each step before the round fails (default 2).")
    public Integer backoffLimit;
    @Min(1)
    @JsonPropertyDescription("Deadline of each step's Job in seconds; bounds the wait for labels.")
    public Long activeDeadlineSeconds;

    public int effectiveBackoffLimit() {
        return backoffLimit == null ? TrainingRunSpec.DEFAULT_BACKOFF_LIMIT : backoffLimit;
    }

    public String effectiveTag(String objectName) {
        return tag == null || tag.isBlank() ? objectName : tag;
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public static class Exclude {
        @JsonPropertyDescription("Never choose labeled samples (default true).")
        public Boolean allLabeled;
        @JsonPropertyDescription("Never choose samples of these tags.")
        public List<String> tags;
    }
}
