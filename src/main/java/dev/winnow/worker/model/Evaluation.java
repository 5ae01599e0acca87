package dev.winnow.worker.model;

import java.util.List;

import dev.winnow.worker.data.ImageSource;

/** Accuracy and mean cross-entropy of a classifier on labeled images, computed in batches. */
public record Evaluation(double accuracy, double loss, int samples) {

    private static final int BATCH = 256;

    public static Evaluation of(Classifier classifier, ImageSource source, List<String> ids, int[] truth) {
        int size = source.shape().size();
        int correct = 0;
        double loss = 0;
        for (int from = 0; from < ids.size(); from += BATCH) {
            int n = Math.min(BATCH, ids.size() - from);
            float[] pixels = new float[n * size];
            for (int i = 0; i < n; i++) {
                source.read(ids.get(from + i), pixels, i * size);
            }
            Classifier.Prediction p = classifier.predict(pixels, n, 0);
            int c = p.classes();
            for (int i = 0; i < n; i++) {
                int best = 0;
                for (int k = 1; k < c; k++) {
                    if (p.probabilities()[i * c + k] > p.probabilities()[i * c + best]) {
                        best = k;
                    }
                }
                int label = truth[from + i];
                if (best == label) {
                    correct++;
                }
                loss -= Math.log(Math.max(p.probabilities()[i * c + label], 1e-12));
            }
        }
        return new Evaluation(ids.isEmpty() ? 0 : (double) correct / ids.size(),
                ids.isEmpty() ? 0 : loss / ids.size(), ids.size());
    }
}
