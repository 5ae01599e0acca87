package dev.winnow.worker.model;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Random;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;

import dev.winnow.worker.data.ImageShape;

/**
 * A {@link Network} with its parameters on one device: trains (Adam, softmax cross-entropy),
 * predicts probabilities, embeddings and MC-dropout samples, and saves or loads its parameters.
 */
public final class Classifier implements AutoCloseable {


    private final Network network;
    private final ImageShape shape;
    private final int classes;
    private final Model model;

    /** Training hyper-parameters. */
    public record Options(int epochs, int batchSize, float learningRate, long seed) {
    }

    /** Outputs for {@code n} images: probabilities [n, C], embeddings [n, D], MC samples [T, n, C]. */
    public record Prediction(int n, int classes, int embeddingSize, float[] probabilities, float[] embeddings,
                             float[][] mcProbabilities) {
    }

    public Classifier(Architecture architecture, ImageShape shape, int classes, long seed) {
        this(architecture, Architecture.DEFAULT_SIMCLR_DIMS, shape, classes, seed);
    }

    /** @param simclrDims the feature width of {@link Architecture#SIMCLR}; unused by the others */
    public Classifier(Architecture architecture, int simclrDims, ImageShape shape, int classes, long seed) {
        Engine engine = Djl.engine();
        engine.setRandomSeed((int) seed);
        this.network = Network.build(architecture, classes, simclrDims);
        this.shape = shape;
        this.classes = classes;
        Device device = Djl.device();
        this.model = Model.newInstance("winnow-" + architecture.id(), device);
        model.setBlock(network.whole());
        network.whole().initialize(model.getNDManager(), DataType.FLOAT32, inputShape(1));
    }

    public Network network() {
        return network;
    }

    /** Replaces the parameters with those saved by {@link #save}. */
    public void load(InputStream in) throws IOException {
        load(network.whole(), in, "checkpoint");
    }

    /** Replaces the feature extractor's parameters with an encoder's (a backbone); the head keeps its fresh weights. */
    public void loadFeatures(InputStream in) throws IOException {
        load(network.features(), in, "backbone");
    }

    private void load(ai.djl.nn.Block block, InputStream in, String what) throws IOException {
        // DJL takes whatever shapes the file holds; compare them with this network's own
        List<Shape> expected = block.getParameters().values().stream().map(p -> p.getArray().getShape()).toList();
        try {
            block.loadParameters(model.getNDManager(), new DataInputStream(in));
        } catch (MalformedModelException | RuntimeException e) {
            throw new IOException(what + " parameters do not fit this network: " + e.getMessage(), e);
        }
        List<Shape> loaded = block.getParameters().values().stream().map(p -> p.getArray().getShape()).toList();
        if (!expected.equals(loaded)) {
            throw new IOException(what + " parameters do not fit this network: shapes " + loaded + ", expected " + expected);
        }
    }

    public void save(OutputStream out) throws IOException {
        DataOutputStream data = new DataOutputStream(out);
        network.whole().saveParameters(data);
        data.flush();
    }

    /**
     * Trains on {@code pixels} ([n, c, h, w] flattened) with class indices {@code labels}, starting
     * from the current parameters (fresh or loaded), so a resumed model continues where it was.
     *
     * @return mean training loss of each epoch
     */
    public List<Double> fit(float[] pixels, int[] labels, Options options) {
        int n = labels.length;
        if (n == 0) {
            throw new IllegalArgumentException("no training samples");
        }
        var config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(Optimizer.adam()
                        .optLearningRateTracker(Tracker.fixed(options.learningRate())).build())
                .optDevices(new Device[] {model.getNDManager().getDevice()});
        int size = shape.size();
        try (Trainer trainer = model.newTrainer(config)) {
            trainer.initialize(inputShape(options.batchSize()));
            return Epochs.run(n, options.epochs(), options.batchSize(), new Random(options.seed()), rows -> {
                int b = rows.length;
                float[] x = new float[b * size];
                long[] y = new long[b];
                for (int i = 0; i < b; i++) {
                    System.arraycopy(pixels, rows[i] * size, x, i * size, size);
                    y[i] = labels[rows[i]];
                }
                try (NDManager batch = trainer.getManager().newSubManager()) {
                    NDList input = new NDList(batch.create(x, inputShape(b)));
                    NDList target = new NDList(batch.create(y));
                    float loss;
                    try (GradientCollector collector = trainer.newGradientCollector()) {
                        NDList output = trainer.forward(input, target);
                        NDArray l = trainer.getLoss().evaluate(target, output);
                        collector.backward(l);
                        loss = l.getFloat();
                    }
                    trainer.step();
                    return loss;
                }
            });
        }
    }

    /** Predicts {@code n} images; {@code mcSamples} > 0 adds that many passes with dropout active. */
    public Prediction predict(float[] pixels, int n, int mcSamples) {
        try (NDManager batch = model.getNDManager().newSubManager()) {
            ParameterStore store = new ParameterStore(batch, false);
            NDArray x = batch.create(pixels, inputShape(n));
            NDArray embedding = network.features().forward(store, new NDList(x), false).singletonOrThrow();
            NDArray logits = network.head().forward(store, new NDList(embedding), false).singletonOrThrow();
            float[] probabilities = logits.softmax(1).toFloatArray();
            float[][] mc = new float[mcSamples][];
            for (int t = 0; t < mcSamples; t++) {
                // training mode on the head only: dropout samples, batch norm statistics stay fixed
                NDArray sample = network.head().forward(store, new NDList(embedding), true).singletonOrThrow();
                mc[t] = sample.softmax(1).toFloatArray();
            }
            int d = (int) embedding.getShape().get(1);
            return new Prediction(n, classes, d, probabilities, embedding.toFloatArray(), mc);
        }
    }

    private Shape inputShape(int n) {
        return new Shape(n, shape.channels(), shape.height(), shape.width());
    }

    @Override
    public void close() {
        model.close();
    }
}
