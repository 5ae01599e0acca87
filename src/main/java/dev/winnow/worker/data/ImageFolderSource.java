package dev.winnow.worker.data;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import dev.winnow.storage.ArtifactStore;
import dev.winnow.storage.StoredObject;
import dev.winnow.storage.Uris;

/**
 * An {@code ImageFolder} dataset: PNG/JPEG files under a directory, flat or one folder per class.
 * A sample's id is its path under the directory without the extension ({@code trouser/0001}), so
 * KITTI or YOLO label files named {@code <id>.txt} match it. When every image sits in a folder
 * named after a class, the folder is ground truth (for the simulated oracle), never a training label.
 * Images under a top-level {@code test/} folder are held out: never in the pool, the train step
 * evaluates on them with their labels from the labels store ({@code <labels>/test/<name>.txt} for
 * KITTI), as {@code winnow dataset fashion-detection} lays them out.
 */
public final class ImageFolderSource extends ImageFileSource {

    /** The folder of held-out images. */
    public static final String TEST_FOLDER = "test/";

    private final Map<String, Integer> folderClasses;
    private final List<String> pool;
    private final List<String> heldOut;

    private ImageFolderSource(ArtifactStore store, Map<String, URI> images, Map<String, Integer> folderClasses,
                              int size) {
        super(store, images, size);
        this.folderClasses = folderClasses;
        this.pool = images.keySet().stream().filter(id -> !id.startsWith(TEST_FOLDER)).toList();
        this.heldOut = images.keySet().stream().filter(id -> id.startsWith(TEST_FOLDER)).toList();
    }

    public static ImageFolderSource open(ArtifactStore store, URI directory, ClassList classes, int size) {
        URI dir = Uris.asDirectory(directory);
        Map<String, URI> images = new LinkedHashMap<>();
        for (StoredObject object : store.list(dir)) {
            String relative = Uris.relativize(dir, object.uri());
            if (relative.matches("(?i).*\\.(png|jpe?g)$")) {
                String id = LabelFiles.stripImageExtension(relative);
                if (images.put(id, object.uri()) != null) {
                    throw new IllegalArgumentException("two images with the id '" + id + "' in " + dir);
                }
            }
        }
        if (images.keySet().stream().allMatch(id -> id.startsWith(TEST_FOLDER))) {
            throw new IllegalArgumentException("no PNG or JPEG images under " + dir
                    + (images.isEmpty() ? "" : " outside its held-out " + TEST_FOLDER + " folder"));
        }
        return new ImageFolderSource(store, images, folderClasses(images.keySet().stream()
                .filter(id -> !id.startsWith(TEST_FOLDER)).toList(), classes), size);
    }

    /** Classes from folder names, or none unless every image is in a class-named folder. */
    private static Map<String, Integer> folderClasses(Iterable<String> ids, ClassList classes) {
        Map<String, Integer> found = new LinkedHashMap<>();
        for (String id : ids) {
            int slash = id.indexOf('/');
            if (slash < 0 || id.indexOf('/', slash + 1) >= 0) {
                return Map.of();
            }
            OptionalInt label = classes.find(id.substring(0, slash));
            if (label.isEmpty()) {
                return Map.of();
            }
            found.put(id, label.getAsInt());
        }
        return found;
    }

    @Override
    public List<String> poolIds() {
        return pool;
    }

    @Override
    public List<String> heldOutIds() {
        return heldOut;
    }

    @Override
    public OptionalInt groundTruth(String id) {
        Integer label = folderClasses.get(id);
        return label == null ? OptionalInt.empty() : OptionalInt.of(label);
    }
}
