package dev.winnow.worker.data;

import java.net.URI;
import java.util.List;

import dev.winnow.storage.ArtifactStore;
import dev.winnow.storage.StoredObject;
import dev.winnow.storage.Uris;

/** Finding the files of a label store that may be one file or a directory of files. */
final class LabelFiles {

    private LabelFiles() {
    }

    /**
     * The files with {@code suffix} under a directory URI, in name order (so later files win), or
     * the single file a non-directory URI names; empty when nothing exists yet.
     */
    static List<URI> find(ArtifactStore store, URI uri, String suffix) {
        return find(store, uri, name -> name.endsWith(suffix));
    }

    /** Like {@link #find(ArtifactStore, URI, String)} for the files whose name {@code accepts}. */
    static List<URI> find(ArtifactStore store, URI uri, java.util.function.Predicate<String> accepts) {
        if (!Uris.isDirectory(uri)) {
            if (store.exists(uri)) {
                return List.of(uri);
            }
            uri = Uris.asDirectory(uri);
        }
        return store.list(uri).stream().map(StoredObject::uri)
                .filter(u -> accepts.test(Uris.fileName(u))).toList();
    }

    /** The sample id of a per-sample label file: its path under the store, minus the suffix. */
    static String idOf(URI directory, URI file, String suffix) {
        String relative = Uris.relativize(directory, file);
        return relative.substring(0, relative.length() - suffix.length());
    }

    /** Strips an image extension from a file name as COCO and manifests write it. */
    static String stripImageExtension(String name) {
        String clean = name.startsWith("./") ? name.substring(2) : name;
        return clean.replaceFirst("(?i)\\.(png|jpe?g|bmp|gif|webp|tiff?)$", "");
    }
}
