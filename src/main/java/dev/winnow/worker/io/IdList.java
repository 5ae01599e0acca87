package dev.winnow.worker.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import dev.winnow.storage.ArtifactStore;
import dev.winnow.storage.StorageException;

/** Text files of sample ids, one a line (tags, train and predict id lists, {@code ids.txt}). */
public final class IdList {

    private IdList() {
    }

    /** The ids in file order; blank lines and surrounding whitespace are ignored. */
    public static List<String> read(ArtifactStore store, URI uri) {
        List<String> ids = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(store.open(uri), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                String id = line.trim();
                if (!id.isEmpty()) {
                    ids.add(id);
                }
            }
        } catch (IOException e) {
            throw new StorageException("cannot read " + uri + ": " + e.getMessage(), e);
        }
        return ids;
    }

    public static void write(ArtifactStore store, URI uri, List<String> ids) {
        store.write(uri, out -> {
            Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            for (String id : ids) {
                writer.write(id);
                writer.write('\n');
            }
            writer.flush();
        });
    }
}
