package dev.winnow.worker;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;

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
import dev.winnow.worker.model.Backbone;
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
        // a backbone is where a first training starts; a resumed one already holds weights that started there
        Optional<URI> backboneUri = previous == null ? env.optionalUri(Variables.BACKBONE) : Optional.empty();
        Backbone.Metadata backbone = backboneUri.map(uri -> Backbone.metadata(store, uri)).orElse(null);
        Architecture architecture = Architecture.parse(env.get(Variables.MODEL, previous != null ? previous.architecture()
                : backbone != null ? backbone.architecture() : Architecture.CNN.id()));
        if (previous != null) {
            checkCompatible(previous, architecture.id(), dataset, source);
        }
        if (backbone != null) {
            checkBackbone(backboneUri.get(), backbone, architecture, source);
        }
        int simclrDims = previous != null ? previous.simclrDims()
                : backbone != null ? backbone.dims() : Architecture.DEFAULT_SIMCLR_DIMS;

        // pseudo-labels train beside the labels but are never labels: not in trained, not in the labels store
        Map<String, Integer> pseudo = pseudoLabels(env, store, dataset, labels, evalIds);
        List<String> fitIds = new ArrayList<>(trainIds);
        fitIds.addAll(pseudo.keySet());
        float[] pixels = Pixels.load(source, fitIds);
        int[] targets = IntStream.concat(trainIds.stream().mapToInt(id -> labels.get(id).orElseThrow().label()),
                pseudo.values().stream().mapToInt(Integer::intValue)).toArray();
        LOG.infof("training %s on %d labeled%s samples for %d epochs%s", architecture.id(), trainIds.size(),
                pseudo.isEmpty() ? "" : " and " + pseudo.size() + " pseudo-labeled", epochs,
                previous != null ? " from " + resume.get() + " (" + previous.epochs() + " epochs)"
                        : backbone != null ? " from the backbone " + backboneUri.get() : "");
        try (Classifier classifier = previous != null ? Checkpoint.load(store, resume.get(), previous, seed)
                : backbone != null ? Backbone.classifier(store, backboneUri.get(), backbone, source.shape(),
                        dataset.classes().size(), seed)
                : new Classifier(architecture, source.shape(), dataset.classes().size(), seed)) {
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
                    totalEpochs, trainIds.size(), history, metrics, architecture == Architecture.SIMCLR ? simclrDims : null);
            Checkpoint.save(store, out, classifier, metadata);

            ObjectNode result = StepResult.object();
            result.set(Results.METRICS, StepResult.JSON.valueToTree(metrics));
            result.put(Results.CHECKPOINT, out.toString());
            result.put(Results.TRAINED, trainIds.size());
            if (!pseudo.isEmpty() || env.optional(Variables.PSEUDO_LABELS).isPresent()) {
                result.put(Results.PSEUDO_LABELED, pseudo.size());
            }
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

    /**
     * {@code WINNOW_PSEUDO_LABELS} as class indices, minus any id people labeled (their word wins) or that is held out
     * for evaluation; empty when unset. Set but missing is bad input: the prepare step writes it whenever it is set.
     */
    static Map<String, Integer> pseudoLabels(StepEnvironment env, ArtifactStore store, DatasetConfig dataset, LabelSet labels,
                                             List<String> evalIds) {
        Optional<URI> uri = env.optionalUri(Variables.PSEUDO_LABELS);
        if (uri.isEmpty()) {
            return Map.of();
        }
        if (!store.exists(uri.get())) {
            throw new StepException(Variables.PSEUDO_LABELS + ": nothing at " + uri.get()
                    + " (the prepare step writes it when " + Variables.PSEUDO_LABEL_SOURCE + " is set)");
        }
        Set<String> heldOut = new HashSet<>(evalIds);
        Map<String, Integer> pseudo = new LinkedHashMap<>();
        PseudoLabels.read(store, uri.get(), dataset.classes()).forEach((id, label) -> {
            if (!labels.contains(id) && !labels.isSkipped(id) && !heldOut.contains(id)) {
                pseudo.put(id, label);
            }
        });
        return pseudo;
    }

    /** The encoder's layers must be the classifier's feature layers, on images of the same shape. */
    static void checkBackbone(URI uri, Backbone.Metadata backbone, Architecture architecture, ImageSource source) {
        if (!backbone.architecture().equals(architecture.id())) {
            throw new StepException("the backbone at " + uri + " is a " + backbone.architecture() + " encoder (" + backbone.dims()
                    + " features), but the classifier's architecture is " + architecture.id() + " (" + Variables.MODEL
                    + "): its weights fit only a " + backbone.architecture() + " classifier; unset " + Variables.MODEL
                    + " or set it to " + backbone.architecture());
        }
        var shape = source.shape();
        List<Integer> input = List.of(shape.channels(), shape.height(), shape.width());
        if (!backbone.inputShape().equals(input)) {
            throw new StepException("the backbone at " + uri + " was trained on images of shape " + backbone.inputShape()
                    + ", the dataset's are " + input);
        }
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
