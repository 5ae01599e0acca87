package dev.winnow.sampling.io;

import java.util.List;

/**
 * Boxes per pool row, aligned with the pool's ids; an image with no detections has an empty
 * list.
 *
 * @param format "jsonl" or "kitti", so pre-annotations can be written back in the same family
 */
public record Detections(String source, String format, List<List<Box>> boxes) {
    public List<Box> of(int row) {
        return boxes.get(row);
    }
}
