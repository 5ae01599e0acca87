package dev.winnow.worker.model;

import java.util.Locale;

/** {@code WINNOW_MODEL}: the reference networks. */
public enum Architecture {
    /** Two conv blocks and a 128-unit embedding: fast on CPU, good for MNIST-sized images. */
    CNN,
    /** ResNet-18 layout (four stages of two basic blocks) adapted to small images. */
    RESNET18,
    /**
     * The embed step's SimCLR encoder ({@link SimClr#encoder}) as the feature extractor under a new head: the layout a
     * classifier needs to start from that encoder's weights ({@code WINNOW_BACKBONE}).
     */
    SIMCLR;

    /** The feature width of {@link #SIMCLR} when nothing says otherwise (the embed step's default dims). */
    public static final int DEFAULT_SIMCLR_DIMS = 64;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Architecture parse(String value) {
        for (Architecture a : values()) {
            if (a.id().equalsIgnoreCase(value.trim())) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown model '" + value + "' (want cnn, resnet18 or simclr)");
    }
}
