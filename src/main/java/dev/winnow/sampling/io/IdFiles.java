package dev.winnow.sampling.io;

import dev.winnow.sampling.SamplingException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Files of ids, one a line (exclude lists, tags); blank lines are skipped. */
public final class IdFiles {
    private IdFiles() {
    }

    public static Set<String> read(List<Path> files) {
        Set<String> ids = new LinkedHashSet<>();
        for (Path f : files) {
            try {
                for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                    String id = line.strip();
                    if (!id.isEmpty()) {
                        ids.add(id);
                    }
                }
            } catch (NoSuchFileException e) {
                throw new SamplingException(f + ": not found");
            } catch (IOException e) {
                throw new SamplingException(f + ": cannot read: " + e.getMessage(), e);
            }
        }
        return ids;
    }
}
