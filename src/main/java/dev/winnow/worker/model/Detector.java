package dev.winnow.worker.model;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;

import dev.winnow.worker.data.Box;
import dev.winnow.worker.data.ImageShape;

/**
 * A {@link DetectorNetwork} with its parameters on one device: trains with {@link CenterNetLoss}
 * (Adam; random horizontal flips), predicts boxes and embeddings, saves and loads its parameters.
 * Boxes in and out are in pixels of the network's input.
 */
public final class Detector implements AutoCloseable {

    /** The architecture name in a checkpoint's model.json. */
    public static final String ARCHITECTURE = "centernet";

    private final DetectorNetwork network;
    private final ImageShape shape;
    private final int classes;
    private final int grid;
    private final Model model;

    /** Training hyper-parameters. */
    public record Options(int epochs, int batchSize, float learningRate, long seed) {
    }

    /** For {@code n} images: their detections and their embeddings [n, D] (the backbone's global average). */
    public record Prediction(List<List<Detection>> detections, float[] embeddings, int embeddingSize) {
    }

    public Detector(ImageShape shape, int classes, long seed) {
        if (shape.height() % DetectorNetwork.STRIDE != 0 || shape.width() != shape.height()) {
            throw new IllegalArgumentException("the detector needs square images with a side divisible by "
                    + DetectorNetwork.STRIDE + ", got " + shape.height() + "x" + shape.width());
        }
        Djl.engine().setRandomSeed((int) seed);
        this.network = DetectorNetwork.build(classes);
        this.shape = shape;
        this.classes = classes;
        this.grid = shape.height() / DetectorNetwork.STRIDE;
        Device device = Djl.device();
        this.model = Model.newInstance("winnow-" + ARCHITECTURE, device);
        model.setBlock(network.whole());
        network.whole().initialize(model.getNDManager(), DataType.FLOAT32, inputShape(1));
    }

    /** Replaces the parameters with those saved by {@link #save}. */
    public void load(InputStream in) throws IOException {
        try {
            network.whole().loadParameters(model.getNDManager(), new DataInputStream(in));
        } catch (MalformedModelException | RuntimeException e) {
            throw new IOException("checkpoint parameters do not fit this detector: " + e.getMessage(), e);
        }
    }

    public void save(OutputStream out) throws IOException {
        DataOutputStream data = new DataOutputStream(out);
        network.whole().saveParameters(data);
        data.flush();
    }

    /**
     * Trains on {@code pixels} ([n, c, h, w] flattened) with the boxes of each image, from the current
     * parameters (fresh or loaded).
     *
     * @return mean training loss of each epoch
     */
    public List<Double> fit(float[] pixels, List<List<Box>> boxes, Options options) {
        int n = boxes.size();
        if (n == 0) {
            throw new IllegalArgumentException("no training images");
        }
        var config = new DefaultTrainingConfig(Loss.l1Loss()) // unused: the loss is CenterNet's, computed below
                .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(options.learningRate())).build())
                .optDevices(new Device[] {model.getNDManager().getDevice()});
        Random random = new Random(options.seed());
        int size = shape.size();
        try (Trainer trainer = model.newTrainer(config)) {
            trainer.initialize(inputShape(options.batchSize()));
            return Epochs.run(n, options.epochs(), options.batchSize(), random, rows -> {
                int b = rows.length;
                float[] x = new float[b * size];
                List<List<Box>> batchBoxes = new ArrayList<>(b);
                for (int i = 0; i < b; i++) {
                    boolean flip = random.nextBoolean();
                    copy(pixels, rows[i] * size, x, i * size, flip);
                    batchBoxes.add(flip ? flipped(boxes.get(rows[i])) : boxes.get(rows[i]));
                }
                CenterNetTargets t = CenterNetTargets.of(batchBoxes, classes, grid, DetectorNetwork.STRIDE);
                try (NDManager m = trainer.getManager().newSubManager()) {
                    NDList input = new NDList(m.create(x, inputShape(b)));
                    float loss;
                    try (GradientCollector collector = trainer.newGradientCollector()) {
                        NDList out = trainer.forward(input);
                        NDArray l = CenterNetLoss.of(out.get(0), out.get(1),
                                m.create(t.heat(), new Shape(b, classes, grid, grid)),
                                m.create(t.box(), new Shape(b, DetectorNetwork.BOX_CHANNELS, grid, grid)),
                                m.create(t.mask(), new Shape(b, 1, grid, grid)), t.objects());
                        collector.backward(l);
                        loss = l.getFloat();
                    }
                    trainer.step();
                    return loss;
                }
            });
        }
    }

    /** Detects in {@code n} images: at most {@code max} boxes each, scoring at least {@code minScore}. */
    public Prediction predict(float[] pixels, int n, double minScore, int max) {
        try (NDManager m = model.getNDManager().newSubManager()) {
            ParameterStore store = new ParameterStore(m, false);
            NDArray features = network.backbone().forward(store, new NDList(m.create(pixels, inputShape(n))), false)
                    .singletonOrThrow();
            NDList heads = network.heads().forward(store, new NDList(features), false);
            float[] heat = CenterNetLoss.heat(heads.get(0)).toFloatArray();
            float[] box = heads.get(1).toFloatArray();
            int plane = grid * grid;
            List<List<Detection>> detections = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                float[] h = java.util.Arrays.copyOfRange(heat, i * classes * plane, (i + 1) * classes * plane);
                float[] b = java.util.Arrays.copyOfRange(box, i * DetectorNetwork.BOX_CHANNELS * plane,
                        (i + 1) * DetectorNetwork.BOX_CHANNELS * plane);
                detections.add(CenterNetDecoder.decode(h, b, classes, grid, DetectorNetwork.STRIDE, minScore, max));
            }
            NDArray embedding = Pool.globalAvgPool2d(features);
            return new Prediction(detections, embedding.toFloatArray(), (int) embedding.getShape().get(1));
        }
    }

    /** Copies one image, mirrored left to right when {@code flip}. */
    private void copy(float[] src, int from, float[] dst, int to, boolean flip) {
        if (!flip) {
            System.arraycopy(src, from, dst, to, shape.size());
            return;
        }
        int w = shape.width();
        for (int row = 0; row < shape.channels() * shape.height(); row++) {
            for (int x = 0; x < w; x++) {
                dst[to + row * w + x] = src[from + row * w + (w - 1 - x)];
            }
        }
    }

    private List<Box> flipped(List<Box> boxes) {
        int w = shape.width();
        return boxes.stream().map(b -> new Box(b.label(), w - b.x2(), b.y1(), w - b.x1(), b.y2())).toList();
    }

    private Shape inputShape(int n) {
        return new Shape(n, shape.channels(), shape.height(), shape.width());
    }

    @Override
    public void close() {
        model.close();
    }
}
