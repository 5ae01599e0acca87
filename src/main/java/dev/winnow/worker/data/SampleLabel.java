package dev.winnow.worker.data;

import java.util.List;

/**
 * The label of one sample: a class index for classification, boxes for detection. A detection
 * sample with no boxes is labeled ("nothing here"), which is different from having no label.
 */
public record SampleLabel(int label, List<Box> boxes) {

    public static final int NONE = -1;

    public static SampleLabel ofClass(int label) {
        return new SampleLabel(label, List.of());
    }

    public static SampleLabel ofBoxes(List<Box> boxes) {
        return new SampleLabel(NONE, List.copyOf(boxes));
    }

    public boolean hasClass() {
        return label != NONE;
    }
}
