package dev.winnow.worker.data;

import java.util.Locale;

/** Writes one KITTI object line: 2-D box in pixels, the 3-D fields zeroed, and TAO's confidence column when given. */
public final class KittiLine {

    private KittiLine() {
    }

    /** The 15 KITTI fields: type, truncation, occlusion, alpha, left top right bottom, then seven zeroed 3-D fields. */
    public static String of(String type, double left, double top, double right, double bottom) {
        return String.format(Locale.ROOT, "%s 0.00 0 0.00 %.2f %.2f %.2f %.2f 0.00 0.00 0.00 0.00 0.00 0.00 0.00\n",
                type, left, top, right, bottom);
    }

    /** The 15 fields plus the confidence as the 16th, as TAO's inference writes them. */
    public static String withScore(String type, double left, double top, double right, double bottom, double score) {
        String line = of(type, left, top, right, bottom);
        return line.substring(0, line.length() - 1)
                + String.format(Locale.ROOT, " %.4f\n", score);
    }
}
