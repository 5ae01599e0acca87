package dev.winnow.worker.model;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import dev.winnow.storage.ArtifactStore;
import dev.winnow.storage.StorageException;
import dev.winnow.storage.Uris;
import dev.winnow.worker.data.ImageShape;

/**
 * A checkpoint directory: {@code model.params} (DJL parameters) and {@code model.json}
 * ({@link ModelMetadata}). {@code model.json} is published last and is what marks the checkpoint
 * complete, so a crash between the two files leaves no checkpoint that looks loadable.
 */
public final class Checkpoint {

    public static final String PARAMS = "model.params";
    public static final String METADATA = "model.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Checkpoint() {
    }

    public static void save(ArtifactStore store, URI directory, Classifier classifier, ModelMetadata metadata) {
        URI dir = Uris.asDirectory(directory);
        store.write(Uris.resolve(dir, PARAMS), classifier::save);
        store.write(Uris.resolve(dir, METADATA), out -> JSON.writeValue(out, metadata));
    }

    /** The checkpoint directory of a URI naming either the directory or its {@code model.json}. */
    public static URI directory(URI checkpoint) {
        if (!Uris.isDirectory(checkpoint) && Uris.fileName(checkpoint).equals(METADATA)) {
            return Uris.parent(checkpoint);
        }
        return Uris.asDirectory(checkpoint);
    }

    public static ModelMetadata metadata(ArtifactStore store, URI checkpoint) {
        URI uri = Uris.resolve(directory(checkpoint), METADATA);
        if (!store.exists(uri)) {
            throw new IllegalArgumentException("no checkpoint at " + directory(checkpoint) + " (no " + METADATA + ")");
        }
        try (InputStream in = store.open(uri)) {
            ModelMetadata metadata = JSON.readValue(in, ModelMetadata.class);
            if (!ModelMetadata.FORMAT.equals(metadata.format())) {
                throw new IllegalArgumentException(uri + " is not a Winnow DJL checkpoint (format "
                        + metadata.format() + ")");
            }
            return metadata;
        } catch (IOException e) {
            throw new StorageException("cannot read " + uri + ": " + e.getMessage(), e);
        }
    }

    /** Rebuilds the network a checkpoint describes and loads its parameters. */
    public static Classifier load(ArtifactStore store, URI checkpoint, ModelMetadata metadata, long seed) {
        var shape = metadata.inputShape();
        Classifier classifier = new Classifier(Architecture.parse(metadata.architecture()),
                new ImageShape(shape.get(0), shape.get(1), shape.get(2)), metadata.classes().size(), seed);
        URI params = Uris.resolve(directory(checkpoint), PARAMS);
        try (InputStream in = store.open(params)) {
            classifier.load(in);
        } catch (IOException | RuntimeException e) {
            classifier.close();
            if (e instanceof IOException io) {
                throw new StorageException("cannot load " + params + ": " + e.getMessage(), io);
            }
            throw (RuntimeException) e;
        }
        return classifier;
    }
}
