package dev.winnow.worker.data;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import dev.winnow.contract.SourceFormat;
import dev.winnow.storage.ArtifactStore;

/** The images of a dataset, addressed by sample id. */
public interface ImageSource {

    /** The shape of every image {@link #read} produces. */
    ImageShape shape();

    /** The pool: the samples active learning may select, in a stable order. */
    List<String> poolIds();

    /** Samples held out for evaluation (IDX test split, an ImageFolder's {@code test/} folder); empty when none. */
    List<String> heldOutIds();

    /** Where a sample's image lives, for formats with one file per image. */
    Optional<URI> uriOf(String id);

    /** Writes the image's pixels, scaled to [0, 1], channel-major, into {@code dst} at {@code offset}. */
    void read(String id, float[] dst, int offset);

    /**
     * Height and width of the stored image before {@link #read} scales it, so pixel boxes can be mapped to the
     * tensor; the tensor's own size for sources that do not scale.
     */
    default ImageShape storedShape(String id) {
        return shape();
    }

    /** A class the source itself knows (IDX label files, class folders): ground truth, never for training. */
    OptionalInt groundTruth(String id);

    /** Opens a source of the given format. Images of ImageFolder and Manifest datasets are scaled to
     *  {@code imageSize} x {@code imageSize} RGB. */
    static ImageSource open(SourceFormat format, URI uri, ArtifactStore store, ClassList classes, int imageSize) {
        return switch (format) {
            case Idx -> IdxSource.open(store, uri);
            case ImageFolder -> ImageFolderSource.open(store, uri, classes, imageSize);
            case Manifest -> ManifestSource.open(store, uri, imageSize);
        };
    }

    /** Fails with a clear message for an id that is not in the dataset. */
    static IllegalArgumentException unknownId(String id) {
        return new IllegalArgumentException("unknown sample id '" + id + "'");
    }
}
