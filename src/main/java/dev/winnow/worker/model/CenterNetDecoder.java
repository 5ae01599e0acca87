package dev.winnow.worker.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Boxes from one image's heads: a cell is an object's centre when its best class score is at least
 * that of its eight neighbours (the 3x3 max-pool of CenterNet, taken over all classes so one object
 * gives one box with a distribution over classes, not a box per class). The box is the cell plus its
 * offset, sized by the size head; its probabilities are the cell's class scores normalised to sum 1.
 */
final class CenterNetDecoder {

    private CenterNetDecoder() {
    }

    /**
     * @param heat [C, g, g] heatmap probabilities
     * @param box  [4, g, g] size and offset
     * @return at most {@code max} detections scoring at least {@code minScore}, best first, in input pixels
     */
    static List<Detection> decode(float[] heat, float[] box, int classes, int grid, int stride, double minScore,
                                  int max) {
        int plane = grid * grid;
        float[] best = new float[plane];
        int[] label = new int[plane];
        for (int cell = 0; cell < plane; cell++) {
            for (int c = 0; c < classes; c++) {
                float v = heat[c * plane + cell];
                if (c == 0 || v > best[cell]) {
                    best[cell] = v;
                    label[cell] = c;
                }
            }
        }
        List<Detection> found = new ArrayList<>();
        for (int y = 0; y < grid; y++) {
            for (int x = 0; x < grid; x++) {
                int cell = y * grid + x;
                if (best[cell] < minScore || !isPeak(best, grid, x, y)) {
                    continue;
                }
                double w = Math.max(box[cell], 0.25) * stride;
                double h = Math.max(box[plane + cell], 0.25) * stride;
                double cx = (x + box[2 * plane + cell]) * stride;
                double cy = (y + box[3 * plane + cell]) * stride;
                float[] probs = new float[classes];
                float sum = 0;
                for (int c = 0; c < classes; c++) {
                    probs[c] = heat[c * plane + cell];
                    sum += probs[c];
                }
                for (int c = 0; c < classes; c++) {
                    probs[c] /= sum;
                }
                found.add(new Detection(label[cell], best[cell], probs, cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2));
            }
        }
        found.sort(Comparator.comparingDouble(Detection::score).reversed());
        return found.size() > max ? List.copyOf(found.subList(0, max)) : found;
    }

    private static boolean isPeak(float[] best, int grid, int x, int y) {
        float v = best[y * grid + x];
        for (int dy = -1; dy <= 1; dy++) {
            for (int dx = -1; dx <= 1; dx++) {
                int px = x + dx;
                int py = y + dy;
                if ((dx != 0 || dy != 0) && px >= 0 && py >= 0 && px < grid && py < grid) {
                    float n = best[py * grid + px];
                    // ties go to the first cell in reading order, so a plateau gives one box
                    if (n > v || (n == v && (dy < 0 || (dy == 0 && dx < 0)))) {
                        return false;
                    }
                }
            }
        }
        return true;
    }
}
