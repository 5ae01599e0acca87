package dev.winnow.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.PrinterColumn;

@JsonClassDescription("What the operator observed of the round: conditions Progressing, Succeeded and Failed with reasons, a phase for people, and the steps' results.")
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class SelectionRoundStatus extends RunStatus {
    @PrinterColumn(name = "Selected")
    @JsonPropertyDescription("Samples chosen.")
    public Long selected;
    @PrinterColumn(name = "Labeled")
    @JsonPropertyDescription("How many of the selected samples are labeled: while the wait goes on, as last reported; then when it ended.")
    public Long labeled;
    @PrinterColumn(name = "Skipped", priority = 1)
    @JsonPropertyDescription("How many of the selected samples people skipped (cancelled in their labeling tool).")
    public Long skipped;
    @JsonPropertyDescription("How many of the selected samples are neither labeled nor skipped.")
    public Long open;
    @JsonPropertyDescription("How many times the wait for labels reported progress (each report starts the next await Job).")
    public Integer labelReports;
    @JsonPropertyDescription("URI of selection.jsonl: the chosen ids live there, not in status.")
    public String selection;
    @JsonPropertyDescription("SHA-256 of selection.jsonl.")
    public String sha256;
    @JsonPropertyDescription("The tag written for the chosen ids.")
    public String tag;
    @JsonPropertyDescription("URI of the tag file, one chosen id a line.")
    public String tagUri;
    @JsonPropertyDescription("How long the select step took to choose, in seconds, as it reported.")
    public Double selectSeconds;
    @JsonPropertyDescription("Where a distance-based strategy measured: Model (the TrainingRun's embeddings), SelfSupervised (the Dataset's embedder) or Pixels (pooled pixels, a model-free pick without an embedder).")
    public String embeddingSpace;
    @JsonPropertyDescription("The infer step's Job, when the TrainingRun skipped inference (spec.inference.skip) and the round ran it.")
    public String inferJob;
    @JsonPropertyDescription("URI of the predictions the round's own infer step wrote (see inferJob).")
    public String predictions;
    @JsonPropertyDescription("The select step's Job.")
    public String selectJob;
    @JsonPropertyDescription("The await-labels step's Job.")
    public String awaitJob;
}
