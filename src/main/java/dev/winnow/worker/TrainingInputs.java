package dev.winnow.worker;

import java.net.URI;
import java.util.List;
import java.util.Optional;

import org.jboss.logging.Logger;

import dev.winnow.contract.Variables;
import dev.winnow.storage.ArtifactStore;
import dev.winnow.worker.data.ImageSource;
import dev.winnow.worker.data.LabelSet;
import dev.winnow.worker.io.IdList;

/**
 * What every reference trainer reads from the contract: hyper-parameters, where the checkpoint goes and
 * comes from, the source, the labels, and the ids of {@code WINNOW_TRAIN_IDS} that have a label.
 */
record TrainingInputs(int epochs, int batch, double learningRate, long seed, URI out, Optional<URI> resume,
                      ImageSource source, LabelSet labels, List<String> labeled) {

    private static final Logger LOG = Logger.getLogger(TrainingInputs.class);

    static TrainingInputs read(StepEnvironment env, ArtifactStore store, DatasetConfig dataset, int defaultEpochs,
                               int defaultBatch, double defaultLearningRate) {
        int epochs = env.intValue(Variables.EPOCHS, defaultEpochs);
        int batch = env.intValue(Variables.BATCH_SIZE, defaultBatch);
        double learningRate = env.doubleValue(Variables.LEARNING_RATE, defaultLearningRate);
        long seed = env.longValue(Variables.SEED, Variables.DEFAULT_SEED);
        if (epochs < 1 || batch < 2 || learningRate <= 0) {
            throw new StepException("need epochs >= 1, batch size >= 2 and a positive learning rate");
        }
        URI out = env.directoryUri(Variables.CHECKPOINT_OUT);
        Optional<URI> resume = env.optionalUri(Variables.RESUME_FROM);

        ImageSource source = dataset.openSource(store);
        LabelSet labels = dataset.readLabels(store);
        List<String> requested = IdList.read(store, env.uri(Variables.TRAIN_IDS));
        List<String> labeled = requested.stream().filter(labels::contains).distinct().toList();
        if (labeled.size() < requested.size()) {
            LOG.warnf("%d of %d train ids have no label and are skipped", requested.size() - labeled.size(),
                    requested.size());
        }
        if (labeled.isEmpty()) {
            throw new StepException("none of the " + requested.size() + " ids in " + env.require(Variables.TRAIN_IDS)
                    + " has a label in " + dataset.labelsUri());
        }
        return new TrainingInputs(epochs, batch, learningRate, seed, out, resume, source, labels, labeled);
    }
}
