package dev.winnow.worker.data;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import dev.winnow.storage.ArtifactStore;

/**
 * A dataset of one image file per sample id, decoded and scaled to {@code size} x {@code size} RGB.
 * ImageFolder and Manifest datasets differ only in how they find the files, so the reading lives here.
 */
abstract class ImageFileSource implements ImageSource {

    private final ArtifactStore store;
    private final Map<String, URI> images;
    private final int size;

    ImageFileSource(ArtifactStore store, Map<String, URI> images, int size) {
        this.store = store;
        this.images = images;
        this.size = size;
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
        ImageDecoder.read(store, uriOrFail(id), size, dst, offset);
    }

    @Override
    public ImageShape storedShape(String id) {
        return ImageDecoder.shape(store, uriOrFail(id));
    }

    private URI uriOrFail(String id) {
        URI uri = images.get(id);
        if (uri == null) {
            throw ImageSource.unknownId(id);
        }
        return uri;
    }
}
