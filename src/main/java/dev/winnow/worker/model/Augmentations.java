package dev.winnow.worker.model;

import java.util.Random;

import dev.winnow.worker.data.ImageShape;

/**
 * The random views contrastive learning compares: a random resized crop (a shift and zoom), a horizontal flip,
 * brightness and contrast jitter and Gaussian noise, on channel-major images in [0, 1]. Plain arrays, so the
 * views are the same for the same seed on any device. Two views of one image should embed close together;
 * these are the changes that must not move an image's embedding.
 */
public final class Augmentations {
    /** Smallest crop, as a share of the image's area (SimCLR uses 0.08 on ImageNet; small images need more). */
    static final double MIN_AREA = 0.35;
    static final double JITTER_PROBABILITY = 0.8;
    static final float MAX_BRIGHTNESS = 0.2f;
    static final float MAX_CONTRAST = 0.4f;
    static final float NOISE = 0.05f;

    private final ImageShape shape;

    public Augmentations(ImageShape shape) {
        this.shape = shape;
    }

    /** Writes a random view of {@code src[from, from + size)} into {@code dst[to, to + size)}. */
    public void view(float[] src, int from, float[] dst, int to, Random random) {
        int h = shape.height();
        int w = shape.width();
        // random resized crop: area share in [MIN_AREA, 1], aspect ratio in [3/4, 4/3], bilinear back to h x w
        double area = MIN_AREA + random.nextDouble() * (1 - MIN_AREA);
        double aspect = Math.exp(Math.log(0.75) + random.nextDouble() * (Math.log(4.0 / 3) - Math.log(0.75)));
        double cropW = Math.min(w, Math.sqrt(area * aspect) * w);
        double cropH = Math.min(h, Math.sqrt(area / aspect) * h);
        double x0 = random.nextDouble() * (w - cropW);
        double y0 = random.nextDouble() * (h - cropH);
        boolean flip = random.nextBoolean();
        boolean jitter = random.nextDouble() < JITTER_PROBABILITY;
        float contrast = jitter ? 1 + (2 * random.nextFloat() - 1) * MAX_CONTRAST : 1;
        float brightness = jitter ? (2 * random.nextFloat() - 1) * MAX_BRIGHTNESS : 0;
        for (int c = 0; c < shape.channels(); c++) {
            int plane = from + c * h * w;
            for (int y = 0; y < h; y++) {
                double sy = y0 + (y + 0.5) * cropH / h - 0.5;
                for (int x = 0; x < w; x++) {
                    int tx = flip ? w - 1 - x : x;
                    double sx = x0 + (tx + 0.5) * cropW / w - 0.5;
                    float v = bilinear(src, plane, h, w, sy, sx);
                    v = (v - 0.5f) * contrast + 0.5f + brightness + (float) random.nextGaussian() * NOISE;
                    dst[to + (c * h + y) * w + x] = v;
                }
            }
        }
    }

    private static float bilinear(float[] src, int plane, int h, int w, double y, double x) {
        y = Math.max(0, Math.min(h - 1, y));
        x = Math.max(0, Math.min(w - 1, x));
        int y1 = (int) y;
        int x1 = (int) x;
        int y2 = Math.min(h - 1, y1 + 1);
        int x2 = Math.min(w - 1, x1 + 1);
        double fy = y - y1;
        double fx = x - x1;
        double top = src[plane + y1 * w + x1] * (1 - fx) + src[plane + y1 * w + x2] * fx;
        double bottom = src[plane + y2 * w + x1] * (1 - fx) + src[plane + y2 * w + x2] * fx;
        return (float) (top * (1 - fy) + bottom * fy);
    }
}
