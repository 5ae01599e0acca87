package dev.winnow.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Clean-up of the temporary files both stores write (publish temps, S3 spools and staged copies). */
final class TempFiles {

    private TempFiles() {
    }

    /**
     * Deletes a temporary file, if any, without failing: a leftover is harmless (file-store temps
     * are skipped by listings, S3 spools sit in the pod's scratch space), and the caller is usually
     * already reporting a failure of its own.
     */
    static void deleteQuietly(Path temp) {
        if (temp != null) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // see above: nothing that looks complete is left behind
            }
        }
    }
}
