package dev.winnow.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.PrinterColumn;

import java.util.Map;

@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class TrainingRunStatus extends WinnowStatus {
    @PrinterColumn(name = "Accuracy")
    @JsonPropertyDescription("The accuracy metric the trainer reported, when it did.")
    public Double accuracy;
    @JsonPropertyDescription("Metrics from the train step's result.")
    public Map<String, Double> metrics;
    public String checkpoint;
    @JsonPropertyDescription("Predictions directory (part-<i>/ per shard when sharded).")
    public String predictions;
    public Long trained;
    public Long predicted;
    public String trainJob;
    public String inferJob;
    public String startTime;
    public String completionTime;
}
