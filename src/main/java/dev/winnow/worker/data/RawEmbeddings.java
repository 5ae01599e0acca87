package dev.winnow.worker.data;

import dev.winnow.worker.io.NpyWriter;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Embeddings without a model, for a first selection by diversity or typicality (coreset,
 * cluster-balanced, typiclust, probcover): each image average-pooled to at most {@value #GRID} x {@value #GRID} per channel, so that
 * distances compare coarse layout rather than single pixels, and the vectors stay short.
 */
public final class RawEmbeddings {
    static final int GRID = 16;

    private RawEmbeddings() {
    }

    /** Writes embeddings.npy [ids, D] for the ids, in their order; returns D. */
    public static int write(ImageSource source, List<String> ids, Path npy) throws IOException {
        ImageShape shape = source.shape();
        int factor = Math.max(1, (Math.max(shape.height(), shape.width()) + GRID - 1) / GRID);
        int h = (shape.height() + factor - 1) / factor;
        int w = (shape.width() + factor - 1) / factor;
        int dims = shape.channels() * h * w;
        float[] image = new float[shape.size()];
        float[] pooled = new float[dims];
        int[] counts = new int[dims];
        try (NpyWriter out = new NpyWriter(npy, ids.size(), dims)) {
            for (String id : ids) {
                source.read(id, image, 0);
                java.util.Arrays.fill(pooled, 0f);
                java.util.Arrays.fill(counts, 0);
                for (int c = 0; c < shape.channels(); c++) {
                    for (int y = 0; y < shape.height(); y++) {
                        for (int x = 0; x < shape.width(); x++) {
                            int cell = (c * h + y / factor) * w + x / factor;
                            pooled[cell] += image[(c * shape.height() + y) * shape.width() + x];
                            counts[cell]++;
                        }
                    }
                }
                for (int i = 0; i < dims; i++) {
                    pooled[i] /= counts[i];
                }
                out.write(pooled);
            }
        }
        return dims;
    }
}
