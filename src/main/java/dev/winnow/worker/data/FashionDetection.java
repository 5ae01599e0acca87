package dev.winnow.worker.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import javax.imageio.ImageIO;

/**
 * A detection dataset made from Fashion-MNIST, so a detection loop runs with data this machine has:
 * {@value #CANVAS}x{@value #CANVAS} grey canvases with 1 to 4 items, each scaled and placed at random
 * (overlapping little), over faint noise and strokes when {@code clutter} is on. The layout is the one
 * TAO and KITTI users have, with the held-out test set in a {@code test/} folder of each:
 * <pre>
 *   images/000000.png       labels/000000.txt        pool, from Fashion-MNIST's train split
 *   images/test/000000.png  labels/test/000000.txt   held out, from its t10k split
 * </pre>
 * An ImageFolder Dataset on {@code images/} leaves {@code test/} out of the pool and evaluates on it
 * (see {@link ImageFolderSource}). Label files are KITTI: class, truncation, occlusion, alpha, then the
 * box left top right bottom in pixels and the 3-D fields zeroed. Everything follows from the seed: the
 * same arguments write byte-identical files (the resampling is done here, not by the AWT).
 */
public final class FashionDetection {

    public static final List<String> CLASSES = List.of("t-shirt", "trouser", "pullover", "dress", "coat", "sandal",
            "shirt", "sneaker", "bag", "ankle-boot");
    public static final int CANVAS = 128;
    public static final String TEST = "test";
    static final int MAX_OBJECTS = 4;
    static final double MIN_SCALE = 1.0;
    static final double MAX_SCALE = 2.2;
    /** An item may share at most this fraction of its box with one already placed. */
    static final double MAX_OVERLAP = 0.15;
    private static final int ITEM = 28;
    private static final int INK = 30;

    /** What to write; {@code train} and {@code test} are canvas counts. */
    public record Options(int train, int test, long seed, boolean clutter) {
        public Options {
            if (train < 1 || test < 0) {
                throw new IllegalArgumentException("need at least 1 train canvas and no negative test count");
            }
        }
    }

    /** What was written. */
    public record Written(int train, int test, int objects) {
    }

    private FashionDetection() {
    }

    /** Writes the dataset under {@code out} from the four IDX files in {@code idxDir}. */
    public static Written write(Path idxDir, Path out, Options options) throws IOException {
        Split train = Split.read(idxDir, "train");
        Split test = options.test() > 0 ? Split.read(idxDir, "t10k") : null;
        if (options.train() > train.count() * 4 || (test != null && options.test() > test.count() * 4)) {
            throw new IllegalArgumentException("more canvases than Fashion-MNIST can fill");
        }
        int objects = writeSplit(train, options.train(), new Random(options.seed()), options.clutter(),
                out.resolve("images"), out.resolve("labels"));
        if (test != null) {
            // its own stream, so the pool does not change with the test count
            objects += writeSplit(test, options.test(), new Random(options.seed() ^ 0x5DEECE66DL), options.clutter(),
                    out.resolve("images").resolve(TEST), out.resolve("labels").resolve(TEST));
        }
        return new Written(options.train(), options.test(), objects);
    }

    private static int writeSplit(Split split, int canvases, Random random, boolean clutter, Path images, Path labels)
            throws IOException {
        Files.createDirectories(images);
        Files.createDirectories(labels);
        int objects = 0;
        for (int i = 0; i < canvases; i++) {
            int[] canvas = new int[CANVAS * CANVAS];
            if (clutter) {
                clutter(canvas, random);
            }
            List<Placed> placed = new ArrayList<>();
            int wanted = 1 + random.nextInt(MAX_OBJECTS);
            for (int attempt = 0; placed.size() < wanted && attempt < 50; attempt++) {
                Placed p = place(split, random, placed);
                if (p != null) {
                    draw(canvas, p);
                    placed.add(p);
                }
            }
            String name = String.format(Locale.ROOT, "%06d", i);
            writePng(canvas, images.resolve(name + ".png"));
            try (Writer w = Files.newBufferedWriter(labels.resolve(name + ".txt"), StandardCharsets.UTF_8)) {
                for (Placed p : placed) {
                    w.write(KittiLine.of(CLASSES.get(p.label), p.x, p.y, p.x + p.w, p.y + p.h));
                }
            }
            objects += placed.size();
        }
        return objects;
    }

    /** One item, cropped to its ink, scaled and positioned; null when it would overlap too much. */
    private static Placed place(Split split, Random random, List<Placed> placed) {
        int index = random.nextInt(split.count());
        double scale = MIN_SCALE + random.nextDouble() * (MAX_SCALE - MIN_SCALE);
        int[] crop = split.inkBox(index);
        int cw = crop[2] - crop[0];
        int ch = crop[3] - crop[1];
        int w = Math.max(2, (int) Math.round(cw * scale));
        int h = Math.max(2, (int) Math.round(ch * scale));
        int x = random.nextInt(CANVAS - w + 1);
        int y = random.nextInt(CANVAS - h + 1);
        for (Placed p : placed) {
            int ix = Math.max(0, Math.min(x + w, p.x + p.w) - Math.max(x, p.x));
            int iy = Math.max(0, Math.min(y + h, p.y + p.h) - Math.max(y, p.y));
            double inter = (double) ix * iy;
            if (inter > MAX_OVERLAP * Math.min(w * h, p.w * p.h)) {
                return null;
            }
        }
        return new Placed(split.label(index), x, y, w, h, split.resample(index, crop, w, h));
    }

