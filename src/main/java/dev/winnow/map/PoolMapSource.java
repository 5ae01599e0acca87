package dev.winnow.map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.winnow.contract.ArtifactLayout;
import dev.winnow.sampling.io.Matrix;
import dev.winnow.sampling.io.NpyHeader;
import dev.winnow.storage.ArtifactStore;
import dev.winnow.storage.StoredObject;
import dev.winnow.storage.Uris;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads what the map shows from a Dataset's artifacts: the embed step's {@code embeddings.npy} and {@code ids.txt},
 * and every {@code rounds/<round>/selection.jsonl}, whose lines say which round picked each id (a selection
 * without round numbers is named after its directory). Works on {@code file://} and {@code s3://} alike.
 */
public final class PoolMapSource {
    private static final ObjectMapper JSON = new ObjectMapper();

    private PoolMapSource() {
    }

    public static PoolMap.Points read(ArtifactStore store, URI artifacts, String dataset) {
        URI root = Uris.asDirectory(artifacts);
        URI dir = Uris.resolve(root, ArtifactLayout.RELATIVE.embeddings(dataset));
        URI idsUri = Uris.resolve(dir, "ids.txt");
        if (!store.exists(idsUri)) {
            throw new IllegalArgumentException("no embeddings at " + dir + ": give Dataset '" + dataset
                    + "' a spec.embedder (winnow demo --embed) and let its embed step finish");
        }
        List<String> ids = store.readString(idsUri).lines().filter(l -> !l.isBlank()).toList();
        Path npy = store.stage(Uris.resolve(dir, "embeddings.npy"));
        Matrix matrix = NpyHeader.read(npy, npy.toString()).matrix();
        if (matrix.rows() != ids.size()) {
            throw new IllegalArgumentException(dir + ": " + matrix.rows() + " embeddings but " + ids.size() + " ids");
        }
        float[] rows = new float[Math.multiplyExact(ids.size(), matrix.cols())];
        matrix.read(0, ids.size(), rows, 0);
        double[] xy = Pca.project(rows, ids.size(), matrix.cols());

        Map<String, Integer> rowOf = new HashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            rowOf.put(ids.get(i), i);
        }
        int[] group = new int[ids.size()];
        java.util.Arrays.fill(group, -1);
        TreeMap<Long, List<String>> picks = picks(store, root);
        List<String> names = new ArrayList<>();
        for (var round : picks.entrySet()) {
            int g = names.size();
            names.add(round.getValue().get(0));
            for (String id : round.getValue().subList(1, round.getValue().size())) {
                Integer row = rowOf.get(id);
                if (row != null && group[row] < 0) {
                    group[row] = g;
                }
            }
        }
        return new PoolMap.Points(xy, group, names, "Dataset " + dataset + ": the pool's embeddings (PCA), by the round that picked each sample");
    }

    /** Round order: numbered rounds by number, then the others by directory; each list is its name, then its ids. */
    private static TreeMap<Long, List<String>> picks(ArtifactStore store, URI root) {
        URI rounds = Uris.resolve(root, "rounds/");
        TreeMap<Long, List<String>> byRound = new TreeMap<>();
        long unnumbered = Long.MAX_VALUE / 2;
        List<StoredObject> files = new ArrayList<>(store.list(rounds).stream()
                .filter(o -> o.uri().getPath().endsWith("/selection.jsonl")).toList());
        files.sort(java.util.Comparator.comparing(o -> o.uri().toString()));
        for (StoredObject file : files) {
            String dirName = Uris.fileName(Uris.parent(file.uri()));
            for (String line : store.readString(file.uri()).lines().filter(l -> !l.isBlank()).toList()) {
                JsonNode row;
                try {
                    row = JSON.readTree(line);
                } catch (IOException e) {
                    throw new UncheckedIOException(file.uri() + ": not JSON lines", e);
                }
                long key = row.hasNonNull("round") ? row.get("round").asLong() : unnumbered;
                String name = row.hasNonNull("round") ? "round " + key : dirName;
                byRound.computeIfAbsent(key, k -> new ArrayList<>(List.of(name))).add(row.path("id").asText());
            }
            unnumbered++;
        }
        return byRound;
    }
}
