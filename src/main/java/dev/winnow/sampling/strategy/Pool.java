package dev.winnow.sampling.strategy;

import dev.winnow.sampling.io.Detections;
import dev.winnow.sampling.io.IdList;
import dev.winnow.sampling.io.Matrix;
import dev.winnow.sampling.io.Predictions;
import java.util.BitSet;
import java.util.List;

/**
 * What a strategy chooses from: the predictions, which rows are excluded, the seed and the
 * parameters. Inputs are opened on first use, so a strategy only pays for what it reads and a
 * missing input is reported with the strategy's name.
 */
public final class Pool {
    private final Predictions predictions;
    private final BitSet excluded;
    private final long seed;
    private final Params params;
    private Matrix probs;
    private Matrix embeddings;
    private List<Matrix> mc;

    public Pool(Predictions predictions, BitSet excluded, long seed, Params params) {
        this.predictions = predictions;
        this.excluded = excluded;
        this.seed = seed;
        this.params = params;
    }

    public IdList ids() {
        return predictions.ids();
    }

    public int size() {
        return ids().size();
    }

    /** Rows that may not be chosen (already labeled or already selected). */
    public BitSet excluded() {
        return excluded;
    }

    public int candidates() {
        return size() - excluded.cardinality();
    }

    public long seed() {
        return seed;
    }

    public TieBreak tieBreak() {
        return new TieBreak(seed);
    }

    public Params params() {
        return params;
    }

    public String strategy() {
        return params.strategy();
    }

    public boolean hasProbs() {
        return predictions.hasProbs();
    }

    public boolean hasEmbeddings() {
        return predictions.hasEmbeddings();
    }

    public boolean hasDetections() {
        return predictions.hasDetections();
    }

    public Matrix probs() {
        if (probs == null) {
            probs = predictions.probs(strategy());
        }
        return probs;
    }

    public Matrix embeddings() {
        if (embeddings == null) {
            embeddings = predictions.embeddings(strategy());
            Scan.checkFinite(embeddings);
        }
        return embeddings;
    }

    public List<Matrix> mcProbs() {
        if (mc == null) {
            mc = predictions.mcProbs(strategy());
        }
        return mc;
    }

    public Detections detections() {
        return predictions.detections(strategy());
    }
}
