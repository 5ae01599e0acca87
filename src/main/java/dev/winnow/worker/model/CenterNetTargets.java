package dev.winnow.worker.model;

import java.util.List;

import dev.winnow.worker.data.Box;

/**
 * The training targets of one batch on a {@code grid} x {@code grid} map, from boxes in input pixels:
 * per class a heatmap with a Gaussian around each object's centre cell (exactly 1 at the cell), and at
 * each centre cell the box size in cells and the centre's offset in the cell, with a mask of those cells.
 * Arrays are flat, [n, C, g, g], [n, 4, g, g] and [n, 1, g, g].
 */
record CenterNetTargets(float[] heat, float[] box, float[] mask, int objects) {

    static CenterNetTargets of(List<List<Box>> boxes, int classes, int grid, int stride) {
        int n = boxes.size();
        int plane = grid * grid;
        float[] heat = new float[n * classes * plane];
        float[] box = new float[n * DetectorNetwork.BOX_CHANNELS * plane];
        float[] mask = new float[n * plane];
        int objects = 0;
        for (int i = 0; i < n; i++) {
            for (Box b : boxes.get(i)) {
                double w = (b.x2() - b.x1()) / stride;
                double h = (b.y2() - b.y1()) / stride;
                double cx = (b.x1() + b.x2()) / 2 / stride;
                double cy = (b.y1() + b.y2()) / 2 / stride;
                int x = Math.min(grid - 1, Math.max(0, (int) cx));
                int y = Math.min(grid - 1, Math.max(0, (int) cy));
                if (w <= 0 || h <= 0) {
                    continue;
                }
                splat(heat, (i * classes + b.label()) * plane, grid, x, y, Math.max(0.7, Math.sqrt(w * h) / 6));
                int base = i * DetectorNetwork.BOX_CHANNELS * plane + y * grid + x;
                box[base] = (float) w;
                box[base + plane] = (float) h;
                box[base + 2 * plane] = (float) (cx - x);
                box[base + 3 * plane] = (float) (cy - y);
                mask[i * plane + y * grid + x] = 1;
                objects++;
            }
        }
        return new CenterNetTargets(heat, box, mask, objects);
    }

    /** A Gaussian of the given sigma (in cells) at (x, y), kept at the maximum where two overlap. */
    private static void splat(float[] heat, int offset, int grid, int x, int y, double sigma) {
        int radius = (int) Math.ceil(3 * sigma);
        for (int dy = -radius; dy <= radius; dy++) {
            for (int dx = -radius; dx <= radius; dx++) {
                int px = x + dx;
                int py = y + dy;
                if (px < 0 || py < 0 || px >= grid || py >= grid) {
                    continue;
                }
                float v = (float) Math.exp(-(dx * dx + dy * dy) / (2 * sigma * sigma));
                int at = offset + py * grid + px;
                heat[at] = Math.max(heat[at], v);
            }
        }
    }
}
