package dev.winnow.worker.model;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.winnow.storage.ArtifactStore;
import dev.winnow.storage.StorageException;
import dev.winnow.storage.Uris;
import dev.winnow.worker.data.ImageShape;

/**
 * An encoder a classifier can start from ({@code WINNOW_BACKBONE}): a directory with {@code encoder.params} (DJL
 * parameters of the feature layers) and {@code encoder.json} (what they fit), written by the embed step beside the
 * Dataset's embeddings. {@code encoder.json} is written last and marks the directory complete.
 */
public final class Backbone {
    public static final String PARAMS = "encoder.params";
    public static final String METADATA = "encoder.json";
    public static final String FORMAT = "winnow-djl-encoder/v1";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param architecture the classifier layout whose feature layers these are ({@link Architecture#id()})
     * @param dims         the embedding (feature) width
     * @param inputShape   channels, height, width
     */
    public record Metadata(String format, String architecture, int dims, List<Integer> inputShape) {
    }

    private Backbone() {
    }

    public static void save(ArtifactStore store, URI directory, SimClr encoder, ImageShape shape) {
        URI dir = Uris.asDirectory(directory);
        store.write(Uris.resolve(dir, PARAMS), encoder::saveEncoder);
        Metadata metadata = new Metadata(FORMAT, Architecture.SIMCLR.id(), encoder.dims(),
                List.of(shape.channels(), shape.height(), shape.width()));
        store.write(Uris.resolve(dir, METADATA), out -> JSON.writeValue(out, metadata));
    }

    public static Metadata metadata(ArtifactStore store, URI backbone) {
        URI uri = Uris.resolve(Uris.asDirectory(backbone), METADATA);
        if (!store.exists(uri)) {
            throw new IllegalArgumentException("no Winnow encoder at " + backbone + " (no " + METADATA + "): the built-in"
                    + " trainer starts from the encoder directory the embed step writes; another format, a TorchScript file"
                    + " say, needs a trainer image of your own");
        }
        try (InputStream in = store.open(uri)) {
            Metadata metadata = JSON.readValue(in, Metadata.class);
            if (!FORMAT.equals(metadata.format())) {
                throw new IllegalArgumentException(uri + " is not a Winnow encoder (format " + metadata.format() + ")");
            }
            return metadata;
        } catch (IOException e) {
            throw new StorageException("cannot read " + uri + ": " + e.getMessage(), e);
        }
    }

    /**
     * A classifier whose feature layers are the encoder's and whose head is new. The caller has checked that the
     * architectures match; the parameter shapes are checked again here, so a file that does not fit is an error.
     */
    public static Classifier classifier(ArtifactStore store, URI backbone, Metadata metadata, ImageShape shape, int classes,
                                        long seed) {
        Classifier classifier = new Classifier(Architecture.parse(metadata.architecture()), metadata.dims(), shape, classes, seed);
        return Checkpoint.readParams(store, Uris.resolve(Uris.asDirectory(backbone), PARAMS), classifier, classifier::loadFeatures);
    }
}
