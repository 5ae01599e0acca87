package dev.winnow.local.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.winnow.worker.data.FashionDetection;

/**
 * {@code winnow demo --task detection}: the pool of {@code winnow dataset fashion-detection} generated
 * under the workdir (once; a resumed run reuses it), the held-out boxes put in each loop's labels store
 * (the train step reads them there, as a user's labeled test set), and the loops' simulated labeling
 * pointed at the generated KITTI ground truth.
 */
public final class DetectionDemo {
    public static final String BUNDLED = "examples/object-detection/fashion-detection-loop.yaml";
    /** Pool and held-out canvases; sized so the default loop finishes in minutes on two cores. */
    static final int POOL = 1000;
    static final int TEST = 200;
    static final long SEED = 0;
    static final String DATA = "fashion-detection";
    private static final String DONE = ".complete";

    private DetectionDemo() {
    }

    public static InputStream bundled() {
        InputStream in = DetectionDemo.class.getClassLoader().getResourceAsStream(BUNDLED);
        if (in == null) {
            throw new IllegalStateException(BUNDLED + " is missing from the classpath");
        }
        return in;
    }

    /**
     * Makes (or, when {@code fresh}, empties) the workdir, generates the dataset in it unless an earlier run
     * did, and copies the held-out labels into the labels stores of the loop and of its random baseline.
     * The session that follows must not be fresh, or it would delete the pool again.
     *
     * @return the directory with images/ and labels/
     * @throws IllegalStateException when the workdir is not the demo's
     */
    public static Path prepare(Path workdir, boolean fresh, Path idx, PrintStream out) throws IOException {
        return prepare(workdir, fresh, idx, out, List.of(workdir, workdir.resolve("baseline")));
    }

    /**
     * The same for loops whose storage roots are {@code roots} (each keeps its labels in {@code <root>/labels}, as
     * {@link DemoManifests#rewrite} puts them): {@code winnow bench --task detection}, one root per loop.
     */
    public static Path prepare(Path workdir, boolean fresh, Path idx, PrintStream out, List<Path> roots) throws IOException {
        return prepare(workdir, fresh, idx, out, POOL, TEST, roots);
    }

    static Path prepare(Path workdir, boolean fresh, Path idx, PrintStream out, int pool, int test) throws IOException {
        return prepare(workdir, fresh, idx, out, pool, test, List.of(workdir, workdir.resolve("baseline")));
    }

    private static Path prepare(Path workdir, boolean fresh, Path idx, PrintStream out, int pool, int test,
                                List<Path> roots) throws IOException {
        DemoWorkdir.prepare(workdir, fresh);
        Path data = workdir.resolve(DATA);
        if (!Files.exists(data.resolve(DONE))) {
            out.printf("Generating %d pool and %d held-out detection canvases in %s%n", pool, test, data);
            FashionDetection.write(idx, data, new FashionDetection.Options(pool, test, SEED, true));
            Files.writeString(data.resolve(DONE), "");
        }
        for (Path root : roots) {
            copyTree(data.resolve("labels").resolve(FashionDetection.TEST), root.resolve("labels").resolve(FashionDetection.TEST));
        }
        return data;
    }

    /** Points each loop's simulated labeling at the generated ground truth. */
    public static List<ObjectNode> withGroundTruth(List<ObjectNode> docs, Path data) {
        return docs.stream().map(doc -> {
            ObjectNode d = doc.deepCopy();
            if (d.path("kind").asText().equals("ActiveLearningLoop")) {
                ((ObjectNode) d.with("spec").with("labeling").with("groundTruth"))
                        .put("uri", DemoManifests.fileUri(data.resolve("labels"))).put("format", "Kitti");
            }
            return d;
        }).toList();
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
