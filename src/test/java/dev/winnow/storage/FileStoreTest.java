package dev.winnow.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileStoreTest extends ArtifactStoreContract {

    @TempDir
    Path dir;

    private final FileStore store = new FileStore();

    @Override
    ArtifactStore store() {
        return store;
    }

    @Override
    URI root() {
        return Uris.fromPath(dir, true);
    }

    @Test
    void failedWriteLeavesNoTemporaryFiles() throws IOException {
        URI uri = Uris.resolve(root(), "t/x.txt");
        try {
            store.write(uri, out -> {
                throw new IOException("crash");
            });
        } catch (StorageException expected) {
            // the point is what is left on disk
        }
        try (var files = Files.list(dir.resolve("t"))) {
            assertEquals(0, files.count());
        }
    }

    @Test
    void stagingAFileUriUsesTheFileItself() {
        URI uri = Uris.resolve(root(), "f.txt");
        store.writeString(uri, "x");
        assertEquals(dir.resolve("f.txt"), store.stage(uri));
    }
}
