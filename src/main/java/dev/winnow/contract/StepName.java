package dev.winnow.contract;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The steps of the contract: the value of {@code WINNOW_STEP}, the worker's subcommand and the Jobs' step label. */
public enum StepName {
    INDEX, EMBED, PREPARE, TRAIN, INFER, SELECT, AWAIT_LABELS;

    /** {@code index}, ..., {@code await-labels}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Optional<StepName> of(String id) {
        return Arrays.stream(values()).filter(s -> s.id().equals(id)).findFirst();
    }

    @Override
    public String toString() {
        return id();
    }
}
