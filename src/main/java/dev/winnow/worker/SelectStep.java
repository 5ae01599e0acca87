package dev.winnow.worker;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.winnow.contract.ArtifactLayout;
import dev.winnow.contract.EmbeddingSpace;
import dev.winnow.contract.Input;
import dev.winnow.contract.Results;
import dev.winnow.contract.StepName;
import dev.winnow.contract.Strategy;
import dev.winnow.contract.Variables;
import dev.winnow.sampling.Sampler;
import dev.winnow.sampling.SamplingException;
import dev.winnow.sampling.SelectRequest;
import dev.winnow.sampling.SelectionResult;
import dev.winnow.sampling.SelectionWriter;
import dev.winnow.sampling.WrittenSelection;
import dev.winnow.storage.ArtifactStore;
import dev.winnow.storage.Uris;
import dev.winnow.worker.data.RawEmbeddings;
import dev.winnow.worker.io.IdList;
import dev.winnow.worker.io.JsonLines;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code worker select}: the select step of a SelectionRound. Stages the predictions next to the
 * pod (the sampling engine memory-maps local files), excludes labeled ids and the ids of earlier
 * tags, runs the strategy, and publishes {@code selection.jsonl} (with the label request beside it)
 * and the tag file {@code tags/<tag>.txt}; each line carries the round of {@code WINNOW_ROUND} when set
 * (a loop's rounds always set it). Without predictions (a first, model-free selection) the pool is
 * the manifest.
 */
public final class SelectStep implements Step {
    private static final Logger LOG = Logger.getLogger(SelectStep.class);

    @Override
    public StepName name() {
        return StepName.SELECT;
    }

    @Override
    public String description() {
        return "Pick the next samples to label from a run's predictions (or the pool), publish selection and tag.";
    }

    @Override
    public ObjectNode run(StepEnvironment env, ArtifactStore store) throws IOException {
        long started = System.nanoTime();
        DatasetConfig dataset = DatasetConfig.from(env);
        String tag = env.require(Variables.TAG);
        URI out = env.uri(Variables.SELECTION_OUT);
        Set<String> exclude = excluded(env, store, dataset);

        Path work = Files.createTempDirectory("winnow-select-");
        PoolManifest manifest = new PoolManifest(store, IndexStep.manifestUri(env));
        try {
            Optional<URI> predictions = env.optionalUri(Variables.PREDICTIONS);
            Path poolIds = null;
            Path staged = null;
            EmbeddingSpace space = null;
            if (predictions.isPresent()) {
                staged = Staging.directory(store, Uris.asDirectory(predictions.get()), work.resolve("predictions"), Variables.PREDICTIONS);
                space = EmbeddingSpace.Model;
            } else {
                Strategy strategy = modelFree(env.require(Variables.STRATEGY));
                Optional<URI> embeddings = env.optionalUri(Variables.EMBEDDINGS);
                if (strategy.inputs(dataset.task()).contains(Input.EMBEDDINGS) && embeddings.isPresent()) {
                    // the Dataset's self-supervised embeddings cover the whole pool, ids.txt in row order
                    staged = Staging.directory(store, Uris.asDirectory(embeddings.get()), work.resolve("embeddings"), Variables.PREDICTIONS);
                    space = EmbeddingSpace.SelfSupervised;
                    LOG.infof("no model yet: self-supervised embeddings from %s", embeddings.get());
                } else if (strategy.inputs(dataset.task()).contains(Input.EMBEDDINGS)) {
                    staged = pixelEmbeddings(dataset, store, manifest.ids(), work.resolve("pixels"));
                    space = EmbeddingSpace.Pixels;
                } else {
                    List<String> pool = manifest.ids();
                    poolIds = work.resolve("pool-ids.txt");
                    Files.write(poolIds, pool);
                }
            }
            SelectRequest request = new SelectRequest(staged, poolIds, env.require(Variables.STRATEGY), params(env),
                    env.optionalInt(Variables.COUNT).orElse(null), env.optionalInt(Variables.TOTAL).orElse(null), exclude,
                    env.longValue(Variables.SEED, 0), env.optionalInt(Variables.ROUND).orElse(null), tag,
                    env.list(Variables.CLASSES), "");
            SelectionResult result;
            try {
                result = new Sampler().select(request);
            } catch (SamplingException e) {
                throw new StepException(e.getMessage());
            }
            result = result.withImageUris(manifest.uris(result.selected().stream().map(s -> s.id()).collect(Collectors.toSet())));
            Path local = work.resolve("out").resolve("selection.jsonl");
            WrittenSelection written = new SelectionWriter().write(result, local,
                    env.optional(Variables.TRAINING_RUN).orElse("winnow-" + result.strategy()));
            publish(store, local.getParent(), Uris.parent(out), out);
            URI tagUri = env.artifact(ArtifactLayout.RELATIVE.tag(tag));
            IdList.write(store, tagUri, result.selected().stream().map(s -> s.id()).toList());
            double seconds = (System.nanoTime() - started) / 1e9;
            LOG.infof("selected %d of %d with %s in %.1f s", written.count(), result.poolSize(), result.strategy(), seconds);

            ObjectNode summary = StepResult.object();
            summary.put(Results.SELECTED, written.count());
            summary.put(Results.SELECTION, out.toString());
            summary.put(Results.SHA256, written.sha256());
            summary.put(Results.TAG, tag);
            summary.put(Results.TAG_URI, tagUri.toString());
            summary.put("strategy", result.strategy());
            if (space != null && Strategy.byId(env.require(Variables.STRATEGY)).map(st -> st.inputs(dataset.task())
                    .contains(Input.EMBEDDINGS)).orElse(false)) {
                summary.put(Results.EMBEDDING_SPACE, space.name());
            }
            summary.put("pool", result.poolSize());
            summary.put("excluded", result.excludedTotal());
            summary.put(Results.SECONDS, Math.round(seconds * 1000) / 1000.0);
            return summary;
        } finally {
            deleteTree(work);
        }
    }

    /**
     * The strategy of a selection without predictions, which must be one that picks before any model
     * (the operator refuses the others before the Job; a hand-run step may still ask).
     */
    private static Strategy modelFree(String id) {
        Strategy strategy = Strategy.byId(id).orElseThrow(() -> new StepException(Variables.STRATEGY + ": unknown strategy '" + id + "'"));
        if (!strategy.modelFree()) {
            throw new StepException(id + " needs a model's predictions: give the SelectionRound a trainingRunRef,"
                    + " or pick a model-free strategy (" + Strategy.modelFreeOnes().stream().map(Strategy::id)
                    .collect(Collectors.joining(", ")) + ")");
        }
        return strategy;
    }

    /** The pool's manifest ({@code {"id", "uri"?}} lines), read at most once per step. */
    private static final class PoolManifest {
        private final ArtifactStore store;
        private final URI uri;
        private List<ObjectNode> rows;

        PoolManifest(ArtifactStore store, URI uri) {
            this.store = store;
            this.uri = uri;
        }

        private List<ObjectNode> rows() {
            if (rows == null) {
                rows = JsonLines.read(store, uri);
            }
            return rows;
        }

        List<String> ids() {
            return rows().stream().map(row -> row.path("id").asText()).toList();
        }

        /**
         * The image URIs of these ids (ImageFolder and Manifest sources have one per sample; Idx has
         * none), so a labeling tool's task points at the image itself; none without a manifest.
         */
        Map<String, String> uris(Set<String> ids) {
            if (rows == null && !store.exists(uri)) {
                return Map.of();
            }
            Map<String, String> uris = new HashMap<>();
            for (ObjectNode row : rows()) {
                String id = row.path("id").asText();
                if (row.hasNonNull("uri") && ids.contains(id)) {
                    uris.put(id, row.path("uri").asText());
                }
            }
            return uris;
        }
    }

    /** Labeled ids (unless told not to) and every id of the tags named. */
    private static Set<String> excluded(StepEnvironment env, ArtifactStore store, DatasetConfig dataset) {
        Set<String> exclude = new LinkedHashSet<>();
        if (env.flag(Variables.EXCLUDE_ALL_LABELED, true)) {
            exclude.addAll(dataset.readLabels(store).ids());
        }
        for (String tag : env.list(Variables.EXCLUDE_TAGS)) {
            URI uri = env.artifact(ArtifactLayout.RELATIVE.tag(tag));
            if (!store.exists(uri)) {
                throw new StepException(Variables.EXCLUDE_TAGS + ": tag '" + tag + "' not found: no " + uri);
            }
            exclude.addAll(IdList.read(store, uri));
        }
        return exclude;
    }

    static Map<String, String> params(StepEnvironment env) {
        Map<String, String> params = new HashMap<>();
        Optional<String> json = env.optional(Variables.STRATEGY_PARAMS);
        if (json.isPresent()) {
            try {
                // a mapper only when needed: every CLI start builds the step list, and databind's set-up costs
                // about 0.1 s of start-up (284 classes)
                params.putAll(new ObjectMapper().readValue(json.get(), new TypeReference<Map<String, String>>() { }));
            } catch (IOException e) {
                throw new StepException(Variables.STRATEGY_PARAMS + " must be a JSON object of strings, got " + json.get());
            }
        }
        // the strategy's own params name it more precisely than the spec's typed field (a bench's variants set them)
        env.optional(Variables.DETECTION_AGGREGATION).ifPresent(a -> params.putIfAbsent("aggregation", a));
        return params;
    }

    /** A predictions directory holding only ids.txt and embeddings.npy of pooled pixels. */
    private static Path pixelEmbeddings(DatasetConfig dataset, ArtifactStore store, List<String> pool, Path dir) throws IOException {
        Files.createDirectories(dir);
        int dims = RawEmbeddings.write(dataset.openSource(store), pool, dir.resolve("embeddings.npy"));
        Files.write(dir.resolve("ids.txt"), pool);
        LOG.infof("no model yet: %d pooled-pixel embeddings of %d dimensions", pool.size(), dims);
        return dir;
    }

    /** The label request files go beside selection.jsonl; selection.jsonl last, as the mark of completeness. */
    private static void publish(ArtifactStore store, Path localDir, URI remoteDir, URI selection) throws IOException {
        try (var files = Files.walk(localDir)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                String relative = localDir.relativize(file).toString();
                if (!relative.equals("selection.jsonl")) {
                    store.upload(file, Uris.resolve(remoteDir, relative));
                }
            }
        }
        store.upload(localDir.resolve("selection.jsonl"), selection);
    }

    private static void deleteTree(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
