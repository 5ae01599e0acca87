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
        save(store, directory, classifier::save, metadata);
    }

    public static void save(ArtifactStore store, URI directory, Detector detector, ModelMetadata metadata) {
        save(store, directory, detector::save, metadata);
    }

    private static void save(ArtifactStore store, URI directory, ArtifactStore.Content params, ModelMetadata metadata) {
        URI dir = Uris.asDirectory(directory);
        store.write(Uris.resolve(dir, PARAMS), params);
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
        if (Detector.ARCHITECTURE.equals(metadata.architecture())) {
            throw new IllegalArgumentException(checkpoint + " holds a detector; the Dataset's task must be ObjectDetection");
        }
        Classifier classifier = new Classifier(Architecture.parse(metadata.architecture()), metadata.simclrDims(), inputShape(metadata),
                metadata.classes().size(), seed);
        return loadParams(store, checkpoint, classifier, classifier::load);
    }

    /** Rebuilds the detector a checkpoint describes and loads its parameters. */
    public static Detector loadDetector(ArtifactStore store, URI checkpoint, ModelMetadata metadata, long seed) {
        if (!Detector.ARCHITECTURE.equals(metadata.architecture())) {
            throw new IllegalArgumentException(checkpoint + " holds a " + metadata.architecture()
                    + " classifier, not a detector; the Dataset's task must be Classification");
        }
        Detector detector = new Detector(inputShape(metadata), metadata.classes().size(), seed);
        return loadParams(store, checkpoint, detector, detector::load);
    }

    static ImageShape inputShape(ModelMetadata metadata) {
        var shape = metadata.inputShape();
        return new ImageShape(shape.get(0), shape.get(1), shape.get(2));
    }

    interface ParamsReader {
        void read(InputStream in) throws IOException;
    }

    private static <T extends AutoCloseable> T loadParams(ArtifactStore store, URI checkpoint, T model, ParamsReader reader) {
        return readParams(store, Uris.resolve(directory(checkpoint), PARAMS), model, reader);
    }

    /** Reads {@code params} into {@code model}; on any failure closes the model and says which file did not fit. */
    static <T extends AutoCloseable> T readParams(ArtifactStore store, URI params, T model, ParamsReader reader) {
        try (InputStream in = store.open(params)) {
            reader.read(in);
        } catch (IOException | RuntimeException e) {
            try {
                model.close();
            } catch (Exception ignored) {
                // the load failure is the one to report
            }
            if (e instanceof IOException io) {
                throw new StorageException("cannot load " + params + ": " + e.getMessage(), io);
            }
            throw (RuntimeException) e;
        }
        return model;
    }
}
