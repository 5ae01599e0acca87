package dev.winnow.storage;

import java.net.URI;
import java.util.Comparator;
import java.time.Instant;

/** One published object found by {@link ArtifactStore#list}: where it is, how big, when written. */
public record StoredObject(URI uri, long size, Instant lastModified) {

    /** The order {@link ArtifactStore#list} promises, the same for every store. */
    static final Comparator<StoredObject> BY_URI = Comparator.comparing(o -> o.uri().toString());

    /** The last path segment, e.g. {@code round-1.txt}. */
    public String name() {
        String path = uri.getPath();
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
