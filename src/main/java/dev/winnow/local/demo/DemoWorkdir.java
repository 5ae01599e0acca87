package dev.winnow.local.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The demo's working directory. A marker file says the directory is the demo's, so --fresh only ever empties
 * a directory the demo made, never one a user pointed at by mistake.
 */
public final class DemoWorkdir {
    static final String MARKER = ".winnow-demo";

    private DemoWorkdir() {
    }

    /**
     * Prepares the directory: created when absent; emptied when fresh and it is the demo's.
     *
     * @return true when an earlier run's state is there to resume from
     * @throws IllegalStateException when the directory holds files the demo did not put there
     */
    public static boolean prepare(Path dir, boolean fresh) throws IOException {
        if (Files.isDirectory(dir) && !isEmpty(dir) && !Files.exists(dir.resolve(MARKER))) {
            throw new IllegalStateException(dir + " is not empty and not a winnow demo directory; choose another --workdir");
        }
        if (fresh && Files.exists(dir)) {
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    if (!p.equals(dir)) {
                        Files.delete(p);
                    }
                }
            }
        }
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(MARKER), "created by winnow demo; --fresh empties this directory\n");
        return Files.exists(dir.resolve(ApiSnapshot.FILE));
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }
}
