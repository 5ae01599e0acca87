package dev.winnow.local.demo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The four IDX files of Fashion-MNIST, as Debian's dataset-fashion-mnist package installs them (gzipped or not). */
public final class FashionMnistFiles {
    public static final Path DEFAULT_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    public static final String INSTALL_HINT = "sudo apt-get install -y dataset-fashion-mnist";
    static final List<String> FILES = List.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte",
            "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");

    private FashionMnistFiles() {
    }

    /** The files missing from dir; empty when all four are there. */
    public static List<String> missing(Path dir) {
        List<String> missing = new ArrayList<>();
        for (String f : FILES) {
            if (!Files.isRegularFile(dir.resolve(f)) && !Files.isRegularFile(dir.resolve(f + ".gz"))) {
                missing.add(f + "[.gz]");
            }
        }
        return missing;
    }

    /** What to tell a user whose machine lacks the files. */
    public static String hint(Path dir, List<String> missing) {
        return "winnow demo needs the Fashion-MNIST IDX files in " + dir + " (missing: " + String.join(", ", missing)
                + ").\nOn Debian or Ubuntu install them with:\n  " + INSTALL_HINT
                + "\nor point --source at a directory that holds them.";
    }
}
