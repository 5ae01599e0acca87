package dev.winnow.worker.data;

import java.net.URI;

import dev.winnow.contract.LabelFormat;
import dev.winnow.contract.Task;
import dev.winnow.storage.ArtifactStore;

/** Reads a label store of one format. A store that does not exist yet holds no labels. */
public interface LabelReader {

    LabelSet read(ArtifactStore store, URI uri, ClassList classes, Task task);

    static LabelReader of(LabelFormat format) {
        return switch (format) {
            case Jsonl -> new JsonlLabels();
            case Kitti -> new KittiLabels();
            case Coco -> new CocoLabels();
            case Yolo -> new YoloLabels();
            case LabelStudio -> new LabelStudioLabels();
            case Cvat -> new CvatLabels();
        };
    }

    /**
     * The class of an image from its boxes, for classification from detection-style labels: the
     * most frequent class, the lower index on a tie; none when there are no boxes.
     */
    static SampleLabel forTask(java.util.List<Box> boxes, ClassList classes, Task task) {
        if (task == Task.ObjectDetection) {
            return SampleLabel.ofBoxes(boxes);
        }
        if (boxes.isEmpty()) {
            return null;
        }
        int[] counts = new int[classes.size()];
        boxes.forEach(b -> counts[b.label()]++);
        int best = 0;
        for (int i = 1; i < counts.length; i++) {
            if (counts[i] > counts[best]) {
                best = i;
            }
        }
        return SampleLabel.ofClass(best);
    }
}
