package dev.winnow.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * URI-addressed artifact store ({@code file:///abs/path}, {@code s3://bucket/key}).
 *
 * <p>A URI ending in {@code /} names a directory (a prefix). Every write is an atomic publish:
 * the bytes go to a place readers never look at first and appear under the target name only when
 * complete, so a step that crashes half-way leaves nothing that looks like a finished artifact.
 */
public interface ArtifactStore extends AutoCloseable {

    /** Writes the content of an artifact; an exception thrown here means nothing is published. */
    @FunctionalInterface
    interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Opens an object for streaming reads. */
    InputStream open(URI uri);

    /** Atomically publishes what {@code content} writes under {@code uri}, replacing any old object. */
    void write(URI uri, Content content);

    /** Atomically publishes a local file under {@code uri}. */
    void upload(Path file, URI uri);

    /** All objects under a directory URI, recursively, sorted by URI; empty when there are none. */
    List<StoredObject> list(URI directory);

    /** Whether an object exists; for a directory URI, whether anything exists under it. */
    boolean exists(URI uri);

    /** Deletes an object, or everything under a directory URI; absent objects are not an error. */
    void delete(URI uri);

    /**
     * A local file with the object's content. For {@code file://} this is the file itself (do not
     * modify it); remote objects are downloaded to a temporary file that lives until {@link #close}.
     */
    Path stage(URI uri);

    default byte[] readAllBytes(URI uri) {
        try (InputStream in = open(uri)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new StorageException("cannot read " + uri + ": " + e.getMessage(), e);
        }
    }

    default String readString(URI uri) {
        return new String(readAllBytes(uri), StandardCharsets.UTF_8);
    }

    default void writeString(URI uri, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        write(uri, out -> out.write(bytes));
    }

    @Override
    default void close() {
    }

    /** Unchecked wrapper for I/O failures that already carry the URI in their message. */
    static StorageException failure(String what, URI uri, Exception e) {
        IOException io = e instanceof IOException ioe ? ioe
                : e instanceof UncheckedIOException u ? u.getCause() : new IOException(e);
        return new StorageException(what + " " + uri + ": " + e.getMessage(), io);
    }
}
