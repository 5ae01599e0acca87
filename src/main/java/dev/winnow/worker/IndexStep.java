package dev.winnow.worker;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.jboss.logging.Logger;

import dev.winnow.contract.ArtifactLayout;
import dev.winnow.contract.Results;
import dev.winnow.contract.StepName;
import dev.winnow.contract.Variables;
import dev.winnow.storage.ArtifactStore;
import dev.winnow.storage.StoredObject;
import dev.winnow.storage.Uris;
import dev.winnow.worker.data.ImageSource;
import dev.winnow.worker.data.LabelSet;
import dev.winnow.worker.io.JsonLines;

/**
 * {@code worker index}: reads the source and the labels, writes the pool's manifest
 * ({@code {"id", "uri"?}} lines; for Idx only the train split, the test split being held out) and
 * reports samples, labeled, the class histogram (written to {@code class-histogram.json} beside the
 * manifest, with URI and sha256 in the message) and the tags found under {@code <artifacts>/tags/}.
 */
public final class IndexStep implements Step {

    /** Tags listed in the result, newest first; the termination message must stay under 4 KiB. */
    static final int MAX_TAGS = 50;
    private static final int MESSAGE_BUDGET = 3800;
    private static final Logger LOG = Logger.getLogger(IndexStep.class);

    @Override
    public StepName name() {
        return StepName.INDEX;
    }

    @Override
    public String description() {
        return "Read the source and labels, write the manifest, report counts and tags.";
    }

    @Override
    public ObjectNode run(StepEnvironment env, ArtifactStore store) {
        DatasetConfig dataset = DatasetConfig.from(env);
        ImageSource source = dataset.openSource(store);
        LabelSet labels = dataset.readLabels(store);
        List<String> pool = source.poolIds();
        URI manifest = manifestUri(env);

        List<ObjectNode> rows = pool.stream().map(id -> {
            ObjectNode row = JsonLines.JSON.createObjectNode().put("id", id);
            source.uriOf(id).ifPresent(uri -> row.put("uri", uri.toString()));
            return row;
        }).toList();
        JsonLines.write(store, manifest, rows);

        Set<String> poolSet = new HashSet<>(pool);
        long labeled = labels.ids().stream().filter(poolSet::contains).count();
        long outside = labels.size() - labeled;
        if (outside > 0) {
            LOG.warnf("%d labeled ids are not in the pool (held out, or not in the dataset); they are ignored", outside);
        }
        Map<String, Integer> histogram = labels.histogram(dataset.classes(), poolSet);

        ObjectNode result = StepResult.object();
        result.put(Results.SAMPLES, pool.size());
        result.put(Results.LABELED, labeled);
        if (!source.heldOutIds().isEmpty()) {
            result.put("heldOut", source.heldOutIds().size());
        }
        result.put(Results.MANIFEST, manifest.toString());
        addHistogram(env, store, result, histogram);
        addTags(env, store, result);
        LOG.infof("indexed %d samples, %d labeled, manifest %s", pool.size(), labeled, manifest);
        return result;
    }

    /**
     * The histogram has one entry per class, so with many classes it would not fit the 4 KiB message:
     * it is written beside the manifest and the message carries its URI and sha256, plus the
     * histogram itself only while that keeps the message under half its budget (never a part of it).
     */
    private static void addHistogram(StepEnvironment env, ArtifactStore store, ObjectNode result, Map<String, Integer> histogram) {
        ObjectNode counts = JsonLines.JSON.valueToTree(histogram);
        byte[] bytes = counts.toString().getBytes(StandardCharsets.UTF_8);
        URI uri = histogramUri(env);
        store.write(uri, out -> out.write(bytes));
        result.put(Results.CLASS_HISTOGRAM_URI, uri.toString());
        result.put(Results.CLASS_HISTOGRAM_SHA256, sha256(bytes));
        result.set(Results.CLASS_HISTOGRAM, counts);
        if (result.toString().getBytes(StandardCharsets.UTF_8).length > MESSAGE_BUDGET / 2) {
            result.remove(Results.CLASS_HISTOGRAM);
        }
    }

    static URI histogramUri(StepEnvironment env) {
        return env.optional(Variables.ARTIFACTS_URI).isPresent()
                ? env.artifact(ArtifactLayout.RELATIVE.classHistogram(env.require(Variables.DATASET)))
                : Uris.resolve(Uris.parent(manifestUri(env)), "class-histogram.json");
    }

    static URI manifestUri(StepEnvironment env) {
        return env.optionalUri(Variables.MANIFEST).orElseGet(() ->
                env.artifact(ArtifactLayout.RELATIVE.manifest(env.require(Variables.DATASET))));
    }

    /** Newest tags first, as many as fit the message (at most 50); {@code tagsTotal} counts all. */
    private static void addTags(StepEnvironment env, ArtifactStore store, ObjectNode result) {
        ArrayNode tags = result.putArray(Results.TAGS);
        if (env.optional(Variables.ARTIFACTS_URI).isEmpty()) {
            return;
        }
        URI dir = env.artifact(ArtifactLayout.RELATIVE.tags());
        List<StoredObject> files = store.list(dir).stream()
                .filter(o -> o.name().endsWith(".txt") && Uris.parent(o.uri()).equals(dir))
                .sorted(Comparator.comparing(StoredObject::lastModified).reversed()
                        .thenComparing(StoredObject::name))
                .toList();
        result.put("tagsTotal", files.size());
        for (StoredObject file : files.subList(0, Math.min(MAX_TAGS, files.size()))) {
            byte[] bytes = store.readAllBytes(file.uri());
            String name = file.name().substring(0, file.name().length() - ".txt".length());
            ObjectNode tag = tags.addObject().put(Results.NAME, name)
                    .put(Results.COUNT, countIds(bytes)).put(Results.URI, file.uri().toString()).put(Results.SHA256, sha256(bytes));
            if (result.toString().getBytes(StandardCharsets.UTF_8).length > MESSAGE_BUDGET) {
                tags.remove(tags.size() - 1);
                break;
            }
        }
    }

    static long countIds(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).count();
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