    private static void draw(int[] canvas, Placed p) {
        for (int dy = 0; dy < p.h; dy++) {
            for (int dx = 0; dx < p.w; dx++) {
                int at = (p.y + dy) * CANVAS + p.x + dx;
                canvas[at] = Math.max(canvas[at], p.pixels[dy * p.w + dx]);
            }
        }
    }

    /** Faint noise and a few dim strokes: enough that an empty area is not exactly black. */
    private static void clutter(int[] canvas, Random random) {
        for (int i = 0; i < canvas.length; i++) {
            canvas[i] = random.nextInt(16);
        }
        int strokes = random.nextInt(4);
        for (int s = 0; s < strokes; s++) {
            double x = random.nextInt(CANVAS);
            double y = random.nextInt(CANVAS);
            double angle = random.nextDouble() * Math.PI * 2;
            int length = 10 + random.nextInt(30);
            int value = 40 + random.nextInt(40);
            for (int t = 0; t < length; t++) {
                int px = (int) (x + t * Math.cos(angle));
                int py = (int) (y + t * Math.sin(angle));
                if (px >= 0 && py >= 0 && px < CANVAS && py < CANVAS) {
                    canvas[py * CANVAS + px] = Math.max(canvas[py * CANVAS + px], value);
                }
            }
        }
    }

    private static void writePng(int[] canvas, Path file) throws IOException {
        BufferedImage image = new BufferedImage(CANVAS, CANVAS, BufferedImage.TYPE_BYTE_GRAY);
        image.getRaster().setPixels(0, 0, CANVAS, CANVAS, canvas);
        if (!ImageIO.write(image, "png", file.toFile())) {
            throw new IOException("no PNG writer");
        }
    }

    private record Placed(int label, int x, int y, int w, int h, int[] pixels) {
    }

    /** The images and labels of one Fashion-MNIST split. */
    private record Split(IdxFile images, IdxFile labels) {

        static Split read(Path dir, String prefix) throws IOException {
            IdxFile images = IdxFile.read(find(dir, prefix + "-images-idx3-ubyte"), IdxFile.IMAGES_MAGIC);
            IdxFile labels = IdxFile.read(find(dir, prefix + "-labels-idx1-ubyte"), IdxFile.LABELS_MAGIC);
            if (images.dims.length != 3 || images.dims[1] != ITEM || images.dims[2] != ITEM
                    || labels.count() != images.count()) {
                throw new IOException(dir + ": " + prefix + " files are not 28x28 images with one label each");
            }
            return new Split(images, labels);
        }

        private static Path find(Path dir, String name) throws IOException {
            for (Path p : List.of(dir.resolve(name), dir.resolve(name + ".gz"))) {
                if (Files.isRegularFile(p)) {
                    return p;
                }
            }
            throw new IOException("no " + name + "[.gz] in " + dir);
        }

        int count() {
            return images.count();
        }

        int label(int index) {
            return labels.data[index] & 0xff;
        }

        private int pixel(int index, int x, int y) {
            return images.data[index * ITEM * ITEM + y * ITEM + x] & 0xff;
        }

        /** x1, y1, x2, y2 (exclusive) of the pixels above the ink threshold; the whole item when there are none. */
        int[] inkBox(int index) {
            int x1 = ITEM;
            int y1 = ITEM;
            int x2 = 0;
            int y2 = 0;
            for (int y = 0; y < ITEM; y++) {
                for (int x = 0; x < ITEM; x++) {
                    if (pixel(index, x, y) > INK) {
                        x1 = Math.min(x1, x);
                        y1 = Math.min(y1, y);
                        x2 = Math.max(x2, x + 1);
                        y2 = Math.max(y2, y + 1);
                    }
                }
            }
            return x2 > x1 ? new int[] {x1, y1, x2, y2} : new int[] {0, 0, ITEM, ITEM};
        }

        /** Bilinear resampling of the crop to w x h, in integer-exact double arithmetic. */
        int[] resample(int index, int[] crop, int w, int h) {
            int cw = crop[2] - crop[0];
            int ch = crop[3] - crop[1];
            int[] out = new int[w * h];
            for (int dy = 0; dy < h; dy++) {
                double sy = Math.max(0, Math.min(ch - 1, (dy + 0.5) * ch / h - 0.5));
                int y0 = (int) sy;
                int y1 = Math.min(ch - 1, y0 + 1);
                double fy = sy - y0;
                for (int dx = 0; dx < w; dx++) {
                    double sx = Math.max(0, Math.min(cw - 1, (dx + 0.5) * cw / w - 0.5));
                    int x0 = (int) sx;
                    int x1 = Math.min(cw - 1, x0 + 1);
                    double fx = sx - x0;
                    double top = pixel(index, crop[0] + x0, crop[1] + y0) * (1 - fx) + pixel(index, crop[0] + x1, crop[1] + y0) * fx;
                    double bottom = pixel(index, crop[0] + x0, crop[1] + y1) * (1 - fx) + pixel(index, crop[0] + x1, crop[1] + y1) * fx;
                    out[dy * w + dx] = (int) Math.round(top * (1 - fy) + bottom * fy);
                }
            }
            return out;
        }
    }
}
