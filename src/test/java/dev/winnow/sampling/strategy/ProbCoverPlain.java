package dev.winnow.sampling.strategy;

import dev.winnow.sampling.io.Predictions;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.Map;

/**
 * ProbCover with every pair compared in Java (the version before the GEMM path), on a predictions
 * directory, as `winnow select --strategy probcover` would run it (no exclusions, the same seed and
 * default parameters): the reference SelectBench checks Winnow's picks against. Writes one
 * {@code {"id": ...}} line per pick, in order.
 *
 * <pre>
 * java -cp "target/test-classes:target/classes:target/quarkus-app/lib/main/*" \
 *     dev.winnow.sampling.strategy.ProbCoverPlain DIR COUNT OUT [SEED]
 * </pre>
 */
public final class ProbCoverPlain {
    private ProbCoverPlain() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        int count = Integer.parseInt(args[1]);
        Path out = Path.of(args[2]);
        long seed = args.length > 3 ? Long.parseLong(args[3]) : 0;
        Predictions predictions = Predictions.open(dir);
        Params params = new Params(Map.of(), "probcover");
        Pool pool = new Pool(predictions, new BitSet(), seed, params);
        Ranking picks = new ProbCover(params, ProbCover.Pairs.EXHAUSTIVE).select(pool, count);
        try (Writer w = Files.newBufferedWriter(out)) {
            for (int row : picks.rows()) {
                w.write("{\"id\": \"" + predictions.ids().get(row) + "\"}\n");
            }
        }
    }
}
