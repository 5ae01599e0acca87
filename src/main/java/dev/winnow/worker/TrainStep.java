package dev.winnow.worker;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.jboss.logging.Logger;

import dev.winnow.contract.Results;
import dev.winnow.contract.StepName;
import dev.winnow.contract.Task;
import dev.winnow.contract.Variables;
import dev.winnow.storage.ArtifactStore;
import dev.winnow.worker.data.ImageSource;
import dev.winnow.worker.data.LabelSet;
import dev.winnow.worker.data.Pixels;
import dev.winnow.worker.model.Architecture;
import dev.winnow.worker.model.Checkpoint;
import dev.winnow.worker.model.Classifier;
import dev.winnow.worker.model.Evaluation;
import dev.winnow.worker.model.ModelMetadata;

/**
 * {@code worker train}: Winnow's reference image classifier. Trains on the ids of
 * {@code WINNOW_TRAIN_IDS} with labels from {@code WINNOW_LABELS_URI} only, continues from
 * {@code WINNOW_RESUME_FROM} when set, writes the checkpoint to {@code WINNOW_CHECKPOINT_OUT} and
 * reports accuracy on held-out data:
 * <ul>
 *   <li>{@code Idx}: the whole test split ({@code t10k} files; its labels are ground truth that
 *       is never trained on);</li>
 *   <li>other formats: a validation slice of the labeled training ids, chosen by a hash of the id
 *       (about one in ten, stable across rounds), left out of training when at least 50 ids are
 *       labeled; with fewer, no accuracy is reported, only the training loss.</li>
 * </ul>
 */
public final class TrainStep implements Step {

    static final int DEFAULT_EPOCHS = 8;
    static final int DEFAULT_BATCH = 64;
    static final double DEFAULT_LEARNING_RATE = 1e-3;
    static final int MIN_FOR_VALIDATION = 50;
    private static final Logger LOG = Logger.getLogger(TrainStep.class);

    @Override
    public StepName name() {
        return StepName.TRAIN;
    }

    @Override
    public String description() {
        return "Train the reference image classifier (DJL), write a checkpoint.";
    }

