package dev.winnow.worker.data;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.winnow.storage.ArtifactStore;
import dev.winnow.storage.Uris;
import dev.winnow.worker.io.JsonLines;

/**
 * A {@code Manifest} dataset: a JSONL file of {@code {"id", "uri"}} lines; a relative {@code uri}
 * is taken relative to the manifest's directory.
 */
public final class ManifestSource implements ImageSource {

    private final ArtifactStore store;
    private final Map<String, URI> images;
    private final int size;

    private ManifestSource(ArtifactStore store, Map<String, URI> images, int size) {
        this.store = store;
        this.images = images;
        this.size = size;
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
    public ImageShape shape() {
        return new ImageShape(3, size, size);
    }

    @Override
    public List<String> poolIds() {
        return new ArrayList<>(images.keySet());
    }

    @Override
    public List<String> heldOutIds() {
        return List.of();
    }

    @Override
    public Optional<URI> uriOf(String id) {
        return Optional.ofNullable(images.get(id));
    }

    @Override
    public void read(String id, float[] dst, int offset) {
        URI uri = images.get(id);
        if (uri == null) {
            throw ImageSource.unknownId(id);
        }
        ImageDecoder.read(store, uri, size, dst, offset);
    }

    @Override
    public OptionalInt groundTruth(String id) {
        return OptionalInt.empty();
    }
}
