package dev.winnow.worker.data;

/**
 * {@code Kitti} labels: a directory of {@code <id>.txt} files, one object a line:
 * {@code type truncated occluded alpha x1 y1 x2 y2 h w l x y z ry [score]}. Types that are not
 * among the classes ({@code DontCare}, {@code Misc}) are skipped, as KITTI tools do; an empty
 * file labels an image as having no objects.
 */
public final class KittiLabels extends BoxFileLabels {

    @Override
    Box parseLine(String[] f, String where, ClassList classes) {
        if (f.length < 8) {
            throw new IllegalArgumentException(where + ": a KITTI object needs at least 8 fields, got " + f.length);
        }
        var label = classes.find(f[0]);
        if (label.isEmpty()) {
            return null;
        }
        try {
            return new Box(label.getAsInt(), Double.parseDouble(f[4]), Double.parseDouble(f[5]),
                    Double.parseDouble(f[6]), Double.parseDouble(f[7]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + ": bad number in bbox");
        }
    }
}
