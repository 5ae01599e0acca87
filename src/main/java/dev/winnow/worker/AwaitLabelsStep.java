package dev.winnow.worker;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.jboss.logging.Logger;

import dev.winnow.contract.LabelFormat;
import dev.winnow.contract.LabelingMode;
import dev.winnow.contract.Results;
import dev.winnow.contract.StepName;
import dev.winnow.contract.Task;
import dev.winnow.contract.Variables;
import dev.winnow.storage.ArtifactStore;
import dev.winnow.worker.data.Box;
import dev.winnow.worker.data.ImageShape;
import dev.winnow.worker.data.ImageSource;
import dev.winnow.worker.data.LabelReader;
import dev.winnow.worker.data.LabelSet;
import dev.winnow.worker.data.LabelWriter;
import dev.winnow.worker.data.SampleLabel;
import dev.winnow.worker.io.JsonLines;

/**
 * {@code worker await-labels}: the wait for the labels of a selection.
 * <ul>
 *   <li>{@code External}: polls the label store until {@code WINNOW_MIN_LABELS} (default: all) of
 *       the selected ids have a label, or none is left open (the rest skipped by people); the
 *       interval starts at {@code WINNOW_POLL_SECONDS} and grows by half while nothing changes, up
 *       to a minute; past {@code WINNOW_DEADLINE_SECONDS} it fails. With
 *       {@code WINNOW_LABELS_REPORTED} it ends early to report new progress (see {@link Variables}).</li>
 *   <li>{@code Simulated}: writes the ground-truth labels of the selected ids into the label store
 *       as one new file, {@code simulated-<hash of the selection>} (so a retried step rewrites the
 *       same file); ground truth is the IDX train label file, the class folders of an
 *       ImageFolder, or {@code WINNOW_GROUND_TRUTH_URI}/{@code WINNOW_GROUND_TRUTH_FORMAT}.</li>
 * </ul>
 */
public final class AwaitLabelsStep implements Step {

    static final double MAX_POLL_SECONDS = 60;
    private static final Logger LOG = Logger.getLogger(AwaitLabelsStep.class);

    @Override
    public StepName name() {
        return StepName.AWAIT_LABELS;
    }

    @Override
    public String description() {
        return "Wait for the labels of a selection, or write them from ground truth (Simulated).";
    }

    @Override
    public ObjectNode run(StepEnvironment env, ArtifactStore store) throws InterruptedException {
        DatasetConfig dataset = DatasetConfig.from(env);
        URI selectionUri = env.uri(Variables.SELECTION);
        byte[] selectionBytes = store.readAllBytes(selectionUri);
        List<String> selected = selectedIds(store, selectionUri);
        LabelingMode mode = env.enumValue(Variables.LABELING_MODE, LabelingMode.class, LabelingMode.External);
        if (mode == LabelingMode.None) {
            throw new StepException(Variables.LABELING_MODE + " is None: there are no labels to wait for");
        }
        int needed = env.intValue(Variables.MIN_LABELS, selected.size());
        if (needed < 0) {
            throw new StepException(Variables.MIN_LABELS + " must not be negative, got " + needed);
        }
        // online mode asks for N labels of every round; a round smaller than N (a budget-capped last
        // round, a small first pick) simply waits for all of its own
        needed = Math.min(needed, selected.size());
        Progress progress = mode == LabelingMode.Simulated
                ? simulate(env, store, dataset, selected, selectionBytes)
                : await(env, store, dataset, selected, needed);

        ObjectNode result = StepResult.object();
        result.put(Results.SELECTED, selected.size());
        result.put(Results.LABELED, progress.labeled());
        result.put(Results.SKIPPED, progress.skipped());
        result.put(Results.OPEN, progress.open());
        result.put("mode", mode.name());
        if (!progress.done(needed)) {
            result.put(Results.WAITING, true);
        }
        return result;
    }

    /**
     * Where the selection stands: labeled, skipped by people (a cancelled annotation), and still open.
     * The wait is over once {@code needed} are labeled or none is open, as a skipped sample will not
     * be labeled by waiting longer.
     */
    record Progress(int labeled, int skipped, int open) {
        static Progress of(LabelSet labels, List<String> selected) {
            int labeled = 0;
            int skipped = 0;
            for (String id : selected) {
                if (labels.contains(id)) {
                    labeled++;
                } else if (labels.isSkipped(id)) {
                    skipped++;
                }
            }
            return new Progress(labeled, skipped, selected.size() - labeled - skipped);
        }

        boolean done(int needed) {
            return labeled >= needed || open == 0;
        }

        /** How {@link Variables#LABELS_REPORTED} writes it. */
        String reported() {
            return labeled + "/" + skipped;
        }

        @Override
        public String toString() {
            return labeled + " labeled, " + skipped + " skipped, " + open + " open";
        }
    }

    private static List<String> selectedIds(ArtifactStore store, URI selection) {
        Set<String> ids = new LinkedHashSet<>();
        for (ObjectNode row : JsonLines.read(store, selection)) {
            String id = row.path("id").asText("");
            if (id.isEmpty()) {
                throw new StepException(selection + ": a line without \"id\"");
            }
            ids.add(id);
        }
        return List.copyOf(ids);
    }

    private static Progress progress(ArtifactStore store, DatasetConfig dataset, List<String> selected) {
        return Progress.of(dataset.readLabels(store), selected);
    }

