package dev.winnow.worker.data;

import java.net.URI;

import dev.winnow.storage.Uris;

/**
 * {@code Yolo} labels: a directory of {@code <id>.txt} files, lines {@code class cx cy w h} with a
 * class index and coordinates as fractions of the image size (kept as fractions in {@link Box}; the
 * set says so, and {@link LabelSet#pixelBoxes} turns them into pixels).
 * A {@code classes.txt} file, as labeling tools write it, is not a label file.
 */
public final class YoloLabels extends BoxFileLabels {

    @Override
    boolean boxesInFractions() {
        return true;
    }

    @Override
    boolean isLabelFile(URI file) {
        return !Uris.fileName(file).equals("classes.txt");
    }

    @Override
    Box parseLine(String[] f, String where, ClassList classes) {
        if (f.length < 5) {
            throw new IllegalArgumentException(where + ": a YOLO object needs 'class cx cy w h'");
        }
        int label = classes.require(f[0], where);
        try {
            double cx = Double.parseDouble(f[1]);
            double cy = Double.parseDouble(f[2]);
            double w = Double.parseDouble(f[3]);
            double h = Double.parseDouble(f[4]);
            return new Box(label, cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + ": bad number");
        }
    }
}
