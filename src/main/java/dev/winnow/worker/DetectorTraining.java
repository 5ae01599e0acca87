package dev.winnow.worker;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.jboss.logging.Logger;

import dev.winnow.contract.Results;
import dev.winnow.storage.ArtifactStore;
import dev.winnow.worker.data.Box;
import dev.winnow.worker.data.ImageShape;
import dev.winnow.worker.data.ImageSource;
import dev.winnow.worker.data.LabelSet;
import dev.winnow.worker.data.Pixels;
import dev.winnow.worker.model.AveragePrecision;
import dev.winnow.worker.model.Checkpoint;
import dev.winnow.worker.model.Detection;
import dev.winnow.worker.model.Detector;
import dev.winnow.worker.model.ModelMetadata;

/**
 * {@code worker train} on an ObjectDetection dataset: the reference detector ({@link Detector}) on the
 * labeled boxes, resumed from {@code WINNOW_RESUME_FROM} when set. It reports {@code map50}, the mean
 * average precision at IoU 0.5 with VOC's all-point interpolation ({@link AveragePrecision}), on
 * held-out images: an ImageFolder's {@code test/} folder (labels from the labels store), else a stable
 * tenth of the labeled ids once 50 are labeled, as the classifier does. AP per class goes in the result
 * as {@code ap50} (one number per class that has held-out boxes), not in status.
 */
final class DetectorTraining {

    static final int DEFAULT_EPOCHS = 20;
    static final int DEFAULT_BATCH = 16;
    /** Higher than the classifier's: from scratch, 1e-3 left mAP near 0.05 after 15 epochs on 200 canvases, 3e-3 reached 0.34 after 20 on 300. */
    static final double DEFAULT_LEARNING_RATE = 3e-3;
    /** Evaluation keeps more, lower-scoring boxes than inference writes: they only add to the PR curve's tail. */
    static final double EVAL_MIN_SCORE = 0.01;
    static final int EVAL_MAX_BOXES = 50;
    static final double IOU = 0.5;
    /** Per-class AP is left out of the result past this many classes (the message has 4 KiB). */
    static final int MAX_CLASSES_REPORTED = 40;
    private static final int BATCH = 64;
    private static final Logger LOG = Logger.getLogger(DetectorTraining.class);

    private DetectorTraining() {
    }

    static ObjectNode run(TrainingInputs in, StepEnvironment env, ArtifactStore store, DatasetConfig dataset) {
        ImageSource source = in.source();
        LabelSet labels = in.labels();
        List<String> trainIds = in.labeled();
        List<String> evalIds = source.heldOutIds().stream().filter(labels::contains).toList();
        String validation = "held-out test/ images";
        if (evalIds.isEmpty() && trainIds.size() >= TrainStep.MIN_FOR_VALIDATION) {
            evalIds = trainIds.stream().filter(TrainStep::inValidationSlice).toList();
            trainIds = trainIds.stream().filter(id -> !TrainStep.inValidationSlice(id)).toList();
            validation = "validation slice of the labeled ids";
        } else if (evalIds.isEmpty()) {
            validation = "none (no labeled test/ images, fewer than " + TrainStep.MIN_FOR_VALIDATION + " labeled ids)";
        }

        ModelMetadata previous = in.resume().map(uri -> Checkpoint.metadata(store, uri)).orElse(null);
        if (previous != null) {
            TrainStep.checkCompatible(previous, Detector.ARCHITECTURE, dataset, source);
        }
        float[] pixels = Pixels.load(source, trainIds);
        List<List<Box>> boxes = trainIds.stream().map(id -> inputBoxes(source, labels, id)).toList();
        LOG.infof("training the detector on %d images (%d boxes) for %d epochs%s", trainIds.size(),
                boxes.stream().mapToInt(List::size).sum(), in.epochs(),
                previous == null ? "" : " from " + in.resume().get() + " (" + previous.epochs() + " epochs)");
        int classes = dataset.classes().size();
        try (Detector detector = previous == null ? new Detector(source.shape(), classes, in.seed())
                : Checkpoint.loadDetector(store, in.resume().get(), previous, in.seed())) {
            List<Double> losses = detector.fit(pixels, boxes,
                    new Detector.Options(in.epochs(), in.batch(), (float) in.learningRate(), in.seed()));
            Map<String, Double> metrics = new LinkedHashMap<>();
            AveragePrecision.Result ap = null;
            if (!evalIds.isEmpty()) {
                ap = evaluate(detector, source, labels, evalIds, classes);
                metrics.put(Results.MAP50, ap.map());
                LOG.infof("mAP@0.5 %.4f on %d images (%s)", ap.map(), evalIds.size(), validation);
            }
            metrics.put("loss", losses.get(losses.size() - 1));

            List<Double> history = new ArrayList<>(previous == null ? List.of() : previous.history());
            history.addAll(losses);
            int totalEpochs = (previous == null ? 0 : previous.epochs()) + in.epochs();
            ImageShape shape = source.shape();
            ModelMetadata metadata = new ModelMetadata(ModelMetadata.FORMAT, Detector.ARCHITECTURE,
                    dataset.classes().names(), List.of(shape.channels(), shape.height(), shape.width()),
                    totalEpochs, trainIds.size(), history, metrics);
            Checkpoint.save(store, in.out(), detector, metadata);

            ObjectNode result = StepResult.object();
            result.set(Results.METRICS, StepResult.JSON.valueToTree(metrics));
            if (ap != null && classes <= MAX_CLASSES_REPORTED) {
                ObjectNode perClass = result.putObject("ap50");
                for (int c = 0; c < classes; c++) {
                    if (!Double.isNaN(ap.perClass()[c])) {
                        perClass.put(dataset.classes().name(c), Math.round(ap.perClass()[c] * 1e4) / 1e4);
                    }
                }
            }
            result.put(Results.CHECKPOINT, in.out().toString());
            result.put(Results.TRAINED, trainIds.size());
            result.put("evaluated", evalIds.size());
            result.put("validation", validation);
            result.put("epochs", totalEpochs);
            result.put("model", Detector.ARCHITECTURE);
            return result;
        }
    }

    /** mAP@0.5 on the given images, boxes compared in pixels of the stored images. */
    static AveragePrecision.Result evaluate(Detector detector, ImageSource source, LabelSet labels, List<String> ids,
                                            int classes) {
        List<List<Detection>> found = new ArrayList<>();
        List<List<Box>> truth = new ArrayList<>();
        for (int from = 0; from < ids.size(); from += BATCH) {
            int n = Math.min(BATCH, ids.size() - from);
            List<String> batch = ids.subList(from, from + n);
            Detector.Prediction p = detector.predict(Pixels.load(source, batch), n, EVAL_MIN_SCORE, EVAL_MAX_BOXES);
            for (int i = 0; i < n; i++) {
                ImageShape stored = source.storedShape(batch.get(i));
                double sx = (double) stored.width() / source.shape().width();
                double sy = (double) stored.height() / source.shape().height();
                found.add(p.detections().get(i).stream().map(d -> d.scaled(sx, sy)).toList());
                truth.add(labels.pixelBoxes(batch.get(i), stored));
            }
        }
        return AveragePrecision.of(found, truth, classes, IOU);
    }

    /** The labeled boxes of an image in pixels of the network's input (sources scale images to one size). */
    static List<Box> inputBoxes(ImageSource source, LabelSet labels, String id) {
        ImageShape stored = source.storedShape(id);
        double sx = (double) source.shape().width() / stored.width();
        double sy = (double) source.shape().height() / stored.height();
        return LabelSet.scaled(labels.pixelBoxes(id, stored), sx, sy);
    }
}
