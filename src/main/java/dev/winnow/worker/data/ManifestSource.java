package dev.winnow.worker.data;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.winnow.storage.ArtifactStore;
import dev.winnow.storage.Uris;
import dev.winnow.worker.io.JsonLines;

/**
 * A {@code Manifest} dataset: a JSONL file of {@code {"id", "uri"}} lines; a relative {@code uri}
 * is taken relative to the manifest's directory.
 */
public final class ManifestSource extends ImageFileSource {

    private ManifestSource(ArtifactStore store, Map<String, URI> images, int size) {
        super(store, images, size);
    }

    public static ManifestSource open(ArtifactStore store, URI manifest, int size) {
        Map<String, URI> images = new LinkedHashMap<>();
        URI base = Uris.parent(manifest);
        List<ObjectNode> rows = JsonLines.read(store, manifest);
        for (int i = 0; i < rows.size(); i++) {
            String id = rows.get(i).path("id").asText("");
            String uri = rows.get(i).path("uri").asText("");
            if (id.isEmpty() || uri.isEmpty()) {
                throw new IllegalArgumentException(manifest + " record " + (i + 1) + ": needs \"id\" and \"uri\"");
            }
            URI resolved = uri.contains("://") || uri.startsWith("/") ? Uris.parse(uri) : Uris.resolve(base, uri);
            if (images.put(id, resolved) != null) {
                throw new IllegalArgumentException(manifest + ": id '" + id + "' appears twice");
            }
        }
        if (images.isEmpty()) {
            throw new IllegalArgumentException("manifest " + manifest + " lists no images");
        }
        return new ManifestSource(store, images, size);
    }

    @Override
    public OptionalInt groundTruth(String id) {
        return OptionalInt.empty();
    }
}
