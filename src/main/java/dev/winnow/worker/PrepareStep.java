package dev.winnow.worker;

import java.net.URI;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.jboss.logging.Logger;

import dev.winnow.contract.ArtifactLayout;
import dev.winnow.contract.InferenceTarget;
import dev.winnow.contract.Results;
import dev.winnow.contract.StepName;
import dev.winnow.contract.Variables;
import dev.winnow.storage.ArtifactStore;
import dev.winnow.worker.data.LabelSet;
import dev.winnow.worker.io.IdList;
import dev.winnow.worker.io.JsonLines;

/**
 * {@code worker prepare} (init container of the train Job): turns the labeled snapshot into id
 * lists: {@code WINNOW_TRAIN_IDS} = labeled pool ids, restricted to {@code WINNOW_TRAIN_TAGS} when
 * given; {@code WINNOW_PREDICT_IDS} = the pool, minus the labeled ids when the target is
 * {@code Unlabeled}. Ids keep the manifest's order, so shards of {@code infer} are stable. With
 * {@code WINNOW_PSEUDO_LABEL_SOURCE} it also writes {@code WINNOW_PSEUDO_LABELS} ({@link PseudoLabels}).
 */
public final class PrepareStep implements Step {

    private static final Logger LOG = Logger.getLogger(PrepareStep.class);

    /** {@code WINNOW_PREDICT_TARGET}. */
    @Override
    public StepName name() {
        return StepName.PREPARE;
    }

    @Override
    public String description() {
        return "Write the train and predict id lists of a training run.";
    }

    @Override
    public ObjectNode run(StepEnvironment env, ArtifactStore store) throws Exception {
        DatasetConfig dataset = DatasetConfig.from(env);
        URI manifest = IndexStep.manifestUri(env);
        if (!store.exists(manifest)) {
            throw new StepException("no manifest at " + manifest + ": run the index step first");
        }
        List<String> pool = JsonLines.read(store, manifest).stream().map(row -> row.path("id").asText()).toList();
        LabelSet labels = dataset.readLabels(store);

        List<String> tags = env.list(Variables.TRAIN_TAGS);
        if (tags.isEmpty() && env.asMap().containsKey(Variables.TRAIN_TAGS) && !env.flag(Variables.TRAIN_ALL_LABELED, false)) {
            // an empty list names no samples; reading it as "all" would train on what nobody asked for
            throw new StepException(Variables.TRAIN_TAGS + " is set but names no tag, so no samples to train on; set "
                    + Variables.TRAIN_ALL_LABELED + "=true to train on every labeled sample");
        }
        boolean allLabeled = env.flag(Variables.TRAIN_ALL_LABELED, tags.isEmpty());
        if (allLabeled && !tags.isEmpty()) {
            throw new StepException("set either " + Variables.TRAIN_TAGS + " or "
                    + Variables.TRAIN_ALL_LABELED + "=true, not both");
        }
        Set<String> tagged = tags.isEmpty() ? null : taggedIds(env, store, tags);
        List<String> train = pool.stream()
                .filter(labels::contains)
                .filter(id -> tagged == null || tagged.contains(id))
                .toList();
        if (train.isEmpty()) {
            throw new StepException("no labeled samples to train on"
                    + (tagged == null ? "" : " in tags " + tags + " (" + tagged.size() + " tagged ids)")
                    + "; labels at " + dataset.labelsUri() + " hold " + labels.size());
        }
        if (tagged != null) {
            long unlabeled = tagged.stream().filter(id -> !labels.contains(id)).count();
            if (unlabeled > 0) {
                LOG.warnf("%d tagged ids have no label yet and are left out of training", unlabeled);
            }
        }
        InferenceTarget target = env.enumValue(Variables.PREDICT_TARGET, InferenceTarget.class, InferenceTarget.Unlabeled);
        List<String> predict = target == InferenceTarget.All ? pool
                : pool.stream().filter(id -> !labels.contains(id)).toList();

        IdList.write(store, env.uri(Variables.TRAIN_IDS), train);
        env.optionalUri(Variables.PREDICT_IDS).ifPresent(uri -> IdList.write(store, uri, predict));
        LOG.infof("train on %d ids, predict %d (%s)", train.size(), predict.size(),
                target.name().toLowerCase(Locale.ROOT));

        ObjectNode result = StepResult.object();
        result.put("trainIds", train.size());
        result.put("predictIds", predict.size());
        Optional<URI> pseudoOut = env.optionalUri(Variables.PSEUDO_LABELS);
        Optional<URI> source = env.optionalUri(Variables.PSEUDO_LABEL_SOURCE);
        if (pseudoOut.isPresent() && source.isPresent()) {
            double threshold = env.doubleValue(Variables.PSEUDO_LABEL_THRESHOLD, Double.NaN);
            Set<String> people = new HashSet<>(labels.ids());
            pool.stream().filter(labels::isSkipped).forEach(people::add);
            List<ObjectNode> pseudo = PseudoLabels.derive(store, source.get(), threshold, new HashSet<>(pool), people,
                    dataset.classes());
            JsonLines.write(store, pseudoOut.get(), pseudo);
            LOG.infof("%d pseudo-labels at threshold %s from %s", pseudo.size(), threshold, source.get());
            result.put(Results.PSEUDO_LABELED, pseudo.size());
        }
        return result;
    }

    private static Set<String> taggedIds(StepEnvironment env, ArtifactStore store, List<String> tags) {
        Set<String> ids = new LinkedHashSet<>();
        for (String tag : tags) {
            URI uri = env.artifact(ArtifactLayout.RELATIVE.tag(tag));
            if (!store.exists(uri)) {
                throw new StepException("tag '" + tag + "' not found: no " + uri);
            }
            ids.addAll(IdList.read(store, uri));
        }
        return ids;
    }
}
