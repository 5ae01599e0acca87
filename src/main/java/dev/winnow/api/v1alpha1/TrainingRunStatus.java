package dev.winnow.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.PrinterColumn;

import java.util.Map;

@JsonClassDescription("What the operator observed of the run: conditions Progressing, Succeeded and Failed with reasons, a phase for people, and the steps' results.")
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class TrainingRunStatus extends RunStatus {
    @PrinterColumn(name = "Accuracy")
    @JsonPropertyDescription("The accuracy metric the trainer reported, when it did.")
    public Double accuracy;
    @JsonPropertyDescription("Metrics from the train step's result.")
    public Map<String, Double> metrics;
    @JsonPropertyDescription("The train step's attempt (its pod's uid) whose outputs the run uses: its model and ids files are under runs/<run>/attempts/<attempt>/.")
    public String trainAttempt;
    @JsonPropertyDescription("URI of the trained checkpoint.")
    public String checkpoint;
    @JsonPropertyDescription("Predictions directory of this run's own infer Job, runs/<run>/predictions/<uid>/ (part-<i>/ per shard when sharded): a re-created run never reads an earlier one's files.")
    public String predictions;
    @JsonPropertyDescription("Samples the model was trained on, as the train step reported.")
    public Long trained;
    @JsonPropertyDescription("Unlabeled samples the model also trained on with pseudo-labels (spec.pseudoLabels), as the train step reported; never counted in trained.")
    public Long pseudoLabeled;
    @JsonPropertyDescription("Samples predicted, over all shards.")
    public Long predicted;
    @JsonPropertyDescription("The train step's Job; on an engine, its prepare Job, then its PyTorchJob or TrainJob.")
    public String trainJob;
    @JsonPropertyDescription("The infer step's Job.")
    public String inferJob;
    @JsonPropertyDescription("On an engine: what rank 0 wrote to its termination log when it last failed, kept as soon as it is seen,"
            + " since the engine restarts a failed rank in place and may delete its pods before it reports Failed.")
    public String rankZeroError;
}
