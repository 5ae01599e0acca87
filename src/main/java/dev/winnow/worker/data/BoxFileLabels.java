package dev.winnow.worker.data;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import dev.winnow.contract.Task;
import dev.winnow.storage.ArtifactStore;
import dev.winnow.storage.Uris;

/**
 * Labels as a directory of {@code <id>.txt} files, one object a line in whitespace-separated
 * fields (KITTI, YOLO). The formats differ only in what a line means, so walking the files and
 * their lines lives here and each format parses one line.
 */
abstract class BoxFileLabels implements LabelReader {

    @Override
    public LabelSet read(ArtifactStore store, URI uri, ClassList classes, Task task) {
        URI dir = Uris.asDirectory(uri);
        LabelSet labels = new LabelSet(boxesInFractions());
        for (URI file : LabelFiles.find(store, dir, ".txt")) {
            if (!isLabelFile(file)) {
                continue;
            }
            SampleLabel label = LabelReader.forTask(parse(store.readString(file), file, classes), classes, task);
            if (label != null) {
                labels.put(LabelFiles.idOf(dir, file, ".txt"), label);
            }
        }
        return labels;
    }

    /** Whether the format's coordinates are fractions of the image size (YOLO) rather than pixels (KITTI). */
    boolean boxesInFractions() {
        return false;
    }

    /** Whether a {@code .txt} file in the directory holds labels; tools leave other files there. */
    boolean isLabelFile(URI file) {
        return true;
    }

    /** The boxes of one label file; blank lines are skipped. */
    List<Box> parse(String text, URI file, ClassList classes) {
        List<Box> boxes = new ArrayList<>();
        String[] lines = text.split("\\R");
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n].trim();
            if (line.isEmpty()) {
                continue;
            }
            Box box = parseLine(line.split("\\s+"), file + " line " + (n + 1), classes);
            if (box != null) {
                boxes.add(box);
            }
        }
        return boxes;
    }

    /**
     * The box one line's fields describe, or null for an object the format says to skip;
     * {@code where} names the file and line for errors.
     */
    abstract Box parseLine(String[] fields, String where, ClassList classes);
}
