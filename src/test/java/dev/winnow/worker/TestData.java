package dev.winnow.worker;

import java.awt.image.BufferedImage;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

import javax.imageio.ImageIO;

import dev.winnow.storage.Uris;

/** Small datasets written by tests, and the environment a step Job would get for them. */
public final class TestData {

    public static final String FASHION_CLASSES =
            "t-shirt,trouser,pullover,dress,coat,sandal,shirt,sneaker,bag,ankle-boot";
    public static final Path FASHION = Path.of("/usr/share/datasets/fashion-mnist");

    private TestData() {
    }

    /**
     * Writes the four IDX files of a tiny dataset: image i of class {@code i % classes} is dark
     * with one bright row at {@code 2 * class}, so labels are easy to check and to learn.
     */
    public static void writeIdx(Path dir, int train, int test, int size, int classes, boolean gzip)
            throws IOException {
        Files.createDirectories(dir);
        String suffix = gzip ? ".gz" : "";
        writeImages(dir.resolve("train-images-idx3-ubyte" + suffix), train, size, classes, gzip, 1);
        writeLabels(dir.resolve("train-labels-idx1-ubyte" + suffix), train, classes, gzip);
        writeImages(dir.resolve("t10k-images-idx3-ubyte" + suffix), test, size, classes, gzip, 2);
        writeLabels(dir.resolve("t10k-labels-idx1-ubyte" + suffix), test, classes, gzip);
    }

    public static int idxLabel(int index, int classes) {
        return index % classes;
    }

    private static OutputStream open(Path file, boolean gzip) throws IOException {
        OutputStream out = Files.newOutputStream(file);
        return gzip ? new GZIPOutputStream(out) : out;
    }

    private static void writeImages(Path file, int n, int size, int classes, boolean gzip, long seed)
            throws IOException {
        Random random = new Random(seed);
        try (DataOutputStream out = new DataOutputStream(open(file, gzip))) {
            out.writeInt(0x803);
            out.writeInt(n);
            out.writeInt(size);
            out.writeInt(size);
            for (int i = 0; i < n; i++) {
                int row = (2 * idxLabel(i, classes)) % size;
                for (int y = 0; y < size; y++) {
                    for (int x = 0; x < size; x++) {
                        out.writeByte(y == row ? 255 : random.nextInt(40));
                    }
                }
            }
        }
    }

    private static void writeLabels(Path file, int n, int classes, boolean gzip) throws IOException {
        try (DataOutputStream out = new DataOutputStream(open(file, gzip))) {
            out.writeInt(0x801);
            out.writeInt(n);
            for (int i = 0; i < n; i++) {
                out.writeByte(idxLabel(i, classes));
            }
        }
    }

    /** A 10x6 image of one colour, in {@code format} ("png" or "jpg"). */
    public static void image(Path file, int rgb, String format) throws IOException {
        Files.createDirectories(file.getParent());
        BufferedImage image = new BufferedImage(10, 6, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 6; y++) {
            for (int x = 0; x < 10; x++) {
                image.setRGB(x, y, rgb);
            }
        }
        ImageIO.write(image, format, file.toFile());
    }

    /** The dataset part of a step's environment. */
    public static Map<String, String> env(String classes, URI dataset, String format, URI labels,
                                          String labelsFormat, URI artifacts, Path terminationLog) {
        Map<String, String> env = new HashMap<>();
        env.put("WINNOW_TASK", "Classification");
        env.put("WINNOW_CLASSES", classes);
        env.put("WINNOW_DATASET", "test");
        env.put("WINNOW_DATASET_URI", dataset.toString());
        env.put("WINNOW_DATASET_FORMAT", format);
        env.put("WINNOW_LABELS_URI", labels.toString());
        env.put("WINNOW_LABELS_FORMAT", labelsFormat);
        env.put("WINNOW_ARTIFACTS_URI", artifacts.toString());
        env.put("WINNOW_MANIFEST", Uris.resolve(artifacts, "datasets/test/manifest.jsonl").toString());
        env.put("WINNOW_TERMINATION_LOG", terminationLog.toString());
        return env;
    }

    public static URI dir(Path path) {
        return Uris.fromPath(path, true);
    }

    public static URI file(Path path) {
        return Uris.fromPath(path, false);
    }
}
