package dev.winnow.storage;

import java.io.UncheckedIOException;
import java.io.IOException;

/** A storage operation failed; the message names the URI so a step can report it in one line. */
public class StorageException extends UncheckedIOException {

    public StorageException(String message, IOException cause) {
        super(message, cause);
    }

    public StorageException(String message) {
        super(message, new IOException(message));
    }
}
