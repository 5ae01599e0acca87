package dev.winnow.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/**
 * A loop's pseudo-labels, as in CEAL (Wang et al., 2016): each round from the second trains on the previous round's
 * confident predictions of unlabeled samples besides the labels. The threshold of round r is
 * {@code min(1, threshold + decay * (r - 2))}: the doubt a pseudo-label may carry decays, as CEAL's entropy bound does.
 */
@JsonClassDescription("Pseudo-labels (CEAL): each round from the second also trains on the previous round's confident predictions of unlabeled samples; they are never written to the labels store nor counted as labels. Classification only.")
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class PseudoLabelsSpec {
    public static final double DEFAULT_THRESHOLD = 0.95;
    public static final double DEFAULT_DECAY = 0.0033;

    @Min(value = 0, inclusive = false)
    @Max(1)
    @JsonPropertyDescription("Least top-class probability a prediction needs in the first round that uses pseudo-labels, in (0, 1] (default 0.95).")
    public Double threshold;
    @Min(0)
    @Max(1)
    @JsonPropertyDescription("How much the threshold rises each round after that, up to 1 (default 0.0033, CEAL's rate): the doubt a pseudo-label may carry decays as the model improves.")
    public Double decay;

    public double effectiveThreshold() {
        return threshold == null ? DEFAULT_THRESHOLD : threshold;
    }

    public double effectiveDecay() {
        return decay == null ? DEFAULT_DECAY : decay;
    }
}
