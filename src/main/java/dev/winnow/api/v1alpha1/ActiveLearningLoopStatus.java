package dev.winnow.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.PrinterColumn;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class ActiveLearningLoopStatus extends WinnowStatus {
    /** History keeps the newest rounds only, so status stays small however long a loop runs. */
    public static final int MAX_HISTORY = 20;

    @PrinterColumn(name = "Round")
    @JsonPropertyDescription("The round under way (0 = initial selection).")
    public Integer round;
    @JsonPropertyDescription("InitialSelection, Training, Selecting, AwaitingLabels or Done.")
    public String stage;
    @PrinterColumn(name = "Labeled")
    public Long labeled;
    @JsonPropertyDescription("Labeled samples the Dataset had when the loop started; the loop counts on from there.")
    public Long labeledAtStart;
    @JsonPropertyDescription("Samples asked of the labelers so far, counted against labelBudget.")
    public Long requested;
    @PrinterColumn(name = "Last Metric")
    public Double lastMetric;
    public String metricName;
    public String stopReason;
    public String trainingRun;
    public String selectionRound;
    @Size(max = MAX_HISTORY)
    @JsonPropertyDescription("One entry per trained round, keyed by round, newest last, at most 20.")
    public List<RoundEntry> history = new ArrayList<>();
    public String startTime;
    public String completionTime;

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public static class RoundEntry {
        @Required
        @JsonPropertyDescription("The round this entry records; history holds one entry per round.")
        public Integer round;
        public String trainingRun;
        public String selectionRound;
        public Long labeled;
        public Map<String, Double> metrics;
    }
}
