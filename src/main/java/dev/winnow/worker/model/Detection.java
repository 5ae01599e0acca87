package dev.winnow.worker.model;

/**
 * One detected object: class index, confidence, a probability per class (the heatmap's values at the
 * object's centre, normalised) and the box corners in pixels of the image it was found in.
 */
public record Detection(int label, double score, float[] probs, double x1, double y1, double x2, double y2) {

    /** The same detection with its box scaled, e.g. from the network's input to the stored image. */
    public Detection scaled(double sx, double sy) {
        return new Detection(label, score, probs, x1 * sx, y1 * sy, x2 * sx, y2 * sy);
    }
}
