package dev.winnow.cli;

import dev.winnow.sampling.SamplingException;
import dev.winnow.sampling.SelectRequest;
import dev.winnow.sampling.SelectionResult;
import dev.winnow.sampling.Sampler;
import dev.winnow.sampling.SelectionWriter;
import dev.winnow.sampling.WrittenSelection;
import dev.winnow.sampling.io.IdFiles;
import dev.winnow.sampling.strategy.Strategies;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code winnow select}: chooses the next samples to label from a predictions directory and
 * writes selection.jsonl plus a label request beside it. Exit 0 on success, 2 on a bad request
 * or bad input (one line on stderr naming the file and the problem; nothing is written).
 */
@Command(name = "select", mixinStandardHelpOptions = true,
        description = "Choose the samples to label next (active learning sampling).")
public class SelectCommand implements Callable<Integer> {
    static final int BAD_INPUT = 2;

    @Spec
    CommandSpec spec;

    @Option(names = "--predictions", paramLabel = "DIR",
            description = "Predictions directory (ids.txt, probs.npy, embeddings.npy, mc_probs.npy, "
                    + "detections.jsonl or KITTI labels/), or a directory of part-*/ shards.")
    Path predictions;

    @Option(names = "--ids", paramLabel = "FILE",
            description = "The pool as a file of ids, for model-free strategies (random) without predictions.")
    Path ids;

    @Option(names = "--strategy", required = true, paramLabel = "NAME",
            description = "One of: ${COMPLETION-CANDIDATES}.", completionCandidates = Names.class)
    String strategy;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Size size;

    static class Size {
        @Option(names = "--count", paramLabel = "N", description = "How many samples to add.")
        Integer count;

        @Option(names = "--total", paramLabel = "N",
                description = "Selection size after adding, counting the excluded ids.")
        Integer total;
    }

    @Option(names = "--exclude", paramLabel = "FILE",
            description = "Ids that must not be chosen, one a line (repeatable).")
    List<Path> exclude = new ArrayList<>();

    @Option(names = "--seed", defaultValue = "0", paramLabel = "N", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--param", paramLabel = "KEY=VALUE", description = "Strategy parameter (repeatable).")
    Map<String, String> params = new LinkedHashMap<>();

    @Option(names = "--round", paramLabel = "N", description = "Round number written to each line.")
    Integer round;

    @Option(names = "--tag", paramLabel = "TAG", description = "Tag written to each line.")
    String tag;

    @Option(names = "--classes", split = ",", paramLabel = "NAME",
            description = "Class names for pre-annotations (default: classes.txt in the predictions).")
    List<String> classes = new ArrayList<>();

    @Option(names = "--image-root", paramLabel = "PREFIX", defaultValue = "",
            description = "Prefix for image URLs in the label request.")
    String imageRoot;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "selection.jsonl to write.")
    Path out;

    static class Names implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return Strategies.names().iterator();
        }
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter stdout = spec.commandLine().getOut();
        long start = System.nanoTime();
        try {
            SelectRequest req = new SelectRequest(predictions, ids, strategy, params, size.count, size.total,
                    IdFiles.read(exclude), seed, round, tag, classes, imageRoot);
            SelectionResult r = new Sampler().select(req);
            WrittenSelection w = new SelectionWriter().write(r, out);
            stdout.printf("selected %d of %d samples (%d excluded) with %s in %.2f s: %s%n", w.count(),
                    r.poolSize(), r.excludedInPool(), strategy, (System.nanoTime() - start) / 1e9, w.selection());
            stdout.flush();
            return 0;
        } catch (SamplingException e) {
            err.println("winnow select: " + e.getMessage());
            err.flush();
            return BAD_INPUT;
        }
    }
}
