package dev.winnow.worker.model;

import java.util.List;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;

/**
 * A small CenterNet-style single-stage detector: five conv layers down to a quarter of the input (the
 * last two dilated, so a cell sees about the whole item), then two 1x1 heads on that grid: a heatmap of
 * object centres per class and, per cell, the box size and the centre's offset inside the cell.
 * {@code backbone} alone gives the features whose global average is the image's embedding.
 */
public record DetectorNetwork(SequentialBlock backbone, ParallelBlock heads, SequentialBlock whole) {

    /** The grid is the input divided by this. */
    public static final int STRIDE = 4;
    /** Box head channels: width and height in cells, then the centre's x and y offset in its cell. */
    static final int BOX_CHANNELS = 4;
    static final int WIDTH = 48;

    public static DetectorNetwork build(int classes) {
        // about 16 M multiply-adds per 64x64 image: a training epoch on a few hundred images takes seconds on two cores
        SequentialBlock backbone = new SequentialBlock()
                .add(conv(16, 2, 1)).add(BatchNorm.builder().build()).add(Activation::relu)
                .add(conv(32, 2, 1)).add(BatchNorm.builder().build()).add(Activation::relu)
                .add(conv(WIDTH, 1, 1)).add(BatchNorm.builder().build()).add(Activation::relu)
                .add(conv(WIDTH, 1, 2)).add(BatchNorm.builder().build()).add(Activation::relu)
                .add(conv(WIDTH, 1, 4)).add(BatchNorm.builder().build()).add(Activation::relu);
        ParallelBlock heads = new ParallelBlock(outputs -> new NDList(outputs.get(0).singletonOrThrow(),
                outputs.get(1).singletonOrThrow()), List.of(head(classes), head(BOX_CHANNELS)));
        return new DetectorNetwork(backbone, heads, new SequentialBlock().add(backbone).add(heads));
    }

    private static SequentialBlock head(int outputs) {
        return new SequentialBlock().add(Conv2d.builder().setFilters(outputs).setKernelShape(new Shape(1, 1)).build());
    }

    private static Conv2d conv(int filters, int stride, int dilation) {
        return Conv2d.builder().setFilters(filters).setKernelShape(new Shape(3, 3))
                .optStride(new Shape(stride, stride)).optPadding(new Shape(dilation, dilation))
                .optDilation(new Shape(dilation, dilation)).build();
    }
}
