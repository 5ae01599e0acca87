package dev.winnow.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.winnow.contract.LabelingMode;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** How the labels of a selection arrive. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class LabelingSpec {
    @JsonPropertyDescription("External (people label), Simulated (ground truth is revealed) or None (do not wait).")
    public LabelingMode mode;
    @Min(1)
    @Max(Integer.MAX_VALUE)
    @JsonPropertyDescription("Online mode: go on once this many of the selected samples are labeled instead of all of them.")
    public Integer proceedAfter;
    @JsonPropertyDescription("Where the simulated oracle finds true labels; an Idx source brings its own.")
    public LabelsLocation groundTruth;
    @Min(1)
    @Max(Integer.MAX_VALUE)
    @JsonPropertyDescription("How often the await-labels step looks for new labels, in seconds (default 10, backing off to 60).")
    public Integer pollSeconds;

    public LabelingMode effectiveMode() {
        return mode == null ? LabelingMode.External : mode;
    }
}
