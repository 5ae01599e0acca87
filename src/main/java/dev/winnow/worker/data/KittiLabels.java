package dev.winnow.worker.data;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import dev.winnow.storage.ArtifactStore;
import dev.winnow.storage.Uris;

/**
 * {@code Kitti} labels: a directory of {@code <id>.txt} files, one object a line:
 * {@code type truncated occluded alpha x1 y1 x2 y2 h w l x y z ry [score]}. Types that are not
 * among the classes ({@code DontCare}, {@code Misc}) are skipped, as KITTI tools do; an empty
 * file labels an image as having no objects.
 */
public final class KittiLabels implements LabelReader {

    @Override
    public LabelSet read(ArtifactStore store, URI uri, ClassList classes, Task task) {
        URI dir = Uris.asDirectory(uri);
        LabelSet labels = new LabelSet();
        for (URI file : LabelFiles.find(store, dir, ".txt")) {
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
            if (f.length < 8) {
                throw new IllegalArgumentException(file + " line " + (n + 1)
                        + ": a KITTI object needs at least 8 fields, got " + f.length);
            }
            var label = classes.find(f[0]);
            if (label.isEmpty()) {
                continue;
            }
            try {
                boxes.add(new Box(label.getAsInt(), Double.parseDouble(f[4]), Double.parseDouble(f[5]),
                        Double.parseDouble(f[6]), Double.parseDouble(f[7])));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(file + " line " + (n + 1) + ": bad number in bbox");
            }
        }
        return boxes;
    }
}
