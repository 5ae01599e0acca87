package dev.winnow.local.demo;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What the demo's or a benchmark's loops train on besides their labels (the label-efficiency options,
 * docs/quality.md): the Dataset's own self-supervised encoder as the classifier's backbone, and the previous round's
 * confident predictions as pseudo-labels. In a benchmark each option on also adds a suffix to the loops' names and
 * report rows, so that runs with and without it report side by side: {@code margin}, {@code margin-backbone-pseudo}.
 *
 * @param backbone     the loop's trainer starts from the Dataset's embedder ({@code backbone: {fromEmbedder: true}}),
 *                     and the Dataset gets the built-in embedder when the manifest gives it none
 * @param pseudoLabels the loop's {@code spec.pseudoLabels}, or null for none
 */
public record TrainingOptions(boolean backbone, PseudoLabels pseudoLabels) {
    public static final TrainingOptions NONE = new TrainingOptions(false, null);

    /** A loop's {@code spec.pseudoLabels}. */
    public record PseudoLabels(double threshold, double decay) {
        public PseudoLabels {
            if (!(threshold > 0 && threshold <= 1) || !(decay >= 0 && decay <= 1)) {
                throw new IllegalArgumentException("pseudo-labels need a threshold in (0, 1] and a decay in [0, 1]; got "
                        + threshold + " and " + decay);
            }
        }

        /** {@code threshold[:decay]}, e.g. {@code 0.95:0.0033}; the decay defaults to {@code defaultDecay}. */
        public static PseudoLabels parse(String text, double defaultDecay) {
            String[] parts = text.trim().split(":");
            if (parts.length > 2) {
                throw new IllegalArgumentException("'" + text + "' is not threshold[:decay], e.g. 0.95:0.0033");
            }
            try {
                return new PseudoLabels(Double.parseDouble(parts[0]), parts.length == 2 ? Double.parseDouble(parts[1]) : defaultDecay);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "' is not threshold[:decay], e.g. 0.95:0.0033");
            }
        }
    }

    /** Appended to each strategy's id in loop names and report rows. */
    public String suffix() {
        return (backbone ? "-backbone" : "") + (pseudoLabels != null ? "-pseudo" : "");
    }

    /** Gives a Dataset of the manifest the embedder a backbone needs. */
    public void applyToDataset(ObjectNode dataset) {
        if (backbone) {
            dataset.with("spec").with("embedder"); // {}: the built-in encoder, unless the manifest says more
        }
    }

    /** Puts the options into a loop's spec. */
    public void applyToLoop(ObjectNode loop) {
        ObjectNode spec = (ObjectNode) loop.with("spec");
        if (backbone) {
            ((ObjectNode) spec.with("round").with("trainer")).putObject("backbone").put("fromEmbedder", true);
        }
        if (pseudoLabels != null) {
            spec.putObject("pseudoLabels").put("threshold", pseudoLabels.threshold()).put("decay", pseudoLabels.decay());
        }
    }
}
