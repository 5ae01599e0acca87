package dev.winnow.sampling.io;

import dev.winnow.sampling.SamplingException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A predictions directory (DESIGN §4): {@code ids.txt}, {@code probs.npy} [N, C],
 * {@code embeddings.npy} [N, D], {@code mc_probs.npy} [T, N, C], {@code detections.jsonl} or a
 * KITTI directory ({@code labels/} as TAO writes it, or the directory itself), and an optional
 * {@code classes.txt}. A directory of {@code part-<i>/} subdirectories (the shards of an
 * Indexed Job) reads as their concatenation in numeric part order. Each array is opened only
 * when a strategy asks for it, and its row count is checked against the ids then.
 */
public final class Predictions {
    private static final Pattern PART = Pattern.compile("part-(\\d+)");

    private final Path dir;
    private final List<Path> parts;
    private IdList ids;
    private Detections detections;

    private Predictions(Path dir, List<Path> parts) {
        this.dir = dir;
        this.parts = parts;
    }

    /** A pool given only as a file of ids (no predictions): enough for model-free strategies. */
    public static Predictions ofIds(Path idsFile) {
        Predictions p = new Predictions(idsFile.toAbsolutePath().getParent(), List.of());
        p.ids = IdList.read(List.of(idsFile), List.of(idsFile.toString()));
        return p;
    }

