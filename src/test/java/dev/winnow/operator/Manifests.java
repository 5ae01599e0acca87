package dev.winnow.operator;

import dev.winnow.api.v1alpha1.ActiveLearningLoop;
import dev.winnow.api.v1alpha1.ActiveLearningLoopSpec;
import dev.winnow.api.v1alpha1.Dataset;
import dev.winnow.api.v1alpha1.DatasetSpec;
import dev.winnow.api.v1alpha1.LabelingSpec;
import dev.winnow.api.v1alpha1.LabelsLocation;
import dev.winnow.api.v1alpha1.SelectionRound;
import dev.winnow.api.v1alpha1.SelectionRoundSpec;
import dev.winnow.api.v1alpha1.StrategySpec;
import dev.winnow.api.v1alpha1.TrainingRun;
import dev.winnow.api.v1alpha1.TrainingRunSpec;
import dev.winnow.contract.LabelFormat;
import dev.winnow.contract.LabelingMode;
import dev.winnow.contract.SourceFormat;
import dev.winnow.contract.Strategy;
import dev.winnow.contract.Task;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;

import java.util.List;

/** The resources tests apply, as a user's YAML would have them. */
public final class Manifests {
    private Manifests() {
    }

    public static Dataset dataset(String name) {
        return dataset(name, MockCluster.NAMESPACE);
    }

    public static Dataset dataset(String name, String namespace) {
        var d = new Dataset();
        d.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
        var s = new DatasetSpec();
        s.task = Task.Classification;
        s.classes = List.of("a", "b");
        s.source = new DatasetSpec.Source();
        s.source.uri = "s3://data/fashion/";
        s.source.format = SourceFormat.Idx;
        s.labels = new LabelsLocation();
        s.labels.uri = "s3://data/fashion/labels/";
        s.labels.format = LabelFormat.Jsonl;
        s.artifacts = new DatasetSpec.Artifacts();
        s.artifacts.uri = "s3://data/winnow/";
        s.storage = new DatasetSpec.Storage();
        s.storage.s3 = new DatasetSpec.S3();
        s.storage.s3.endpoint = "http://minio.minio:9000";
        s.storage.s3.region = "us-east-1";
        s.storage.s3.credentialsSecret = "s3-creds";
        d.setSpec(s);
        return d;
    }

    static TrainingRun trainingRun(String name, String dataset) {
        var r = new TrainingRun();
        r.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(MockCluster.NAMESPACE).build());
        var s = new TrainingRunSpec();
        s.datasetRef = dataset;
        r.setSpec(s);
        return r;
    }

    static SelectionRound selectionRound(String name, String dataset, String trainingRun, int count) {
        var r = new SelectionRound();
        r.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(MockCluster.NAMESPACE).build());
        var s = new SelectionRoundSpec();
        s.datasetRef = dataset;
        s.trainingRunRef = trainingRun;
        s.strategy = strategy(trainingRun == null ? Strategy.Random : Strategy.Margin);
        s.count = count;
        s.seed = 7L;
        r.setSpec(s);
        return r;
    }

    public static ActiveLearningLoop loop(String name, String dataset, int maxRounds) {
        return loop(name, MockCluster.NAMESPACE, dataset, maxRounds);
    }

    public static ActiveLearningLoop loop(String name, String namespace, String dataset, int maxRounds) {
        var l = new ActiveLearningLoop();
        l.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
        var s = new ActiveLearningLoopSpec();
        s.datasetRef = dataset;
        s.initialSelection = new ActiveLearningLoopSpec.Selection();
        s.initialSelection.strategy = strategy(Strategy.Random);
        s.initialSelection.count = 100;
        s.round = new ActiveLearningLoopSpec.Round();
        s.round.selection = new ActiveLearningLoopSpec.Selection();
        s.round.selection.strategy = strategy(Strategy.Margin);
        s.round.selection.count = 50;
        s.labeling = new LabelingSpec();
        s.labeling.mode = LabelingMode.Simulated;
        s.stopWhen = new ActiveLearningLoopSpec.StopWhen();
        s.stopWhen.maxRounds = maxRounds;
        s.seed = 1L;
        l.setSpec(s);
        return l;
    }

    static StrategySpec strategy(Strategy name) {
        var s = new StrategySpec();
        s.name = name;
        return s;
    }
}
