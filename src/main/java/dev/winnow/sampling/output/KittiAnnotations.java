package dev.winnow.sampling.output;

import dev.winnow.sampling.SelectionResult;
import dev.winnow.sampling.Selected;
import dev.winnow.sampling.io.Box;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * KITTI pre-annotations: one {@code <id>.txt} per chosen image in a directory, each box as a
 * KITTI line (3-D fields zero) with its confidence as a 16th column, the layout TAO reads and
 * writes. An image without boxes gets an empty file, so the directory lists the whole request.
 */
public final class KittiAnnotations {
    private KittiAnnotations() {
    }

    public static void write(SelectionResult r, Path dir) throws IOException {
        for (Selected s : r.selected()) {
            Path f = dir.resolve(s.id() + ".txt").normalize();
            if (!f.startsWith(dir)) {
                throw new IOException("sample id '" + s.id() + "' escapes the output directory");
            }
            Files.createDirectories(f.getParent());
            try (Writer w = Files.newBufferedWriter(f, StandardCharsets.UTF_8)) {
                List<Box> boxes = s.boxes() == null ? List.of() : s.boxes();
                for (Box b : boxes) {
                    double[] bb = b.bbox();
                    w.write(String.format(Locale.ROOT, "%s 0.00 0 0.00 %.2f %.2f %.2f %.2f 0.00 0.00 0.00 0.00 0.00 0.00 0.00 %.4f%n",
                            b.label().isEmpty() ? "object" : b.label(), bb[0], bb[1], bb[2], bb[3], b.score()));
                }
            }
        }
    }
}
