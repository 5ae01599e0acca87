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
 *       the selected ids have a label; the interval starts at {@code WINNOW_POLL_SECONDS} and
 *       grows by half while nothing changes, up to a minute; past {@code WINNOW_DEADLINE_SECONDS}
 *       it fails.</li>
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
        int labeled = mode == LabelingMode.Simulated
                ? simulate(env, store, dataset, selected, selectionBytes)
                : await(env, store, dataset, selected, needed);

        ObjectNode result = StepResult.object();
        result.put(Results.SELECTED, selected.size());
        result.put(Results.LABELED, labeled);
        result.put("mode", mode.name());
        return result;
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

    private static int countLabeled(ArtifactStore store, DatasetConfig dataset, List<String> selected) {
        LabelSet labels = dataset.readLabels(store);
        return (int) selected.stream().filter(labels::contains).count();
    }

    private static int await(StepEnvironment env, ArtifactStore store, DatasetConfig dataset, List<String> selected,
                             int needed) throws InterruptedException {
        double start = env.doubleValue(Variables.POLL_SECONDS, 10);
        if (start <= 0) {
            throw new StepException(Variables.POLL_SECONDS + " must be positive");
        }
        long deadlineSeconds = env.longValue(Variables.DEADLINE_SECONDS, 0);
        Instant deadline = deadlineSeconds > 0 ? Instant.now().plusSeconds(deadlineSeconds) : null;
        double interval = start;
        int last = -1;
        while (true) {
            int labeled = countLabeled(store, dataset, selected);
            if (labeled != last) {
                LOG.infof("%d of %d selected samples labeled (waiting for %d)", labeled, selected.size(), needed);
                interval = labeled > last && last >= 0 ? start : interval;
                last = labeled;
            }
            if (labeled >= needed) {
                return labeled;
            }
            if (deadline != null && Instant.now().isAfter(deadline)) {
                throw new StepException("deadline of " + deadlineSeconds + "s passed with " + labeled + " of "
                        + selected.size() + " selected samples labeled (" + needed + " needed)");
            }
            long sleepMillis = (long) (interval * 1000);
            if (deadline != null) {
                sleepMillis = Math.max(1, Math.min(sleepMillis, Duration.between(Instant.now(), deadline).toMillis() + 1));
            }
            Thread.sleep(sleepMillis);
            interval = Math.min(Math.max(start, MAX_POLL_SECONDS), interval * 1.5);
        }
    }

    private static int simulate(StepEnvironment env, ArtifactStore store, DatasetConfig dataset, List<String> selected,
                                byte[] selectionBytes) {
        Map<String, SampleLabel> truth = groundTruth(env, store, dataset, selected);
        String batch = "simulated-" + IndexStep.sha256(selectionBytes).substring(0, 16);
        int written = LabelWriter.write(store, dataset.labelsFormat(), dataset.labelsUri(), dataset.classes(),
                truth, batch);
        LOG.infof("simulated oracle: wrote %d ground-truth labels to %s (%s)", written, dataset.labelsUri(), batch);
        return countLabeled(store, dataset, selected);
    }

    private static Map<String, SampleLabel> groundTruth(StepEnvironment env, ArtifactStore store,
                                                        DatasetConfig dataset, List<String> selected) {
        Map<String, SampleLabel> truth = new LinkedHashMap<>();
        if (env.optional(Variables.GROUND_TRUTH_URI).isPresent()) {
            LabelFormat format = env.enumValue(Variables.GROUND_TRUTH_FORMAT, LabelFormat.class, dataset.labelsFormat());
            LabelSet all = LabelReader.of(format).read(store, env.uri(Variables.GROUND_TRUTH_URI),
                    dataset.classes(), dataset.task());
            for (String id : selected) {
                truth.put(id, all.get(id).orElseThrow(() -> new StepException(
                        "no ground truth for selected id '" + id + "' in " + env.require(Variables.GROUND_TRUTH_URI))));
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
