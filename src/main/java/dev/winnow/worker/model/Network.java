package dev.winnow.worker.model;

import java.util.Arrays;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;
import ai.djl.ndarray.types.Shape;

/**
 * A classifier split in two: {@code features} maps an image to its embedding (the penultimate
 * layer, written as {@code embeddings.npy}) and {@code head} is dropout plus the output layer.
 * The split lets inference reuse one embedding for the probabilities and for the T stochastic
 * passes of MC dropout (head in training mode, so dropout is active).
 */
public record Network(Architecture architecture, SequentialBlock features, SequentialBlock head,
                      SequentialBlock whole) {

    static final float DROPOUT = 0.5f;

    public static Network build(Architecture architecture, int classes) {
        return build(architecture, classes, Architecture.DEFAULT_SIMCLR_DIMS);
    }

    /** @param simclrDims the feature width of {@link Architecture#SIMCLR} (the encoder's dims); unused by the others */
    public static Network build(Architecture architecture, int classes, int simclrDims) {
        SequentialBlock features = switch (architecture) {
            case CNN -> cnnFeatures();
            case RESNET18 -> resnet18Features();
            case SIMCLR -> SimClr.encoder(simclrDims);
        };
        SequentialBlock head = new SequentialBlock()
                .add(Dropout.builder().optRate(DROPOUT).build())
                .add(Linear.builder().setUnits(classes).build());
        SequentialBlock whole = new SequentialBlock().add(features).add(head);
        return new Network(architecture, features, head, whole);
    }

    private static SequentialBlock cnnFeatures() {
        return new SequentialBlock()
                .add(conv(16, 1)).add(BatchNorm.builder().build()).add(Activation::relu)
                .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                .add(conv(32, 1)).add(BatchNorm.builder().build()).add(Activation::relu)
                .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(128).build()).add(Activation::relu);
    }

    /** ResNet-18 with a 3x3 stem and no initial pooling, as usual for 28-64 pixel images. */
    private static SequentialBlock resnet18Features() {
        SequentialBlock net = new SequentialBlock()
                .add(conv(64, 1)).add(BatchNorm.builder().build()).add(Activation::relu);
        int[] widths = {64, 128, 256, 512};
        int in = 64;
        for (int stage = 0; stage < widths.length; stage++) {
            for (int block = 0; block < 2; block++) {
                int stride = stage > 0 && block == 0 ? 2 : 1;
                net.add(basicBlock(widths[stage], stride, in != widths[stage] || stride != 1));
                in = widths[stage];
            }
        }
        return net.add(Pool.globalAvgPool2dBlock()).add(Blocks.batchFlattenBlock());
    }

    private static Block basicBlock(int width, int stride, boolean project) {
        SequentialBlock main = new SequentialBlock()
                .add(conv(width, stride)).add(BatchNorm.builder().build()).add(Activation::relu)
                .add(conv(width, 1)).add(BatchNorm.builder().build());
        Block shortcut = project
                ? new SequentialBlock()
                        .add(Conv2d.builder().setFilters(width).setKernelShape(new Shape(1, 1))
                                .optStride(new Shape(stride, stride)).optBias(false).build())
                        .add(BatchNorm.builder().build())
                : Blocks.identityBlock();
        return new SequentialBlock()
                .add(new ParallelBlock(list -> {
                    NDArray sum = list.get(0).singletonOrThrow().add(list.get(1).singletonOrThrow());
                    return new NDList(sum);
                }, Arrays.asList(main, shortcut)))
                .add(Activation::relu);
    }

    private static Conv2d conv(int filters, int stride) {
        return Conv2d.builder().setFilters(filters).setKernelShape(new Shape(3, 3))
                .optStride(new Shape(stride, stride)).optPadding(new Shape(1, 1)).build();
    }
}
