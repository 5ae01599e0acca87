package dev.winnow.sampling;

import dev.winnow.sampling.io.Box;
import java.util.List;

/**
 * One chosen sample: its id, the strategy's score, its 1-based rank, and the model's
 * predictions for it (class probabilities or boxes, null when the directory has none), which
 * become pre-annotations in the label request.
 */
public record Selected(String id, double score, int rank, float[] probs, List<Box> boxes) {
}
