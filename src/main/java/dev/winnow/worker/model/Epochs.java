package dev.winnow.worker.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.jboss.logging.Logger;

/**
 * The epoch loop the reference networks share: the samples shuffled each epoch, cut into mini-batches
 * (a last batch of one is skipped, since batch norm cannot train on it; the sample comes round again),
 * and the mean training loss of each epoch.
 */
final class Epochs {

    private static final Logger LOG = Logger.getLogger(Epochs.class);

    /** Trains on the samples at {@code rows} (indices into the training set); returns the batch's mean loss. */
    interface Batch {
        double train(int[] rows);
    }

    private Epochs() {
    }

    static List<Double> run(int n, int epochs, int batchSize, Random random, Batch batch) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        List<Double> losses = new ArrayList<>();
        for (int epoch = 0; epoch < epochs; epoch++) {
            shuffle(order, random);
            double total = 0;
            int seen = 0;
            for (int from = 0; from < n; from += batchSize) {
                int b = Math.min(batchSize, n - from);
                if (b == 1 && n > 1) {
                    continue;
                }
                int[] rows = java.util.Arrays.copyOfRange(order, from, from + b);
                total += batch.train(rows) * b;
                seen += b;
            }
            losses.add(total / Math.max(1, seen));
            LOG.infof("epoch %d/%d: loss %.4f", epoch + 1, epochs, total / Math.max(1, seen));
        }
        return losses;
    }

    private static void shuffle(int[] order, Random random) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
    }
}
