package dev.winnow.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.PrinterColumn;
import io.fabric8.kubernetes.api.model.Condition;

import java.util.ArrayList;
import java.util.List;

/** What every Winnow status has: conditions (the truth), a phase derived from them, observedGeneration. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public abstract class WinnowStatus {
    @JsonPropertyDescription("The generation of the spec this status describes.")
    public Long observedGeneration;
    @PrinterColumn(name = "Phase", priority = 0)
    @JsonPropertyDescription("For people and printer columns only; derived from the conditions.")
    public String phase;
    @JsonPropertyDescription("metav1.Condition-shaped, keyed by type.")
    public List<Condition> conditions = new ArrayList<>();
    @JsonPropertyDescription("Short human-readable summary of the latest transition.")
    public String message;
}
