package dev.winnow.worker;

import java.util.List;
import java.util.Locale;

import dev.winnow.contract.InferenceOutput;
import dev.winnow.contract.Variables;

/**
 * {@code WINNOW_OUTPUTS}: which arrays {@code infer} writes. Default: probabilities and embeddings.
 * For detection, {@code kitti} adds KITTI label files with a confidence column, as TAO's inference writes them.
 */
record InferOutputs(boolean probabilities, boolean embeddings, int mcSamples, boolean kitti) {

    static final String KITTI = "kitti";

    static InferOutputs parse(List<String> items) {
        if (items.isEmpty()) {
            return new InferOutputs(true, true, 0, false);
        }
        boolean probabilities = false;
        boolean embeddings = false;
        boolean kitti = false;
        int mc = 0;
        for (String item : items) {
            String value = item.toLowerCase(Locale.ROOT);
            if (value.equals(InferenceOutput.Probabilities.id())) {
                probabilities = true;
            } else if (value.equals(InferenceOutput.Embeddings.id())) {
                embeddings = true;
            } else if (value.equals(KITTI)) {
                kitti = true;
            } else if (value.startsWith(InferenceOutput.MC_DROPOUT) || value.startsWith("mcdropout:")) {
                try {
                    mc = Integer.parseInt(value.substring(value.indexOf(':') + 1));
                } catch (NumberFormatException e) {
                    mc = -1;
                }
                if (mc < 1 || mc > 1000) {
                    throw new StepException(Variables.OUTPUTS + ": mc-dropout:T needs 1 <= T <= 1000, got " + item);
                }
            } else {
                throw new StepException(Variables.OUTPUTS + ": unknown output '" + item
                        + "' (want probabilities, embeddings, mc-dropout:T, kitti)");
            }
        }
        return new InferOutputs(probabilities, embeddings, mc, kitti);
    }
}
