package dev.winnow.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.PrinterColumn;

@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class SelectionRoundStatus extends WinnowStatus {
    @PrinterColumn(name = "Selected")
    public Long selected;
    @PrinterColumn(name = "Labeled")
    @JsonPropertyDescription("How many of the selected samples had labels when the wait ended.")
    public Long labeled;
    @JsonPropertyDescription("URI of selection.jsonl: the chosen ids live there, not in status.")
    public String selection;
    public String sha256;
    public String tag;
    public String tagUri;
    @JsonPropertyDescription("How long the select step took to choose, in seconds, as it reported.")
    public Double selectSeconds;
    public String selectJob;
    public String awaitJob;
    public String startTime;
    public String completionTime;
}
