package dev.winnow.worker;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

import dev.winnow.storage.ArtifactStore;
import dev.winnow.storage.StoredObject;
import dev.winnow.storage.Uris;

/** Copies a predictions directory (with its part-<i>/ shards) to local disk: the sampling readers map local files. */
final class Staging {
    private Staging() {
    }

    /** @param variable the contract variable that named the directory, for the error when it is empty */
    static Path directory(ArtifactStore store, URI dir, Path target, String variable) throws IOException {
        List<StoredObject> objects = store.list(dir);
        if (objects.isEmpty()) {
            throw new StepException(variable + ": no predictions at " + dir);
        }
        for (StoredObject o : objects) {
            String relative = Uris.relativize(dir, o.uri());
            Path file = target.resolve(relative);
            Files.createDirectories(file.getParent());
            try (InputStream in = store.open(o.uri())) {
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return target;
    }
}
