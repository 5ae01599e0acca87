package dev.winnow.local.bench;

/**
 * What a benchmark's loops train on besides their labels (issue 25's label-efficiency options): the Dataset's own
 * self-supervised encoder as the classifier's backbone, and the previous round's confident predictions as
 * pseudo-labels. Each option on adds a suffix to the loops' names and report rows, so that runs with and without an
 * option report side by side: {@code margin}, {@code margin-backbone}, {@code margin-backbone-pseudo}.
 *
 * @param backbone     every loop's trainer starts from the Dataset's embedder ({@code backbone: {fromEmbedder: true}}),
 *                     and each copy of the Dataset gets an embedder when the manifest's has none
 * @param pseudoLabels the loops' {@code spec.pseudoLabels}, or null for none
 */
public record BenchTraining(boolean backbone, PseudoLabels pseudoLabels) {
    public static final BenchTraining NONE = new BenchTraining(false, null);

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
}
