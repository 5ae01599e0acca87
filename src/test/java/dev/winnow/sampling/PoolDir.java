package dev.winnow.sampling;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Builds a predictions directory in a test and runs the sampler on it. */
public final class PoolDir {
    public final Path dir;

    public PoolDir(Path dir, int n) {
        this.dir = dir;
        Npy.ids(dir.resolve("ids.txt"), Npy.ids("s", n));
    }

    public PoolDir probs(float[][] p) {
        Npy.write(dir.resolve("probs.npy"), p);
        return this;
    }

    public PoolDir embeddings(float[][] e) {
        Npy.write(dir.resolve("embeddings.npy"), e);
        return this;
    }

    /** mc[t][i][c] */
    public PoolDir mc(float[][][] mc) {
        int t = mc.length;
        int n = mc[0].length;
        int c = mc[0][0].length;
        float[] flat = new float[t * n * c];
        for (int a = 0; a < t; a++) {
            for (int i = 0; i < n; i++) {
                System.arraycopy(mc[a][i], 0, flat, (a * n + i) * c, c);
            }
        }
        Npy.write(dir.resolve("mc_probs.npy"), "<f4", false, flat, t, n, c);
        return this;
    }

    public PoolDir file(String name, String text) {
        try {
            Files.writeString(dir.resolve(name), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    public SelectionResult select(String strategy, int count) {
        return select(strategy, count, Set.of(), Map.of(), 0);
    }

    public SelectionResult select(String strategy, int count, Set<String> exclude, Map<String, String> params,
            long seed) {
        return new Sampler().select(SelectRequest.count(dir, strategy, count).withExclude(exclude)
                .withParams(params).withSeed(seed));
    }

    public static List<String> ids(SelectionResult r) {
        return r.selected().stream().map(Selected::id).toList();
    }

    public static double[] scores(SelectionResult r) {
        return r.selected().stream().mapToDouble(Selected::score).toArray();
    }
}