    /**
     * Polls until the wait is over; with {@link Variables#LABELS_REPORTED} set, returns early (after
     * {@link Variables#REPORT_SECONDS}) with progress that differs from what the operator last recorded.
     */
    private static Progress await(StepEnvironment env, ArtifactStore store, DatasetConfig dataset, List<String> selected,
                                  int needed) throws InterruptedException {
        double start = env.doubleValue(Variables.POLL_SECONDS, 10);
        if (start <= 0) {
            throw new StepException(Variables.POLL_SECONDS + " must be positive");
        }
        long deadlineSeconds = env.longValue(Variables.DEADLINE_SECONDS, 0);
        Instant deadline = deadlineSeconds > 0 ? Instant.now().plusSeconds(deadlineSeconds) : null;
        String reported = env.optional(Variables.LABELS_REPORTED).orElse(null);
        Instant reportFrom = Instant.now().plusMillis((long) (env.doubleValue(Variables.REPORT_SECONDS, 60) * 1000));
        double interval = start;
        Progress last = null;
        while (true) {
            Progress now = progress(store, dataset, selected);
            if (!now.equals(last)) {
                LOG.infof("of %d selected samples: %s (waiting for %d labels)", selected.size(), now, needed);
                interval = last != null && now.labeled() + now.skipped() > last.labeled() + last.skipped() ? start : interval;
                last = now;
            }
            if (now.done(needed)) {
                return now;
            }
            boolean news = reported != null && !now.reported().equals(reported);
            if (news && !Instant.now().isBefore(reportFrom)) {
                return now;
            }
            if (deadline != null && Instant.now().isAfter(deadline)) {
                throw new StepException("deadline of " + deadlineSeconds + "s passed with " + now.labeled() + " of "
                        + selected.size() + " selected samples labeled (" + needed + " needed; " + now + ")");
            }
            long sleepMillis = (long) (interval * 1000);
            if (news) {
                sleepMillis = Math.min(sleepMillis, Duration.between(Instant.now(), reportFrom).toMillis() + 1);
            }
            if (deadline != null) {
                sleepMillis = Math.min(sleepMillis, Duration.between(Instant.now(), deadline).toMillis() + 1);
            }
            Thread.sleep(Math.max(1, sleepMillis));
            interval = Math.min(Math.max(start, MAX_POLL_SECONDS), interval * 1.5);
        }
    }

    private static Progress simulate(StepEnvironment env, ArtifactStore store, DatasetConfig dataset, List<String> selected,
                                byte[] selectionBytes) {
        Map<String, SampleLabel> truth = groundTruth(env, store, dataset, selected);
        String batch = "simulated-" + IndexStep.sha256(selectionBytes).substring(0, 16);
        int written = LabelWriter.write(store, dataset.labelsFormat(), dataset.labelsUri(), dataset.classes(),
                truth, batch);
        LOG.infof("simulated oracle: wrote %d ground-truth labels to %s (%s)", written, dataset.labelsUri(), batch);
        return progress(store, dataset, selected);
    }

    private static Map<String, SampleLabel> groundTruth(StepEnvironment env, ArtifactStore store,
                                                        DatasetConfig dataset, List<String> selected) {
        Map<String, SampleLabel> truth = new LinkedHashMap<>();
        if (env.optional(Variables.GROUND_TRUTH_URI).isPresent()) {
            LabelFormat format = env.enumValue(Variables.GROUND_TRUTH_FORMAT, LabelFormat.class, dataset.labelsFormat());
            LabelSet all = LabelReader.of(format).read(store, env.uri(Variables.GROUND_TRUTH_URI),
                    dataset.classes(), dataset.task());
            // KITTI truth into YOLO labels or back: the coordinates change units through each image's size
            boolean convert = all.boxesInFractions() != dataset.labelsFormat().boxesInFractions();
            ImageSource source = convert ? dataset.openSource(store) : null;
            for (String id : selected) {
                SampleLabel label = all.get(id).orElseThrow(() -> new StepException(
                        "no ground truth for selected id '" + id + "' in " + env.require(Variables.GROUND_TRUTH_URI)));
                if (convert && !label.hasClass()) {
                    ImageShape stored = source.storedShape(id);
                    List<Box> pixels = all.pixelBoxes(id, stored);
                    label = SampleLabel.ofBoxes(all.boxesInFractions() ? pixels
                            : LabelSet.scaled(pixels, 1.0 / stored.width(), 1.0 / stored.height()));
                }
                truth.put(id, label);
            }
            return truth;
        }
        if (dataset.task() != Task.Classification) {
            throw new StepException("Simulated labeling for " + dataset.task() + " needs "
                    + Variables.GROUND_TRUTH_URI + " and " + Variables.GROUND_TRUTH_FORMAT);
        }
        ImageSource source = dataset.openSource(store);
        for (String id : selected) {
            OptionalInt label;
            try {
                label = source.groundTruth(id);
            } catch (IllegalArgumentException e) {
                throw new StepException("selected id '" + id + "' is not in the dataset");
            }
            if (label.isEmpty()) {
                throw new StepException("the dataset has no ground truth for '" + id + "': set "
                        + Variables.GROUND_TRUTH_URI + " for Simulated labeling");
            }
            truth.put(id, SampleLabel.ofClass(label.getAsInt()));
        }
        return truth;
    }

}
