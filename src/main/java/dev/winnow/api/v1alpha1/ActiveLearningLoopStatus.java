package dev.winnow.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.PrinterColumn;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

@JsonClassDescription("What the operator observed of the loop: conditions Ready, Progressing, Succeeded and Failed with reasons, a phase for people, progress and a short history.")
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class ActiveLearningLoopStatus extends RunStatus {
    /** History keeps the newest rounds only, so status stays small however long a loop runs. */
    public static final int MAX_HISTORY = 20;

    @PrinterColumn(name = "Round")
    @JsonPropertyDescription("The round under way (0 = initial selection).")
    public Integer round;
    @JsonPropertyDescription("Where the round is: InitialSelection, Training, Inferring, Selecting, AwaitingLabels, Suspended or Done.")
    public String stage;
    @PrinterColumn(name = "Labeled")
    @JsonPropertyDescription("Labeled samples: those the Dataset had at the start plus those the loop's selections got labeled.")
    public Long labeled;
    @JsonPropertyDescription("Labeled samples the Dataset had when the loop started; the loop counts on from there.")
    public Long labeledAtStart;
    @JsonPropertyDescription("Samples asked of the labelers so far, counted against labelBudget.")
    public Long requested;
    @PrinterColumn(name = "Last Metric")
    @JsonPropertyDescription("The stop metric of the latest trained round.")
    public Double lastMetric;
    @JsonPropertyDescription("Name of the metric in lastMetric and the stop condition (default accuracy).")
    public String metricName;
    @JsonPropertyDescription("Why the loop stopped: MaxRounds, LabelBudget, MetricReached, Plateau or PoolExhausted (nothing of the pool left to select).")
    public String stopReason;
    @JsonPropertyDescription("The TrainingRun of the current round.")
    public String trainingRun;
    @JsonPropertyDescription("The SelectionRound of the current round.")
    public String selectionRound;
    @Size(max = MAX_HISTORY)
    @JsonPropertyDescription("One entry per trained round, keyed by round, newest last, at most 20.")
    public List<RoundEntry> history = new ArrayList<>();

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public static class RoundEntry {
        @Required
        @JsonPropertyDescription("The trained round, from 1; history holds one entry per round.")
        public Integer round;
        @JsonPropertyDescription("The round's TrainingRun.")
        public String trainingRun;
        @JsonPropertyDescription("The SelectionRound that followed it, if any.")
        public String selectionRound;
        @JsonPropertyDescription("Labeled samples the round trained on, as its train step reported (every label of the Dataset, other loops' included).")
        public Long labeled;
        @JsonPropertyDescription("Metrics the round's trainer reported.")
        public Map<String, Double> metrics;
        @JsonPropertyDescription("Seconds the select step of the SelectionRound that followed took, once it has run (the strategy's cost).")
        public Double selectSeconds;
    }
}
