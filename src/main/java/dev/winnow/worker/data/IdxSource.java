package dev.winnow.worker.data;

import java.io.IOException;
import java.net.URI;
import java.util.AbstractList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.winnow.storage.ArtifactStore;
import dev.winnow.storage.StorageException;
import dev.winnow.storage.StoredObject;
import dev.winnow.storage.Uris;

/**
 * An {@code Idx} dataset: a directory with {@code train-images-idx3-ubyte}, {@code train-labels-
 * idx1-ubyte}, {@code t10k-images-idx3-ubyte} and {@code t10k-labels-idx1-ubyte}, each optionally
 * {@code .gz}. Ids are {@code train-<i>} (the pool) and {@code test-<i>} (held out). The label
 * files are ground truth: for evaluation and the simulated oracle, never for training.
 */
public final class IdxSource implements ImageSource {

    private static final Pattern FILE = Pattern.compile("(train|t10k)-(images|labels)[-.]idx[13]-ubyte(\\.gz)?");
    private static final Pattern ID = Pattern.compile("(train|test)-(\\d+)");

    private final ArtifactStore store;
    private final URI trainImages;
    private final URI trainLabels;
    private final URI testImages;
    private final URI testLabels;
    private final int trainCount;
    private final int testCount;
    private final ImageShape shape;
    private IdxFile trainImageData;
    private IdxFile testImageData;
    private IdxFile trainLabelData;
    private IdxFile testLabelData;

    private IdxSource(ArtifactStore store, URI[] files) throws IOException {
        this.store = store;
        this.trainImages = files[0];
        this.trainLabels = files[1];
        this.testImages = files[2];
        this.testLabels = files[3];
        // counts and sizes come from the headers; the pixels load on first read()
        int[] train = IdxFile.dims(store.stage(trainImages), IdxFile.IMAGES_MAGIC);
        int[] test = IdxFile.dims(store.stage(testImages), IdxFile.IMAGES_MAGIC);
        if (train.length != 3 || test.length != 3 || train[1] != test[1] || train[2] != test[2]) {
            throw new IOException("train and t10k images must both be [n, rows, cols] of one size");
        }
        this.trainCount = train[0];
        this.testCount = test[0];
        this.shape = new ImageShape(1, train[1], train[2]);
    }

    public static IdxSource open(ArtifactStore store, URI directory) {
        URI dir = Uris.asDirectory(directory);
        URI[] files = new URI[4];
        for (StoredObject object : store.list(dir)) {
            Matcher m = FILE.matcher(object.name());
            if (m.matches() && Uris.parent(object.uri()).equals(dir)) {
                int slot = (m.group(1).equals("train") ? 0 : 2) + (m.group(2).equals("images") ? 0 : 1);
                files[slot] = object.uri();
            }
        }
        String[] names = {"train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"};
        for (int i = 0; i < 4; i++) {
            if (files[i] == null) {
                throw new IllegalArgumentException("Idx dataset " + dir + " has no " + names[i] + "[.gz]");
            }
        }
        try {
            return new IdxSource(store, files);
        } catch (IOException e) {
            throw new StorageException("cannot read Idx dataset " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public ImageShape shape() {
        return shape;
    }

    @Override
    public List<String> poolIds() {
        return ids("train-", trainCount);
    }

    @Override
    public List<String> heldOutIds() {
        return ids("test-", testCount);
    }

    private static List<String> ids(String prefix, int count) {
        return new AbstractList<>() {
            @Override
            public String get(int index) {
                return prefix + index;
            }

            @Override
            public int size() {
                return count;
            }
        };
    }

    @Override
    public Optional<URI> uriOf(String id) {
        return Optional.empty();
    }

    @Override
    public void read(String id, float[] dst, int offset) {
        Matcher m = parse(id);
        IdxFile images = m.group(1).equals("train") ? trainImages() : testImages();
        int index = Integer.parseInt(m.group(2));
        int size = shape.size();
        int from = index * size;
        for (int i = 0; i < size; i++) {
            dst[offset + i] = (images.data[from + i] & 0xff) / 255f;
        }
    }

    @Override
    public OptionalInt groundTruth(String id) {
        Matcher m = parse(id);
        IdxFile labels = m.group(1).equals("train") ? trainLabels() : testLabels();
        return OptionalInt.of(labels.data[Integer.parseInt(m.group(2))] & 0xff);
    }

    private Matcher parse(String id) {
        Matcher m = ID.matcher(id);
        if (!m.matches()) {
            throw ImageSource.unknownId(id);
        }
        int index;
        try {
            index = Integer.parseInt(m.group(2));
        } catch (NumberFormatException e) {
            throw ImageSource.unknownId(id);
        }
        if (index >= (m.group(1).equals("train") ? trainCount : testCount)) {
            throw ImageSource.unknownId(id);
        }
        return m;
    }

    private synchronized IdxFile trainImages() {
        if (trainImageData == null) {
            trainImageData = load(trainImages, IdxFile.IMAGES_MAGIC);
        }
        return trainImageData;
    }

    private synchronized IdxFile testImages() {
        if (testImageData == null) {
            testImageData = load(testImages, IdxFile.IMAGES_MAGIC);
        }
        return testImageData;
    }

    private synchronized IdxFile trainLabels() {
        if (trainLabelData == null) {
            trainLabelData = load(trainLabels, IdxFile.LABELS_MAGIC);
        }
        return trainLabelData;
    }

    private synchronized IdxFile testLabels() {
        if (testLabelData == null) {
            testLabelData = load(testLabels, IdxFile.LABELS_MAGIC);
        }
        return testLabelData;
    }

    private IdxFile load(URI uri, int magic) {
        try {
            return IdxFile.read(store.stage(uri), magic);
        } catch (IOException e) {
            throw new StorageException("cannot read " + uri + ": " + e.getMessage(), e);
        }
    }
}
