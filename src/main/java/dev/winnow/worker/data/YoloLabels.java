package dev.winnow.worker.data;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import dev.winnow.storage.ArtifactStore;
import dev.winnow.storage.Uris;

/**
 * {@code Yolo} labels: a directory of {@code <id>.txt} files, lines {@code class cx cy w h} with a
 * class index and coordinates as fractions of the image size (kept as fractions in {@link Box}).
 * A {@code classes.txt} file, as labeling tools write it, is not a label file.
 */
public final class YoloLabels implements LabelReader {

    @Override
    public LabelSet read(ArtifactStore store, URI uri, ClassList classes, Task task) {
        URI dir = Uris.asDirectory(uri);
        LabelSet labels = new LabelSet();
        for (URI file : LabelFiles.find(store, dir, ".txt")) {
            if (Uris.fileName(file).equals("classes.txt")) {
                continue;
            }
            SampleLabel label = LabelReader.forTask(parse(store.readString(file), file, classes), classes, task);
            if (label != null) {
                labels.put(LabelFiles.idOf(dir, file, ".txt"), label);
            }
        }
        return labels;
    }

    static List<Box> parse(String text, URI file, ClassList classes) {
        List<Box> boxes = new ArrayList<>();
        String[] lines = text.split("\\R");
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n].trim();
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split("\\s+");
            String where = file + " line " + (n + 1);
            if (f.length < 5) {
                throw new IllegalArgumentException(where + ": a YOLO object needs 'class cx cy w h'");
            }
            int label = classes.require(f[0], where);
            try {
                double cx = Double.parseDouble(f[1]);
                double cy = Double.parseDouble(f[2]);
                double w = Double.parseDouble(f[3]);
                double h = Double.parseDouble(f[4]);
                boxes.add(new Box(label, cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(where + ": bad number");
            }
        }
        return boxes;
    }
}
