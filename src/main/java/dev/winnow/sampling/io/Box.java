package dev.winnow.sampling.io;

/**
 * One detected object: class label, confidence, optional class probabilities, the box as
 * [x_min, y_min, x_max, y_max] in pixels (KITTI's convention), and its image's size when the
 * source gives it (0 when unknown).
 */
public record Box(String label, double score, float[] probs, double[] bbox, int imageWidth, int imageHeight) {
    Box sized(int w, int h) {
        return new Box(label, score, probs, bbox, w, h);
    }
}
