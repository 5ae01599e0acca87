package dev.winnow.worker.model;

import java.util.List;
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
 */
public record ModelMetadata(String format, String architecture, List<String> classes, List<Integer> inputShape,
                            int epochs, int trainedSamples, List<Double> history, Map<String, Double> metrics) {

    public static final String FORMAT = "winnow-djl-classifier/v1";
}
