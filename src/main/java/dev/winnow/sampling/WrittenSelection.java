package dev.winnow.sampling;

import java.nio.file.Path;

/**
 * The files a selection was written to, with what a step reports in its termination message.
 *
 * @param preAnnotations COCO JSON file or KITTI directory for detections, else null
 * @param sha256         hex digest of selection.jsonl
 */
public record WrittenSelection(Path selection, Path labelRequest, Path preAnnotations, int count, String sha256) {
}
