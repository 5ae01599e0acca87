package dev.winnow.worker;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.HexFormat;
import java.security.MessageDigest;

import com.fasterxml.jackson.databind.JsonNode;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.jboss.logging.Logger;

import dev.winnow.contract.ArtifactLayout;
import dev.winnow.contract.Results;
import dev.winnow.contract.StepName;
import dev.winnow.contract.Variables;
import dev.winnow.storage.ArtifactStore;
import dev.winnow.storage.Uris;
import dev.winnow.worker.data.ImageSource;
import dev.winnow.worker.data.Pixels;
import dev.winnow.worker.io.IdList;
import dev.winnow.worker.io.JsonLines;
import dev.winnow.worker.io.NpyWriter;
import dev.winnow.worker.model.Backbone;
import dev.winnow.worker.model.SimClr;

/**
 * {@code worker embed}: embeddings of the whole pool before any label. Trains a SimCLR encoder ({@link SimClr})
 * on a seeded subsample of the pool ({@code WINNOW_EMBED_SAMPLE_SIZE}, default {@value #DEFAULT_SAMPLE_SIZE}),
 * then embeds every id of the manifest into {@code WINNOW_EMBEDDINGS_OUT}: {@code embeddings.npy} [N, D] and
 * {@code ids.txt}, in manifest order, {@code ids.txt} last as the mark of completeness. The same seed and inputs
 * give the same embeddings (up to floating-point order on a GPU), so {@value #RECORD} beside them records the
 * inputs, and a step run again on the same inputs (a retry, a reindex that found the same pool) keeps them.
 */
public final class EmbedStep implements Step {
    static final int DEFAULT_EPOCHS = 10;
    static final int DEFAULT_SAMPLE_SIZE = 5_000;
    static final int DEFAULT_DIMS = 64;
    static final int DEFAULT_BATCH = 256;
    static final double DEFAULT_LEARNING_RATE = 1e-3;
    static final float TEMPERATURE = 0.5f;
    private static final int EMBED_BATCH = 512;
    /** Beside the embeddings: the inputs they were made from and the step's result, so a rerun can keep them. */
    static final String RECORD = "embedder.json";
    static final String REUSED = "reused";
    /** Changes whenever the encoder or its training changes, so older embeddings are not reused. */
    static final String ENCODER = "simclr-16-32-64-v1";
    private static final Logger LOG = Logger.getLogger(EmbedStep.class);

    @Override
    public StepName name() {
        return StepName.EMBED;
    }

    @Override
    public String description() {
        return "Train a self-supervised encoder (SimCLR, DJL) on the pool, write embeddings of every sample.";
    }

