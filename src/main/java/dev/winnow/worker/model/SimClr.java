package dev.winnow.worker.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;

import org.jboss.logging.Logger;

import dev.winnow.worker.data.ImageShape;

/**
 * A self-supervised image encoder trained as in SimCLR (Chen et al., 2020): two random views of each image
 * pass through the encoder and a small projection head, and the NT-Xent loss pulls each pair together against
 * every other image of the batch. No labels. The embedding is the encoder's output (before the projection
 * head, as in the paper). SimCLR rather than SimSiam or BYOL: with a few epochs and small batches on a CPU
 * it cannot collapse to a constant (the negatives forbid it), and its loss falling is a real signal.
 */
public final class SimClr implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SimClr.class);
    private static final Loss CROSS_ENTROPY = Loss.softmaxCrossEntropyLoss();

    private final ImageShape shape;
    private final SequentialBlock encoder;
    private final int dims;
    private final SequentialBlock whole;
    private final Model model;

    /** Training hyper-parameters; the temperature scales the cosine similarities of NT-Xent. */
    public record Options(int epochs, int batchSize, float learningRate, float temperature, long seed) {
    }

    public SimClr(ImageShape shape, int dims, long seed) {
        Engine engine = Djl.engine();
        engine.setRandomSeed((int) seed);
        this.shape = shape;
        this.dims = dims;
        this.encoder = encoder(dims);
        SequentialBlock projection = new SequentialBlock().add(Activation::relu).add(Linear.builder().setUnits(dims).build());
        this.whole = new SequentialBlock().add(encoder).add(projection);
        Device device = Djl.device();
        this.model = Model.newInstance("winnow-simclr", device);
        model.setBlock(whole);
        whole.initialize(model.getNDManager(), DataType.FLOAT32, inputShape(2));
    }

    /**
     * The encoder's layers, in one place: the embed step trains them here, and a classifier that starts from this
     * encoder as its backbone ({@link Architecture#SIMCLR}) builds the same layers to load its weights into.
     */
    static SequentialBlock encoder(int dims) {
        return new SequentialBlock()
                .add(conv(16)).add(BatchNorm.builder().build()).add(Activation::relu)
                .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                .add(conv(32)).add(BatchNorm.builder().build()).add(Activation::relu)
                .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                .add(conv(64)).add(BatchNorm.builder().build()).add(Activation::relu)
                // a coarse grid rather than one global average: where things are matters in centred images
                .add(Pool.avgPool2dBlock(new Shape(2, 2), new Shape(2, 2))).add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(dims).build());
    }

    /** Writes the encoder's parameters (not the projection head's): what {@link Backbone} loads into a classifier. */
    public void saveEncoder(java.io.OutputStream out) throws java.io.IOException {
        java.io.DataOutputStream data = new java.io.DataOutputStream(out);
        encoder.saveParameters(data);
        data.flush();
    }

    /** The embedding width. */
    public int dims() {
        return dims;
    }

    /**
     * Trains on {@code n} images ({@code pixels} is [n, c, h, w] flattened).
     *
     * @return the mean NT-Xent loss of each epoch
     */
    public List<Double> fit(float[] pixels, int n, Options options) {
        int batch = Math.min(options.batchSize(), n);
        if (batch < 2) {
            throw new IllegalArgumentException("contrastive training needs at least 2 images, got " + n);
        }
        var config = new DefaultTrainingConfig(Loss.l2Loss()) // unused: the loss below is NT-Xent
                .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(options.learningRate())).build())
                .optDevices(new Device[] {model.getNDManager().getDevice()});
        Random random = new Random(options.seed());
        Augmentations augment = new Augmentations(shape);
        int size = shape.size();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        List<Double> losses = new ArrayList<>();
        try (Trainer trainer = model.newTrainer(config)) {
            trainer.initialize(inputShape(2 * batch));
            for (int epoch = 0; epoch < options.epochs(); epoch++) {
                Epochs.shuffle(order, random);
                double total = 0;
                int seen = 0;
                // the last, short batch is dropped: NT-Xent's value depends on the batch size
                for (int from = 0; from + batch <= n; from += batch) {
                    float[] views = new float[2 * batch * size];
                    for (int i = 0; i < batch; i++) {
                        augment.view(pixels, order[from + i] * size, views, i * size, random);
                        augment.view(pixels, order[from + i] * size, views, (batch + i) * size, random);
                    }
                    try (NDManager manager = trainer.getManager().newSubManager()) {
                        NDList input = new NDList(manager.create(views, inputShape(2 * batch)));
                        try (GradientCollector collector = trainer.newGradientCollector()) {
                            NDArray z = trainer.forward(input).singletonOrThrow();
                            NDArray loss = ntXent(manager, z, batch, options.temperature());
                            collector.backward(loss);
                            total += loss.getFloat() * batch;
                            seen += batch;
                        }
                        trainer.step();
                    }
                }
                if (!Double.isFinite(total)) {
                    // never hand on embeddings of a diverged network as if they meant something
                    throw new IllegalStateException("contrastive training diverged in epoch " + (epoch + 1)
                            + " (loss " + total / seen + "); try a lower learning rate");
                }
                losses.add(total / seen);
                LOG.infof("epoch %d/%d: NT-Xent loss %.4f", epoch + 1, options.epochs(), total / seen);
            }
        }
        return losses;
    }

    /**
     * NT-Xent over 2b projections where rows i and b + i are the two views of one image: for each row, the
     * cross-entropy of picking its partner among the other 2b - 1 rows by cosine similarity / temperature.
     */
    static NDArray ntXent(NDManager manager, NDArray z, int b, float temperature) {
        // eps inside the root: the root's gradient at a zero vector would be infinite
        NDArray unit = z.div(z.pow(2).sum(new int[] {1}, true).add(1e-6f).sqrt());
        // a row is never its own candidate: its similarity drops far below any other (cosine / temperature
        // is at most 1 / temperature, so 1e4 is plenty and keeps every value and gradient finite)
        NDArray logits = unit.matMul(unit.transpose()).div(temperature).sub(manager.eye(2 * b).mul(1e4f));
        long[] partners = new long[2 * b];
        for (int i = 0; i < 2 * b; i++) {
            partners[i] = (i + b) % (2 * b);
        }
        // softmax cross-entropy of each row against its partner's index, as the classifier's loss
        return CROSS_ENTROPY.evaluate(new NDList(manager.create(partners)), new NDList(logits));
    }

    /** The embeddings of {@code n} images, [n, dims] flattened (the encoder in inference mode). */
    public float[] embed(float[] pixels, int n) {
        try (NDManager batch = model.getNDManager().newSubManager()) {
            ParameterStore store = new ParameterStore(batch, false);
            NDArray x = batch.create(pixels, inputShape(n));
            return encoder.forward(store, new NDList(x), false).singletonOrThrow().toFloatArray();
        }
    }

    /** cpu() or gpu(0), for the step's result. */
    public String device() {
        return model.getNDManager().getDevice().toString();
    }

    private Shape inputShape(int n) {
        return new Shape(n, shape.channels(), shape.height(), shape.width());
    }

    private static Conv2d conv(int filters) {
        return Conv2d.builder().setFilters(filters).setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).build();
    }

    @Override
    public void close() {
        model.close();
    }
}
