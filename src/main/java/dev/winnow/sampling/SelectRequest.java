package dev.winnow.sampling;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One selection to make.
 *
 * @param predictions a predictions directory (DESIGN §4), or null when {@code poolIds} names
 *                    the pool for a model-free strategy such as random
 * @param poolIds     a file of pool ids, one a line, used only when predictions is null
 * @param strategy    a name from {@link dev.winnow.sampling.strategy.Strategies#names()}
 * @param params      the strategy's parameters (--param KEY=VALUE)
 * @param count       how many to add; exactly one of count and total is set
 * @param total       the selection size after adding, counting every excluded id
 * @param exclude     ids that may never be chosen (already labeled or selected)
 * @param seed        seeds every random choice and tie-break
 * @param round       written to each selection line when not null
 * @param tag         written to each selection line when not null
 * @param classes     class names for pre-annotations; empty to use predictions/classes.txt
 * @param imageRoot   prefix for the image URL in the label request ("" for the bare id)
 */
public record SelectRequest(Path predictions, Path poolIds, String strategy, Map<String, String> params,
        Integer count, Integer total, Set<String> exclude, long seed, Integer round, String tag,
        List<String> classes, String imageRoot) {

    public SelectRequest {
        params = params == null ? Map.of() : Map.copyOf(params);
        exclude = exclude == null ? Set.of() : Set.copyOf(exclude);
        classes = classes == null ? List.of() : List.copyOf(classes);
        imageRoot = imageRoot == null ? "" : imageRoot;
    }

    /** The common case: a predictions directory, a strategy, a count. */
    public static SelectRequest count(Path predictions, String strategy, int count) {
        return new SelectRequest(predictions, null, strategy, Map.of(), count, null, Set.of(), 0, null, null,
                List.of(), "");
    }

    public SelectRequest withExclude(Set<String> ids) {
        return new SelectRequest(predictions, poolIds, strategy, params, count, total, ids, seed, round, tag,
                classes, imageRoot);
    }

    public SelectRequest withSeed(long s) {
        return new SelectRequest(predictions, poolIds, strategy, params, count, total, exclude, s, round, tag,
                classes, imageRoot);
    }

    public SelectRequest withParams(Map<String, String> p) {
        return new SelectRequest(predictions, poolIds, strategy, p, count, total, exclude, seed, round, tag,
                classes, imageRoot);
    }

    public SelectRequest withTotal(int t) {
        return new SelectRequest(predictions, poolIds, strategy, params, null, t, exclude, seed, round, tag,
                classes, imageRoot);
    }
}
