package dev.winnow.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The status of a resource that runs to completion (TrainingRun, SelectionRound, ActiveLearningLoop): when it started and ended. */
public abstract class RunStatus extends WinnowStatus {
    @JsonPropertyDescription("When the operator started work on it.")
    public String startTime;
    @JsonPropertyDescription("When it ended: succeeded, failed, or (a loop) stopped.")
    public String completionTime;
}