    @Override
    public ObjectNode run(StepEnvironment env, ArtifactStore store) throws Exception {
        long started = System.nanoTime();
        DatasetConfig dataset = DatasetConfig.from(env);
        int epochs = env.intValue(Variables.EPOCHS, DEFAULT_EPOCHS);
        int sampleSize = env.intValue(Variables.EMBED_SAMPLE_SIZE, DEFAULT_SAMPLE_SIZE);
        int dims = env.intValue(Variables.EMBED_DIMS, DEFAULT_DIMS);
        int batch = env.intValue(Variables.BATCH_SIZE, DEFAULT_BATCH);
        double learningRate = env.doubleValue(Variables.LEARNING_RATE, DEFAULT_LEARNING_RATE);
        long seed = env.longValue(Variables.SEED, Variables.DEFAULT_SEED);
        if (epochs < 1 || sampleSize < 2 || dims < 1 || batch < 2 || learningRate <= 0) {
            throw new StepException("need epochs >= 1, sample size >= 2, dims >= 1, batch size >= 2 and a positive"
                    + " learning rate; got " + epochs + ", " + sampleSize + ", " + dims + ", " + batch + ", " + learningRate);
        }
        URI out = env.optionalUri(Variables.EMBEDDINGS_OUT).map(Uris::asDirectory)
                .orElseGet(() -> env.artifact(ArtifactLayout.RELATIVE.embeddings(env.require(Variables.DATASET))));

        URI manifest = IndexStep.manifestUri(env);
        ObjectNode inputs = inputs(env, store, manifest, epochs, sampleSize, dims, batch, learningRate, seed);
        Optional<ObjectNode> earlier = earlier(store, out, inputs);
        if (earlier.isPresent()) {
            // the same inputs and seed give the same embeddings: a retried or repeated step keeps them
            LOG.infof("embeddings for these inputs are already at %s", out);
            return earlier.get().put(REUSED, true);
        }
        List<String> pool = JsonLines.read(store, manifest).stream().map(row -> row.path("id").asText()).toList();
        if (pool.size() < 2) {
            throw new StepException("the pool holds " + pool.size() + " samples; contrastive training needs at least 2");
        }
        ImageSource source = dataset.openSource(store);
        List<String> sample = subsample(pool, sampleSize, seed);
        LOG.infof("training a SimCLR encoder (%d dims) on %d of %d images for %d epochs", dims, sample.size(),
                pool.size(), epochs);
        Path work = Files.createTempDirectory("winnow-embed-");
        try (SimClr encoder = new SimClr(source.shape(), dims, seed)) {
            List<Double> losses;
            try {
                losses = encoder.fit(Pixels.load(source, sample), sample.size(),
                        new SimClr.Options(epochs, batch, (float) learningRate, TEMPERATURE, seed));
            } catch (IllegalStateException e) {
                throw new StepException(e.getMessage());
            }
            double trainSeconds = (System.nanoTime() - started) / 1e9;
            // the encoder itself too: a classifier can start from it (trainer.backbone.fromEmbedder)
            URI encoderDir = env.artifact(ArtifactLayout.RELATIVE.encoder(env.require(Variables.DATASET)));
            Backbone.save(store, encoderDir, encoder, source.shape());
            Path npy = work.resolve("embeddings.npy");
            embedAll(encoder, source, pool, dims, npy);
            store.upload(npy, Uris.resolve(out, "embeddings.npy"));
            store.delete(Uris.resolve(out, RECORD)); // a record never describes other embeddings than these
            IdList.write(store, Uris.resolve(out, "ids.txt"), pool);
            double seconds = (System.nanoTime() - started) / 1e9;
            LOG.infof("embedded %d images in %.1f s (training %.1f s)", pool.size(), seconds, trainSeconds);

            ObjectNode result = StepResult.object();
            result.put(Results.EMBEDDINGS, out.toString());
            result.put(Results.ENCODER, encoderDir.toString());
            result.put(Results.COUNT, pool.size());
            result.put(Results.DIMS, dims);
            result.put(Results.EPOCHS, epochs);
            result.put(Results.TRAINED_ON, sample.size());
            result.put(Results.FIRST_LOSS, round(losses.get(0)));
            result.put(Results.LOSS, round(losses.get(losses.size() - 1)));
            result.put(Results.SECONDS, round(seconds));
            result.put("device", encoder.device());
            ObjectNode record = StepResult.object();
            record.set("inputs", inputs);
            record.set("result", result);
            store.writeString(Uris.resolve(out, RECORD), StepResult.JSON.writeValueAsString(record));
            return result;
        } finally {
            try (var files = Files.walk(work)) {
                for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** What the embeddings depend on: the pool (its manifest's digest), the images and every setting. */
    private static ObjectNode inputs(StepEnvironment env, ArtifactStore store, URI manifest, int epochs, int sampleSize,
                                     int dims, int batch, double learningRate, long seed) throws Exception {
        ObjectNode inputs = StepResult.object();
        inputs.put("encoder", ENCODER);
        inputs.put("manifestSha256", HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(store.readAllBytes(manifest))));
        inputs.put("source", env.require(Variables.DATASET_URI));
        inputs.put("format", env.require(Variables.DATASET_FORMAT));
        inputs.put("imageSize", env.get(Variables.IMAGE_SIZE, ""));
        inputs.put("epochs", epochs);
        inputs.put("sampleSize", sampleSize);
        inputs.put("dims", dims);
        inputs.put("batch", batch);
        inputs.put("learningRate", learningRate);
        inputs.put("seed", seed);
        // as it reads back from the record (a long seed reads back as an int node, and those differ)
        return (ObjectNode) StepResult.JSON.readTree(StepResult.JSON.writeValueAsString(inputs));
    }

    /** The result recorded beside complete embeddings made from the same inputs, if there are such. */
    private static Optional<ObjectNode> earlier(ArtifactStore store, URI out, ObjectNode inputs) {
        URI record = Uris.resolve(out, RECORD);
        if (!store.exists(record) || !store.exists(Uris.resolve(out, "ids.txt"))) {
            return Optional.empty();
        }
        try {
            JsonNode json = StepResult.JSON.readTree(store.readString(record));
            // embeddings from before the encoder was kept are made again, with it
            return json.path("inputs").equals(inputs) && json.path("result").isObject()
                    && json.path("result").hasNonNull(Results.ENCODER)
                    && store.exists(Uris.resolve(URI.create(json.path("result").get(Results.ENCODER).asText()), Backbone.METADATA))
                    ? Optional.of((ObjectNode) json.get("result")) : Optional.empty();
        } catch (java.io.IOException e) {
            return Optional.empty(); // unreadable: embed again
        }
    }

    /** The whole pool when it is no larger than {@code size}, else a seeded random subset in pool order. */
    static List<String> subsample(List<String> pool, int size, long seed) {
        if (pool.size() <= size) {
            return pool;
        }
        List<Integer> rows = new ArrayList<>(pool.size());
        for (int i = 0; i < pool.size(); i++) {
            rows.add(i);
        }
        Collections.shuffle(rows, new Random(seed));
        List<Integer> chosen = new ArrayList<>(rows.subList(0, size));
        Collections.sort(chosen);
        return chosen.stream().map(pool::get).toList();
    }

    private static void embedAll(SimClr encoder, ImageSource source, List<String> ids, int dims, Path npy) throws Exception {
        int size = source.shape().size();
        try (NpyWriter writer = new NpyWriter(npy, ids.size(), dims)) {
            for (int from = 0; from < ids.size(); from += EMBED_BATCH) {
                int b = Math.min(EMBED_BATCH, ids.size() - from);
                float[] pixels = new float[b * size];
                for (int i = 0; i < b; i++) {
                    source.read(ids.get(from + i), pixels, i * size);
                }
                writer.write(encoder.embed(pixels, b));
            }
        }
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
