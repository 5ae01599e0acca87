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
import dev.winnow.worker.data.SampleLabel;
import dev.winnow.worker.model.Architecture;
import dev.winnow.worker.model.Checkpoint;
import dev.winnow.worker.model.Classifier;
import dev.winnow.worker.model.Evaluation;
import dev.winnow.worker.model.ModelMetadata;

/**
 * {@code worker train}: Winnow's reference image classifier. Trains on the ids of
 * {@code WINNOW_TRAIN_IDS} with labels from {@code WINNOW_LABELS_URI} only, continues from
 * {@code WINNOW_RESUME_FROM} when set, writes the checkpoint to {@code WINNOW_CHECKPOINT_OUT} and
 * reports accuracy on held-out data. On an ObjectDetection dataset it trains the reference detector
 * instead ({@link DetectorTraining}). Held-out data:
 * <ul>
 *   <li>{@code Idx}: the whole test split ({@code t10k} files; its labels are ground truth that
 *       is never trained on);</li>
 *   <li>{@code ImageFolder} with a {@code test/} folder: its images, with their labels;</li>
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
        if (dataset.task() == Task.ObjectDetection) {
            return DetectorTraining.run(TrainingInputs.read(env, store, dataset, DetectorTraining.DEFAULT_EPOCHS,
                    DetectorTraining.DEFAULT_BATCH, DetectorTraining.DEFAULT_LEARNING_RATE), env, store, dataset);
        }
        TrainingInputs in = TrainingInputs.read(env, store, dataset, DEFAULT_EPOCHS, DEFAULT_BATCH, DEFAULT_LEARNING_RATE);
        int epochs = in.epochs();
        int batch = in.batch();
        double learningRate = in.learningRate();
        long seed = in.seed();
        URI out = in.out();
        Optional<URI> resume = in.resume();
        ImageSource source = in.source();
        LabelSet labels = in.labels();
        List<String> labeled = in.labeled();

        // held-out evaluation data: the test split, or a stable slice of the labeled ids
        List<String> trainIds = labeled;
        // held out with a class known: the source's own (IDX) or a label (an ImageFolder's test/ folder)
        List<String> evalIds = source.heldOutIds().stream().filter(id -> heldOutClass(source, labels, id) >= 0).toList();
        int[] evalTruth;
        String validation;
        if (!evalIds.isEmpty()) {
            evalTruth = evalIds.stream().mapToInt(id -> heldOutClass(source, labels, id)).toArray();
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
            checkCompatible(previous, architecture.id(), dataset, source);
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

    private static int heldOutClass(ImageSource source, LabelSet labels, String id) {
        return source.groundTruth(id).orElseGet(() -> labels.get(id).filter(SampleLabel::hasClass)
                .map(SampleLabel::label).orElse(SampleLabel.NONE));
    }

    /** About one id in ten, by a hash that does not change between rounds or JVMs. */
    static boolean inValidationSlice(String id) {
        return Math.floorMod(id.hashCode() * 0x9E3779B9, 10) == 0;
    }

    static void checkCompatible(ModelMetadata previous, String architecture, DatasetConfig dataset, ImageSource source) {
        if (!previous.architecture().equals(architecture)) {
            throw new StepException("cannot resume a " + previous.architecture() + " checkpoint as " + architecture);
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
