package dev.winnow.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/**
 * A loop's pseudo-labels, as in CEAL (Wang et al., 2016): each round from the second trains on the previous round's
 * confident predictions of unlabeled samples besides the labels. The threshold of round r is
 * {@code max(threshold - decay * (r - 2), min(threshold, FLOOR))}.
 */
@JsonClassDescription("Pseudo-labels (CEAL): each round from the second also trains on the previous round's confident predictions of unlabeled samples; they are never written to the labels store nor counted as labels. Classification only.")
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class PseudoLabelsSpec {
    public static final double DEFAULT_THRESHOLD = 0.95;
    public static final double DEFAULT_DECAY = 0.0033;
    /** The threshold never decays below this (a top class under one half is no majority); a lower start stays put. */
    public static final double FLOOR = 0.5;

    @Min(value = 0, inclusive = false)
    @Max(1)
    @JsonPropertyDescription("Least top-class probability a prediction needs in the first round that uses pseudo-labels, in (0, 1] (default 0.95).")
    public Double threshold;
    @Min(0)
    @Max(1)
    @JsonPropertyDescription("How much the threshold falls each round after that (default 0.0033); it never falls below 0.5.")
    public Double decay;

    public double effectiveThreshold() {
        return threshold == null ? DEFAULT_THRESHOLD : threshold;
    }

    public double effectiveDecay() {
        return decay == null ? DEFAULT_DECAY : decay;
    }
}
