package dev.winnow.worker.model;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * {@code model.json} of a checkpoint: what is needed to rebuild the network and to continue
 * training, plus the history so a resumed run reports where it came from.
 *
 * @param format always {@link #FORMAT}
 * @param architecture {@link Architecture#id()}
 * @param classes class names, index = output position
 * @param inputShape channels, height, width
 * @param epochs epochs trained in total, across resumes
 * @param trainedSamples samples in the last training set
 * @param history mean training loss per epoch, across resumes
 * @param metrics the last evaluation ({@code accuracy}, {@code loss}, ...)
 * @param featureDims the feature width of a {@code simclr} network (absent: the default, or another architecture)
 */
public record ModelMetadata(String format, String architecture, List<String> classes, List<Integer> inputShape,
                            int epochs, int trainedSamples, List<Double> history, Map<String, Double> metrics,
                            @JsonInclude(JsonInclude.Include.NON_NULL) Integer featureDims) {

    public ModelMetadata(String format, String architecture, List<String> classes, List<Integer> inputShape,
                         int epochs, int trainedSamples, List<Double> history, Map<String, Double> metrics) {
        this(format, architecture, classes, inputShape, epochs, trainedSamples, history, metrics, null);
    }

    /** The width {@link Classifier} builds a {@code simclr} network with. */
    public int simclrDims() {
        return featureDims == null ? Architecture.DEFAULT_SIMCLR_DIMS : featureDims;
    }

    public static final String FORMAT = "winnow-djl-classifier/v1";
}
