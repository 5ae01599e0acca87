package dev.winnow.worker.model;

import java.util.Locale;

/** {@code WINNOW_MODEL}: the reference networks. */
public enum Architecture {
    /** Two conv blocks and a 128-unit embedding: fast on CPU, good for MNIST-sized images. */
    CNN,
    /** ResNet-18 layout (four stages of two basic blocks) adapted to small images. */
    RESNET18;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Architecture parse(String value) {
        for (Architecture a : values()) {
            if (a.id().equalsIgnoreCase(value.trim())) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown model '" + value + "' (want cnn or resnet18)");
    }
}
