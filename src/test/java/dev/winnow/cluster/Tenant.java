package dev.winnow.cluster;

import dev.winnow.Needs;
import dev.winnow.api.v1alpha1.ActiveLearningLoop;
import dev.winnow.api.v1alpha1.Dataset;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

/**
 * A tenant's namespace as a platform team hands it out: Pod Security {@code restricted} enforced, and a
 * PersistentVolumeClaim {@code data} (a hostPath volume on the node) holding a small Fashion-MNIST pool under
 * {@code /data/fashion} and room for labels and artifacts under {@code /data/work}.
 */
public final class Tenant {
    static final Path FASHION = Path.of("/usr/share/datasets/fashion-mnist");
    public static final String CLASSES = "[t-shirt, trouser, pullover, dress, coat, sandal, shirt, sneaker, bag, ankle-boot]";

    private final RealCluster cluster;
    private final String namespace;
    private final Path volume;

    private Tenant(RealCluster cluster, String namespace, Path volume) {
        this.cluster = cluster;
        this.namespace = namespace;
        this.volume = volume;
    }

    /** A fresh namespace with {@code pool} training images (and as many held out) on its volume. */
    public static Tenant create(RealCluster cluster, String namespace, int pool) throws IOException {
        Needs.directory(FASHION, "Debian's dataset-fashion-mnist, which .ci/run installs");
        KubernetesClient client = cluster.client();
        client.namespaces().withName(namespace).delete();
        client.namespaces().withName(namespace).waitUntilCondition(ns -> ns == null, 3, TimeUnit.MINUTES);
        client.persistentVolumes().withName(namespace + "-data").delete();
        client.persistentVolumes().withName(namespace + "-data").waitUntilCondition(pv -> pv == null, 1, TimeUnit.MINUTES);
        client.resource(new NamespaceBuilder().withNewMetadata().withName(namespace)
                .addToLabels("pod-security.kubernetes.io/enforce", "restricted")
                .addToLabels("pod-security.kubernetes.io/enforce-version", "latest").endMetadata().build()).create();
        Path volume = cluster.volumeDir(namespace);
        Path fashion = Files.createDirectories(volume.resolve("fashion"));
        subset(fashion, pool);
        Path work = Files.createDirectories(volume.resolve("work"));
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxrwxrwx"));
        client.resource(new PersistentVolumeBuilder().withNewMetadata().withName(namespace + "-data").endMetadata()
                .withNewSpec().withCapacity(Map.of("storage", new Quantity("1Gi"))).withAccessModes("ReadWriteOnce")
                .withNewHostPath().withPath(volume.toString()).withType("Directory").endHostPath()
                .withNewClaimRef().withNamespace(namespace).withName("data").endClaimRef()
                .withPersistentVolumeReclaimPolicy("Retain").withStorageClassName("").endSpec().build()).create();
        client.resource(new PersistentVolumeClaimBuilder().withNewMetadata().withName("data").withNamespace(namespace).endMetadata()
                .withNewSpec().withAccessModes("ReadWriteOnce").withStorageClassName("").withVolumeName(namespace + "-data")
                .withNewResources().withRequests(Map.of("storage", new Quantity("1Gi"))).endResources().endSpec().build()).create();
        return new Tenant(cluster, namespace, volume);
    }

    /** A tenant {@link #create} made earlier in this run. */
    public static Tenant existing(RealCluster cluster, String namespace) {
        return new Tenant(cluster, namespace, cluster.volumePath(namespace));
    }

    public String namespace() {
        return namespace;
    }

    /** The volume's directory on the node: {@code fashion/} (the pool) and {@code work/} (labels, artifacts). */
    public Path volume() {
        return volume;
    }

    /** A Dataset on the tenant's volume, labels and artifacts under {@code /data/work/<name>/}. */
    public Dataset dataset(String name) {
        return load(Dataset.class, """
                apiVersion: winnow.dev/v1alpha1
                kind: Dataset
                metadata: {name: %1$s, namespace: %2$s}
                spec:
                  task: Classification
                  classes: %3$s
                  source: {uri: "file:///data/fashion/", format: Idx}
                  labels: {uri: "file:///data/work/%1$s/labels/", format: Jsonl}
                  artifacts: {uri: "file:///data/work/%1$s/artifacts/"}
                  storage:
                    volumes: [{name: data, claimName: data, mountPath: /data}]
                """.formatted(name, namespace, CLASSES));
    }

    /**
     * A loop of {@code rounds} rounds with simulated labels: a random first pick of {@code count}, then
     * {@code count} by margin a round; two epochs a training, so a round takes seconds of CPU. PyTorch runs on one
     * thread (WINNOW_THREADS): on several its CPU kernels may add floats in another order from run to run, and
     * loops here are compared with each other.
     */
    public ActiveLearningLoop loop(String name, String dataset, int rounds, int count) {
        return load(ActiveLearningLoop.class, """
                apiVersion: winnow.dev/v1alpha1
                kind: ActiveLearningLoop
                metadata: {name: %1$s, namespace: %2$s}
                spec:
                  datasetRef: %3$s
                  initialSelection: {strategy: {name: Random}, count: %5$d}
                  round:
                    trainer: {env: [{name: WINNOW_EPOCHS, value: "2"}, {name: WINNOW_THREADS, value: "1"}]}
                    inference: {env: [{name: WINNOW_THREADS, value: "1"}]}
                    selection: {strategy: {name: Margin}, count: %5$d}
                  labeling: {mode: Simulated}
                  stopWhen: {maxRounds: %4$d}
                  seed: 7
                """.formatted(name, namespace, dataset, rounds, count));
    }

    public <T extends io.fabric8.kubernetes.api.model.HasMetadata> T load(Class<T> type, String yaml) {
        return cluster.client().getKubernetesSerialization().unmarshal(yaml, type);
    }

    /** The ids of a selection.jsonl, in rank order. */
    static java.util.List<String> selectedIds(Path selection) throws IOException {
        return Files.readAllLines(selection).stream().filter(l -> !l.isBlank())
                .map(l -> l.replaceAll(".*\"id\"\\s*:\\s*\"([^\"]+)\".*", "$1")).toList();
    }

    /** The first {@code n} images and labels of the training and the test split, as IDX files (uncompressed). */
    static void subset(Path out, int n) throws IOException {
        for (String split : new String[]{"train", "t10k"}) {
            copyIdx(split + "-images-idx3-ubyte", out, 16, 28 * 28, n);
            copyIdx(split + "-labels-idx1-ubyte", out, 8, 1, n);
        }
    }

    private static void copyIdx(String name, Path out, int header, int itemBytes, int n) throws IOException {
        Path plain = FASHION.resolve(name);
        Path gz = FASHION.resolve(name + ".gz");
        try (InputStream in = Files.isRegularFile(plain) ? Files.newInputStream(plain) : new GZIPInputStream(Files.newInputStream(gz));
             OutputStream o = Files.newOutputStream(out.resolve(name))) {
            byte[] head = in.readNBytes(header);
            ByteBuffer.wrap(head).putInt(4, n); // the item count
            o.write(head);
            byte[] items = in.readNBytes(n * itemBytes);
            if (items.length != n * itemBytes) {
                throw new IOException(name + " holds fewer than " + n + " items");
            }
            o.write(items);
        }
    }
}
