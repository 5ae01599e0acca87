package dev.winnow.worker;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.jboss.logging.Logger;

import dev.winnow.contract.Results;
import dev.winnow.contract.StepName;
import dev.winnow.contract.Task;
import dev.winnow.contract.Variables;
import dev.winnow.sampling.io.NpyHeader;
import dev.winnow.storage.ArtifactStore;
import dev.winnow.storage.Uris;
import dev.winnow.worker.data.ImageSource;
import dev.winnow.worker.io.IdList;
import dev.winnow.worker.io.NpyWriter;
import dev.winnow.worker.model.Checkpoint;
import dev.winnow.worker.model.Classifier;
import dev.winnow.worker.model.Detector;
import dev.winnow.worker.model.ModelMetadata;

/**
 * {@code worker infer}: predicts the ids of {@code WINNOW_PREDICT_IDS} with the checkpoint of
 * {@code WINNOW_CHECKPOINT} and writes the predictions directory of DESIGN §4: {@code probs.npy}
 * [N, C], {@code embeddings.npy} [N, D] (penultimate layer), {@code mc_probs.npy} [T, N, C]
 * (dropout active in the head, features computed once) and {@code ids.txt}, in row order.
 * {@code ids.txt} is published last: when it is there, the directory is complete. On an
 * ObjectDetection dataset it runs the reference detector instead ({@link DetectorOutputs}).
 *
 * <p>With {@code WINNOW_SHARDS=S} (an Indexed Job), completion index i predicts the i-th of S
 * contiguous ranges of the id list and writes under {@code part-<i>/}, so the parts cover the ids
 * exactly once and concatenating parts 0..S-1 gives the id order.
 */
public final class InferStep implements Step {

    private static final int BATCH = 256;
    private static final Logger LOG = Logger.getLogger(InferStep.class);

    @Override
    public StepName name() {
        return StepName.INFER;
    }

    @Override
    public String description() {
        return "Predict probabilities, embeddings and MC-dropout samples for a shard of ids.";
    }

    @Override
    public ObjectNode run(StepEnvironment env, ArtifactStore store) throws Exception {
        DatasetConfig dataset = DatasetConfig.from(env);
        URI checkpoint = env.uri(Variables.CHECKPOINT);
        InferOutputs outputs = InferOutputs.parse(env.list(Variables.OUTPUTS));
        int shards = env.intValue(Variables.SHARDS, 1);
        int shard = env.intValue(Variables.COMPLETION_INDEX, 0);
        if (shards < 1 || shard < 0 || shard >= shards) {
            throw new StepException("need 0 <= " + Variables.COMPLETION_INDEX + " < " + Variables.SHARDS
                    + ", got " + shard + " of " + shards);
        }
        URI out = env.directoryUri(Variables.PREDICTIONS_OUT);
        if (shards > 1) {
            out = Uris.resolve(out, "part-" + shard + "/");
        }

        List<String> all = IdList.read(store, env.uri(Variables.PREDICT_IDS));
        List<String> ids = all.subList(rangeStart(all.size(), shard, shards), rangeStart(all.size(), shard + 1, shards));
        ModelMetadata metadata = Checkpoint.metadata(store, checkpoint);
        if (!metadata.classes().equals(dataset.classes().names())) {
            throw new StepException("checkpoint classes " + metadata.classes() + " differ from "
                    + Variables.CLASSES + " " + dataset.classes().names());
        }
        ImageSource source = dataset.openSource(store);
        var shape = source.shape();
        if (!metadata.inputShape().equals(List.of(shape.channels(), shape.height(), shape.width()))) {
            throw new StepException("checkpoint input shape " + metadata.inputShape() + " differs from the dataset's");
        }

        LOG.infof("predicting %d of %d ids (shard %d of %d) into %s", ids.size(), all.size(), shard, shards, out);
        Path work = Files.createTempDirectory("winnow-infer-");
        long seed = env.longValue(Variables.SEED, Variables.DEFAULT_SEED);
        try {
            List<String> files;
            if (dataset.task() == Task.ObjectDetection) {
                try (Detector detector = Checkpoint.loadDetector(store, checkpoint, metadata, seed)) {
                    files = DetectorOutputs.write(detector, source, ids, outputs, work, metadata.classes());
                }
            } else {
                if (outputs.kitti()) {
                    throw new StepException(Variables.OUTPUTS + ": kitti is for detection datasets");
                }
                try (Classifier classifier = Checkpoint.load(store, checkpoint, metadata, seed)) {
                    files = predict(classifier, source, ids, outputs, work, metadata.classes().size());
                }
            }
            for (String file : files) {
                store.upload(work.resolve(file), Uris.resolve(out, file));
            }
            IdList.write(store, Uris.resolve(out, "ids.txt"), ids);

            ObjectNode result = StepResult.object();
            result.put("predictions", out.toString());
            result.put(Results.COUNT, ids.size());
            result.put("shard", shard);
            result.put("shards", shards);
            ArrayNode written = result.putArray("files");
            // a directory of per-image files (KITTI labels/) is one entry: the message has 4 KiB
            files.stream().map(f -> f.contains("/") ? f.substring(0, f.indexOf('/') + 1) : f).distinct()
                    .forEach(written::add);
            written.add("ids.txt");
            return result;
        } finally {
            deleteRecursively(work);
        }
    }

