package dev.winnow.sampling;

import dev.winnow.sampling.io.IdList;
import dev.winnow.sampling.io.Matrix;
import dev.winnow.sampling.io.Predictions;
import dev.winnow.sampling.strategy.Pool;
import dev.winnow.sampling.strategy.Ranking;
import dev.winnow.sampling.strategy.Strategies;
import dev.winnow.sampling.strategy.Strategy;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * The sampling engine's entry point, for the `select` command and the worker's select step:
 *
 * <pre>{@code
 * SelectionResult r = new Sampler().select(request);          // reads local files only
 * WrittenSelection w = new SelectionWriter().write(r, out);   // selection.jsonl + label request
 * }</pre>
 *
 * Inputs are local paths (the worker stages s3:// objects first): arrays are memory-mapped,
 * so they must be files on disk. Every problem with the request or its files is a
 * {@link SamplingException} with a one-line message naming the file and the problem; nothing
 * is written by select itself. Semantics (DESIGN §5): count adds that many; total is the size
 * after adding, so count = total - (distinct excluded ids), and a total below the excluded count
 * is an error while a total equal to it selects nothing; excluded ids are never chosen; a count
 * above the candidates left is an error, never a partial selection; the same files, request and
 * seed give the same result.
 */
public final class Sampler {

    public SelectionResult select(SelectRequest req) {
        Strategy strategy = Strategies.create(req.strategy(), req.params());
        Predictions predictions = open(req);
        IdList ids = predictions.ids();
        BitSet excluded = ids.rowsOf(req.exclude());
        int k = howMany(req);
        int candidates = ids.size() - excluded.cardinality();
        if (k > candidates) {
            throw new SamplingException(ids.source() + ": cannot select " + k + ", only " + candidates
                    + " samples are left in the pool (" + ids.size() + " ids, " + excluded.cardinality()
                    + " excluded)");
        }
        Pool pool = new Pool(predictions, excluded, req.seed(), new dev.winnow.sampling.strategy.Params(
                req.params(), req.strategy()));
        Ranking ranking = k == 0 ? new Ranking(new int[0], new double[0]) : strategy.select(pool, k);
        check(ranking, k, excluded);
        return result(req, predictions, ids, excluded, ranking);
    }

    private static Predictions open(SelectRequest req) {
        if (req.predictions() != null) {
            return Predictions.open(req.predictions());
        }
        if (req.poolIds() == null) {
            throw new SamplingException("--predictions: required (or --ids for a model-free strategy)");
        }
        return Predictions.ofIds(req.poolIds());
    }

    private static int howMany(SelectRequest req) {
        if ((req.count() == null) == (req.total() == null)) {
            throw new SamplingException("--count/--total: give exactly one");
        }
        if (req.count() != null) {
            if (req.count() < 0) {
                throw new SamplingException("--count " + req.count() + ": must not be negative");
            }
            return req.count();
        }
        int already = req.exclude().size();
        if (req.total() < already) {
            throw new SamplingException("--total " + req.total() + ": smaller than the " + already
                    + " ids already excluded; the selection cannot shrink");
        }
        return req.total() - already;
    }

    // a strategy bug must not reach annotators as a short or overlapping selection
    private static void check(Ranking r, int k, BitSet excluded) {
        BitSet seen = new BitSet();
        if (r.size() != k) {
            throw new IllegalStateException("strategy returned " + r.size() + " rows, not " + k);
        }
        for (int row : r.rows()) {
            if (excluded.get(row) || seen.get(row)) {
                throw new IllegalStateException("strategy chose row " + row + " twice or excluded");
            }
            seen.set(row);
        }
    }

    private static SelectionResult result(SelectRequest req, Predictions p, IdList ids, BitSet excluded,
            Ranking ranking) {
        Matrix probs = p.hasProbs() ? p.probs(req.strategy()) : null;
        var detections = !p.hasProbs() && p.hasDetections() ? p.detections(req.strategy()) : null;
        List<Selected> out = new ArrayList<>(ranking.size());
        for (int i = 0; i < ranking.size(); i++) {
            int row = ranking.rows()[i];
            float[] pr = null;
            if (probs != null) {
                pr = new float[probs.cols()];
                probs.read(row, 1, pr, 0);
            }
            out.add(new Selected(ids.get(row), ranking.scores()[i], i + 1, pr,
                    detections == null ? null : detections.of(row)));
        }
        List<String> classes = req.classes().isEmpty() ? p.classes() : req.classes();
        return new SelectionResult(req.strategy(), out, ids.size(), excluded.cardinality(), req.exclude().size(),
                req.round(), req.tag(), classes, detections == null ? null : detections.format(), req.imageRoot());
    }
}