    public static Predictions open(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new SamplingException(dir + ": not a directory");
        }
        List<Path> parts;
        try (Stream<Path> s = Files.list(dir)) {
            parts = s.filter(p -> Files.isDirectory(p) && PART.matcher(p.getFileName().toString()).matches())
                    .sorted(Comparator.comparingLong(Predictions::partNumber)).toList();
        } catch (IOException e) {
            throw new SamplingException(dir + ": cannot list: " + e.getMessage(), e);
        }
        return new Predictions(dir, parts.isEmpty() ? List.of(dir) : parts);
    }

    private static long partNumber(Path p) {
        Matcher m = PART.matcher(p.getFileName().toString());
        m.matches();
        return Long.parseLong(m.group(1));
    }

    public Path dir() {
        return dir;
    }

    private String name(Path part, String file) {
        return part.resolve(file).toString();
    }

    private boolean has(String file) {
        return parts.stream().anyMatch(p -> Files.exists(p.resolve(file)));
    }

    private List<Path> all(String file, String strategy, String what) {
        if (!has(file)) {
            throw new SamplingException(dir.resolve(file) + ": not found; " + strategy + " needs " + what);
        }
        List<Path> files = new ArrayList<>();
        for (Path p : parts) {
            Path f = p.resolve(file);
            if (!Files.exists(f)) {
                throw new SamplingException(f + ": missing in this shard while other shards have " + file);
            }
            files.add(f);
        }
        return files;
    }

    /** The pool's ids; from ids.txt, else from the detections when there is no ids.txt. */
    public IdList ids() {
        if (ids == null) {
            if (!has("ids.txt") && hasDetections()) {
                ids = IdList.of(List.copyOf(detectionImages().keySet()), detectionSource());
            } else {
                List<Path> files = all("ids.txt", "every strategy", "the sample ids");
                ids = IdList.read(files, files.stream().map(Path::toString).toList());
            }
        }
        return ids;
    }

    public boolean hasProbs() {
        return has("probs.npy");
    }

    public boolean hasEmbeddings() {
        return has("embeddings.npy");
    }

    public Matrix probs(String strategy) {
        return matrix("probs.npy", strategy, "class probabilities");
    }

    public Matrix embeddings(String strategy) {
        return matrix("embeddings.npy", strategy, "embeddings");
    }

    private Matrix matrix(String file, String strategy, String what) {
        List<Path> files = all(file, strategy, what);
        List<Matrix> ms = new ArrayList<>();
        for (Path f : files) {
            ms.add(NpyHeader.read(f, f.toString()).matrix());
        }
        for (Matrix m : ms) {
            if (m.cols() != ms.get(0).cols()) {
                throw new SamplingException(m.source() + ": " + m.cols() + " columns, but "
                        + ms.get(0).source() + " has " + ms.get(0).cols());
            }
        }
        checkRows(ms, files);
        return ConcatMatrix.of(ms);
    }

    /** mc_probs.npy as T matrices of N x C, one per dropout sample. */
    public List<Matrix> mcProbs(String strategy) {
        List<Path> files = all("mc_probs.npy", strategy, "MC-dropout probabilities (mc_probs.npy [T, N, C])");
        List<NpyHeader> headers = files.stream().map(f -> NpyHeader.read(f, f.toString())).toList();
        NpyHeader first = headers.get(0);
        if (first.shape().length != 3) {
            throw new SamplingException(first.name() + ": expected 3 dimensions [T, N, C], got shape "
                    + first.shapeText());
        }
        for (NpyHeader h : headers) {
            if (h.shape().length != 3 || h.shape()[0] != first.shape()[0] || h.shape()[2] != first.shape()[2]) {
                throw new SamplingException(h.name() + ": shape " + h.shapeText() + " does not match "
                        + first.name() + " " + first.shapeText());
            }
        }
        int t = (int) first.shape()[0];
        List<Matrix> slices = new ArrayList<>();
        for (int i = 0; i < t; i++) {
            List<Matrix> ms = new ArrayList<>();
            for (NpyHeader h : headers) {
                ms.add(h.slice(i));
            }
            if (i == 0) {
                checkRows(ms, files);
            }
            slices.add(ConcatMatrix.of(ms));
        }
        if (slices.isEmpty()) {
            throw new SamplingException(first.name() + ": no MC samples (T = 0)");
        }
        return slices;
    }

    // rows must match ids part by part, or a shard's rows would be scored under another's ids
    private void checkRows(List<Matrix> ms, List<Path> files) {
        if (parts.size() == 1) {
            if (ms.get(0).rows() != ids().size()) {
                throw new SamplingException(ms.get(0).source() + ": " + ms.get(0).rows() + " rows, but "
                        + ids().source() + " has " + ids().size() + " ids");
            }
            return;
        }
        for (int i = 0; i < ms.size(); i++) {
            Path idFile = parts.get(i).resolve("ids.txt");
            long n = partIds(idFile);
            if (ms.get(i).rows() != n) {
                throw new SamplingException(ms.get(i).source() + ": " + ms.get(i).rows() + " rows, but "
                        + idFile + " has " + n + " ids");
            }
        }
    }

    private long partIds(Path idFile) {
        return IdList.read(List.of(idFile), List.of(idFile.toString())).size();
    }

    public List<String> classes() {
        if (parts.isEmpty()) {
            return List.of();
        }
        Path f = parts.get(0).resolve("classes.txt");
        if (!Files.exists(f)) {
            f = dir.resolve("classes.txt");
        }
        if (!Files.exists(f)) {
            return List.of();
        }
        try {
            return Files.readAllLines(f, StandardCharsets.UTF_8).stream().map(String::strip)
                    .filter(s -> !s.isEmpty()).toList();
        } catch (IOException e) {
            throw new SamplingException(f + ": cannot read: " + e.getMessage(), e);
        }
    }

    // ---- detections ----

    public boolean hasDetections() {
        return has("detections.jsonl") || kittiDir() != null;
    }

    private Path kittiDir() {
        if (parts.size() != 1) {
            return null;
        }
        Path labels = dir.resolve("labels");
        if (Files.isDirectory(labels)) {
            return labels;
        }
        try (Stream<Path> s = Files.list(dir)) {
            boolean txt = s.map(p -> p.getFileName().toString())
                    .anyMatch(n -> n.endsWith(".txt") && !n.equals("ids.txt") && !n.equals("classes.txt"));
            return txt && !has("probs.npy") && !has("embeddings.npy") ? dir : null;
        } catch (IOException e) {
            return null;
        }
    }

    private String detectionSource() {
        return has("detections.jsonl") ? dir.resolve("detections.jsonl").toString() : String.valueOf(kittiDir());
    }

    private Map<String, DetectionsJsonl.Image> images;

    private Map<String, DetectionsJsonl.Image> detectionImages() {
        if (images == null) {
            if (has("detections.jsonl")) {
                images = new java.util.LinkedHashMap<>();
                for (Path f : all("detections.jsonl", "detection", "detections")) {
                    for (var e : DetectionsJsonl.read(f, f.toString()).entrySet()) {
                        if (images.put(e.getKey(), e.getValue()) != null) {
                            throw new SamplingException(f + ": duplicate id '" + e.getKey() + "' across shards");
                        }
                    }
                }
            } else {
                Path k = kittiDir();
                images = KittiDir.read(k, k.toString());
            }
        }
        return images;
    }

    /** Boxes per pool row; images the detections do not mention have none. */
    public Detections detections(String strategy) {
        if (detections != null) {
            return detections;
        }
        if (!hasDetections()) {
            throw new SamplingException(dir.resolve("detections.jsonl") + ": not found (nor a KITTI labels/ directory); "
                    + strategy + " on detections needs them");
        }
        Map<String, DetectionsJsonl.Image> imgs = detectionImages();
        IdList pool = ids();
        Map<String, Integer> row = pool.index();
        List<List<Box>> boxes = new ArrayList<>(pool.size());
        for (int i = 0; i < pool.size(); i++) {
            boxes.add(List.of());
        }
        for (var e : imgs.entrySet()) {
            Integer r = row.get(e.getKey());
            if (r == null) {
                throw new SamplingException(detectionSource() + ": id '" + e.getKey() + "' is not in "
                        + pool.source());
            }
            boxes.set(r, e.getValue().boxes());
        }
        detections = new Detections(detectionSource(), has("detections.jsonl") ? "jsonl" : "kitti", boxes);
        return detections;
    }
}