    /** Start of range {@code index} when {@code n} ids are cut into {@code shards} nearly equal ranges. */
    static int rangeStart(int n, int index, int shards) {
        return (int) ((long) n * index / shards);
    }

    /** Writes the requested arrays to {@code work}; returns their file names. */
    private static List<String> predict(Classifier classifier, ImageSource source, List<String> ids,
                                        InferOutputs outputs, Path work, int classes) throws IOException {
        int n = ids.size();
        int size = source.shape().size();
        int dim = classifier.predict(new float[size], 1, 0).embeddingSize();
        int t = outputs.mcSamples();
        List<String> files = new ArrayList<>();
        try (NpyWriter probs = outputs.probabilities() ? new NpyWriter(work.resolve("probs.npy"), n, classes) : null;
             NpyWriter embeddings = outputs.embeddings() ? new NpyWriter(work.resolve("embeddings.npy"), n, dim) : null) {
            // mc_probs is [T, N, C]: one file per sample t, concatenated after the last batch
            NpyWriter[] mc = new NpyWriter[t];
            try {
                for (int s = 0; s < t; s++) {
                    mc[s] = new NpyWriter(work.resolve("mc-" + s + ".npy"), n, classes);
                }
                for (int from = 0; from < n; from += BATCH) {
                    int b = Math.min(BATCH, n - from);
                    float[] pixels = new float[b * size];
                    for (int i = 0; i < b; i++) {
                        source.read(ids.get(from + i), pixels, i * size);
                    }
                    Classifier.Prediction p = classifier.predict(pixels, b, t);
                    if (probs != null) {
                        probs.write(p.probabilities());
                    }
                    if (embeddings != null) {
                        embeddings.write(p.embeddings());
                    }
                    for (int s = 0; s < t; s++) {
                        mc[s].write(p.mcProbabilities()[s]);
                    }
                    if ((from / BATCH) % 20 == 19) {
                        LOG.infof("%d / %d predicted", from + b, n);
                    }
                }
            } finally {
                for (NpyWriter writer : mc) {
                    if (writer != null) {
                        writer.close();
                    }
                }
            }
        }
        if (outputs.probabilities()) {
            files.add("probs.npy");
        }
        if (outputs.embeddings()) {
            files.add("embeddings.npy");
        }
        if (t > 0) {
            concatenateMc(work, t, n, classes);
            files.add("mc_probs.npy");
        }
        return files;
    }

    private static void concatenateMc(Path work, int t, int n, int classes) throws IOException {
        try (OutputStream out = Files.newOutputStream(work.resolve("mc_probs.npy"))) {
            out.write(NpyHeader.float32(t, n, classes));
            for (int s = 0; s < t; s++) {
                Path part = work.resolve("mc-" + s + ".npy");
                try (InputStream in = Files.newInputStream(part)) {
                    in.skipNBytes(NpyHeader.float32(n, classes).length);
                    in.transferTo(out);
                }
                Files.delete(part);
            }
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
