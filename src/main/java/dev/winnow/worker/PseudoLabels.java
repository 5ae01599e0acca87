package dev.winnow.worker;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.winnow.contract.Variables;
import dev.winnow.sampling.io.Matrix;
import dev.winnow.sampling.io.Predictions;
import dev.winnow.storage.ArtifactStore;
import dev.winnow.storage.Uris;
import dev.winnow.worker.data.ClassList;
import dev.winnow.worker.io.JsonLines;

/**
 * Pseudo-labels as in CEAL (Wang et al., 2016): the unlabeled samples a previous model predicted with a top-class
 * probability of at least the threshold, labeled with that class. The prepare step writes them as a JSONL of
 * {@code {"id", "label", "confidence"}} ({@code WINNOW_PSEUDO_LABELS}), so any trainer reads them without parsing
 * {@code .npy}; the built-in trainer adds them to its training set. They never enter the labels store.
 */
final class PseudoLabels {
    private static final int BLOCK = 4096;

    private PseudoLabels() {
    }

    /**
     * The confident predictions of {@code predictions} (a directory, sharded or not) for ids in {@code pool} that are
     * not in {@code excluded} (labeled or skipped by people: a person's word always wins), in row order.
     */
    static List<ObjectNode> derive(ArtifactStore store, URI predictions, double threshold, Set<String> pool,
                                   Set<String> excluded, ClassList classes) throws Exception {
        if (!(threshold > 0 && threshold <= 1)) {
            throw new StepException(Variables.PSEUDO_LABEL_THRESHOLD + " is " + threshold + "; it must be in (0, 1]");
        }
        Path work = Files.createTempDirectory("winnow-pseudo-");
        try {
            Predictions p = Predictions.open(Staging.directory(store, Uris.asDirectory(predictions), work,
                    Variables.PSEUDO_LABEL_SOURCE));
            var ids = p.ids();
            Matrix probs = p.probs("pseudo-labels");
            if (probs.cols() != classes.size()) {
                throw new StepException(Variables.PSEUDO_LABEL_SOURCE + ": " + probs.source() + " has " + probs.cols()
                        + " classes, " + Variables.CLASSES + " has " + classes.size());
            }
            List<ObjectNode> rows = new ArrayList<>();
            int c = probs.cols();
            float[] block = new float[BLOCK * c];
            for (long from = 0; from < probs.rows(); from += BLOCK) {
                int n = (int) Math.min(BLOCK, probs.rows() - from);
                probs.read(from, n, block, 0);
                for (int i = 0; i < n; i++) {
                    String id = ids.get((int) from + i);
                    if (!pool.contains(id) || excluded.contains(id)) {
                        continue;
                    }
                    int best = 0;
                    for (int k = 1; k < c; k++) {
                        if (block[i * c + k] > block[i * c + best]) {
                            best = k;
                        }
                    }
                    if (block[i * c + best] >= threshold) {
                        ObjectNode row = JsonLines.JSON.createObjectNode();
                        row.put("id", id);
                        row.put("label", classes.name(best));
                        row.put("confidence", Math.round(block[i * c + best] * 1e6) / 1e6);
                        rows.add(row);
                    }
                }
            }
            return rows;
        } finally {
            try (var files = Files.walk(work)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    /** The pseudo-labels a trainer reads: id to class index, in file order; unknown classes are bad input. */
    static Map<String, Integer> read(ArtifactStore store, URI uri, ClassList classes) {
        Map<String, Integer> labels = new LinkedHashMap<>();
        for (ObjectNode row : JsonLines.read(store, uri)) {
            String id = row.path("id").asText("");
            if (id.isEmpty()) {
                throw new StepException(uri + ": a line without an id: " + row);
            }
            labels.put(id, classes.require(row.path("label").asText(""), uri + " id " + id));
        }
        return labels;
    }
}
