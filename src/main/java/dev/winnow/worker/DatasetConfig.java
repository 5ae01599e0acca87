package dev.winnow.worker;

import java.net.URI;
import java.util.List;

import dev.winnow.contract.LabelFormat;
import dev.winnow.contract.SourceFormat;
import dev.winnow.contract.Task;
import dev.winnow.contract.Variables;
import dev.winnow.storage.ArtifactStore;
import dev.winnow.worker.data.ClassList;
import dev.winnow.worker.data.ImageSource;
import dev.winnow.worker.data.LabelReader;
import dev.winnow.worker.data.LabelSet;

/** The dataset a step works on, from the contract's {@code WINNOW_DATASET_*} and {@code WINNOW_LABELS_*}. */
final class DatasetConfig {

    private final StepEnvironment env;
    private final Task task;
    private final ClassList classes;

    private DatasetConfig(StepEnvironment env) {
        this.env = env;
        this.task = env.enumValue(Variables.TASK, Task.class, Task.Classification);
        List<String> names = env.list(Variables.CLASSES);
        if (names.isEmpty()) {
            throw new StepException(Variables.CLASSES + " is required: the class names, comma-separated");
        }
        try {
            this.classes = new ClassList(names);
        } catch (IllegalArgumentException e) {
            throw new StepException(e.getMessage());
        }
    }

    static DatasetConfig from(StepEnvironment env) {
        return new DatasetConfig(env);
    }

    Task task() {
        return task;
    }

    ClassList classes() {
        return classes;
    }

    ImageSource openSource(ArtifactStore store) {
        SourceFormat format = env.enumValue(Variables.DATASET_FORMAT, SourceFormat.class, null);
        URI uri = env.uri(Variables.DATASET_URI);
        int size = env.intValue(Variables.IMAGE_SIZE, 64);
        if (size < 8 || size > 1024) {
            throw new StepException(Variables.IMAGE_SIZE + " must be between 8 and 1024, got " + size);
        }
        return ImageSource.open(format, uri, store, classes, size);
    }

    LabelFormat labelsFormat() {
        return env.enumValue(Variables.LABELS_FORMAT, LabelFormat.class, LabelFormat.Jsonl);
    }

    URI labelsUri() {
        return env.uri(Variables.LABELS_URI);
    }

    LabelSet readLabels(ArtifactStore store) {
        return LabelReader.of(labelsFormat()).read(store, labelsUri(), classes, task);
    }
}