    @Override
    public ObjectNode run(StepEnvironment env, ArtifactStore store) throws Exception {
        DatasetConfig dataset = DatasetConfig.from(env);
        if (dataset.task() != Task.Classification) {
            throw new StepException("the reference trainer does image classification only; for "
                    + dataset.task() + " set the TrainingRun's trainer image to a detection trainer");
        }
        int epochs = env.intValue(Variables.EPOCHS, DEFAULT_EPOCHS);
        int batch = env.intValue(Variables.BATCH_SIZE, DEFAULT_BATCH);
        double learningRate = env.doubleValue(Variables.LEARNING_RATE, DEFAULT_LEARNING_RATE);
        long seed = env.longValue(Variables.SEED, Variables.DEFAULT_SEED);
        if (epochs < 1 || batch < 2 || learningRate <= 0) {
            throw new StepException("need epochs >= 1, batch size >= 2 and a positive learning rate");
        }
        URI out = env.directoryUri(Variables.CHECKPOINT_OUT);
        Optional<URI> resume = env.optionalUri(Variables.RESUME_FROM);

        ImageSource source = dataset.openSource(store);
        LabelSet labels = dataset.readLabels(store);
        List<String> requested = dev.winnow.worker.io.IdList.read(store, env.uri(Variables.TRAIN_IDS));
        List<String> labeled = requested.stream().filter(labels::contains).distinct().toList();
        if (labeled.size() < requested.size()) {
            LOG.warnf("%d of %d train ids have no label and are skipped", requested.size() - labeled.size(),
                    requested.size());
        }
        if (labeled.isEmpty()) {
            throw new StepException("none of the " + requested.size() + " ids in " + env.require(Variables.TRAIN_IDS)
                    + " has a label in " + dataset.labelsUri());
        }

        // held-out evaluation data: the test split, or a stable slice of the labeled ids
        List<String> trainIds = labeled;
        List<String> evalIds = source.heldOutIds();
        int[] evalTruth;
        String validation;
        if (!evalIds.isEmpty()) {
            evalTruth = evalIds.stream().mapToInt(id -> source.groundTruth(id).orElseThrow()).toArray();
            validation = "held-out test split";
        } else if (labeled.size() >= MIN_FOR_VALIDATION) {
            trainIds = new ArrayList<>();
            evalIds = new ArrayList<>();
            for (String id : labeled) {
                (inValidationSlice(id) ? evalIds : trainIds).add(id);
            }
            evalTruth = evalIds.stream().mapToInt(id -> labels.get(id).orElseThrow().label()).toArray();
            validation = "validation slice of the labeled ids";
        } else {
            evalTruth = new int[0];
            validation = "none (fewer than " + MIN_FOR_VALIDATION + " labeled ids)";
        }

        ModelMetadata previous = resume.map(uri -> Checkpoint.metadata(store, uri)).orElse(null);
        Architecture architecture = Architecture.parse(env.get(Variables.MODEL, previous == null
                ? Architecture.CNN.id() : previous.architecture()));
        if (previous != null) {
            checkCompatible(previous, architecture, dataset, source);
        }

        float[] pixels = Pixels.load(source, trainIds);
        int[] targets = trainIds.stream().mapToInt(id -> labels.get(id).orElseThrow().label()).toArray();
        LOG.infof("training %s on %d samples for %d epochs%s", architecture.id(), trainIds.size(), epochs,
                previous == null ? "" : " from " + resume.get() + " (" + previous.epochs() + " epochs)");
        try (Classifier classifier = previous == null
                ? new Classifier(architecture, source.shape(), dataset.classes().size(), seed)
                : Checkpoint.load(store, resume.get(), previous, seed)) {
            List<Double> losses = classifier.fit(pixels, targets,
                    new Classifier.Options(epochs, batch, (float) learningRate, seed));
            Map<String, Double> metrics = new LinkedHashMap<>();
            if (evalIds.size() > 0) {
                Evaluation evaluation = Evaluation.of(classifier, source, evalIds, evalTruth);
                metrics.put(Results.ACCURACY, evaluation.accuracy());
                metrics.put("evalLoss", evaluation.loss());
                LOG.infof("accuracy %.4f on %d samples (%s)", evaluation.accuracy(), evaluation.samples(), validation);
            }
            metrics.put("loss", losses.get(losses.size() - 1));

            List<Double> history = new ArrayList<>(previous == null ? List.of() : previous.history());
            history.addAll(losses);
            int totalEpochs = (previous == null ? 0 : previous.epochs()) + epochs;
            var shape = source.shape();
            ModelMetadata metadata = new ModelMetadata(ModelMetadata.FORMAT, architecture.id(),
                    dataset.classes().names(), List.of(shape.channels(), shape.height(), shape.width()),
                    totalEpochs, trainIds.size(), history, metrics);
            Checkpoint.save(store, out, classifier, metadata);

            ObjectNode result = StepResult.object();
            result.set(Results.METRICS, StepResult.JSON.valueToTree(metrics));
            result.put(Results.CHECKPOINT, out.toString());
            result.put(Results.TRAINED, trainIds.size());
            result.put("evaluated", evalIds.size());
            result.put("validation", validation);
            result.put("epochs", totalEpochs);
            result.put("model", architecture.id());
            return result;
        }
    }

    /** About one id in ten, by a hash that does not change between rounds or JVMs. */
    static boolean inValidationSlice(String id) {
        return Math.floorMod(id.hashCode() * 0x9E3779B9, 10) == 0;
    }

    private static void checkCompatible(ModelMetadata previous, Architecture architecture, DatasetConfig dataset,
                                        ImageSource source) {
        if (!previous.architecture().equals(architecture.id())) {
            throw new StepException("cannot resume a " + previous.architecture() + " checkpoint as " + architecture.id());
        }
        if (!previous.classes().equals(dataset.classes().names())) {
            throw new StepException("checkpoint classes " + previous.classes() + " differ from "
                    + Variables.CLASSES + " " + dataset.classes().names());
        }
        var shape = source.shape();
        if (!previous.inputShape().equals(List.of(shape.channels(), shape.height(), shape.width()))) {
            throw new StepException("checkpoint input shape " + previous.inputShape() + " differs from the dataset's "
                    + List.of(shape.channels(), shape.height(), shape.width()));
        }
    }
}
