package dev.winnow.storage;

import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The store a step uses: dispatches on the URI scheme to {@link FileStore} or {@link S3Store}.
 * The S3 client is built on first use, so a step working on {@code file://} URIs needs no AWS
 * settings at all.
 */
public final class Stores implements ArtifactStore {

    private final FileStore files = new FileStore();
    private final S3Settings s3Settings;
    private S3Store s3;

    public Stores(S3Settings s3Settings) {
        this.s3Settings = s3Settings;
    }

    /** A store configured from the standard AWS variables in {@code env}. */
    public static Stores fromEnvironment(Map<String, String> env) {
        return new Stores(S3Settings.fromEnvironment(env));
    }

    private synchronized ArtifactStore forUri(URI uri) {
        String scheme = uri.getScheme();
        if ("file".equals(scheme)) {
            return files;
        }
        if ("s3".equals(scheme)) {
            if (s3 == null) {
                s3 = new S3Store(s3Settings);
            }
            return s3;
        }
        throw new IllegalArgumentException("unsupported URI scheme (want s3:// or file://): " + uri);
    }

    @Override
    public InputStream open(URI uri) {
        return forUri(uri).open(uri);
    }

    @Override
    public void write(URI uri, Content content) {
        forUri(uri).write(uri, content);
    }

    @Override
    public void upload(Path file, URI uri) {
        forUri(uri).upload(file, uri);
    }

    @Override
    public List<StoredObject> list(URI directory) {
        return forUri(directory).list(directory);
    }

    @Override
    public boolean exists(URI uri) {
        return forUri(uri).exists(uri);
    }

    @Override
    public void delete(URI uri) {
        forUri(uri).delete(uri);
    }

    @Override
    public Path stage(URI uri) {
        return forUri(uri).stage(uri);
    }

    @Override
    public synchronized void close() {
        if (s3 != null) {
            s3.close();
            s3 = null;
        }
    }
}
