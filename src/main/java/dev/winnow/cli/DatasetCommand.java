package dev.winnow.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import dev.winnow.worker.data.FashionDetection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code winnow dataset}: datasets made from data on this machine, for trying loops without downloads. */
@Command(name = "dataset", mixinStandardHelpOptions = true,
        description = "Make a dataset from data on this machine.",
        subcommands = DatasetCommand.FashionDetectionCommand.class)
public class DatasetCommand {

    /** {@code winnow dataset fashion-detection}: see {@link FashionDetection}. */
    @Command(name = "fashion-detection", mixinStandardHelpOptions = true,
            description = "Object detection canvases (128x128 grey PNGs with 1-4 Fashion-MNIST items) and KITTI labels: "
                    + "images/ and labels/ from the train split, images/test/ and labels/test/ (held out) from the test split. "
                    + "The same arguments write byte-identical files.")
    public static class FashionDetectionCommand implements Callable<Integer> {
        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where to write images/ and labels/.")
        Path out;

        @Option(names = "--train", defaultValue = "1000", description = "Pool canvases (default: ${DEFAULT-VALUE}).")
        int train;

        @Option(names = "--test", defaultValue = "200", description = "Held-out canvases (default: ${DEFAULT-VALUE}).")
        int test;

        @Option(names = "--seed", defaultValue = "0", description = "Seed (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--clutter", negatable = true, defaultValue = "true", fallbackValue = "true",
                description = "Faint noise and strokes behind the items (default: ${DEFAULT-VALUE}).")
        boolean clutter;

        @Option(names = "--source", paramLabel = "DIR", description = "Directory with the Fashion-MNIST IDX files "
                + "(default: ${DEFAULT-VALUE}).")
        Path source = dev.winnow.local.demo.FashionMnistFiles.DEFAULT_DIR;

        @Override
        public Integer call() {
            try {
                var written = FashionDetection.write(source, out, new FashionDetection.Options(train, test, seed, clutter));
                System.out.printf("wrote %d pool and %d held-out canvases with %d objects under %s%n",
                        written.train(), written.test(), written.objects(), out.toAbsolutePath());
                return 0;
            } catch (java.io.IOException | IllegalArgumentException e) {
                System.err.println("winnow dataset fashion-detection: " + e.getMessage());
                return 2;
            }
        }
    }
}
