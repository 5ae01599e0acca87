package dev.winnow.api.v1alpha1;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Valid objects of the four kinds, as a user's YAML has them, and a way to break one field: the
 * starting point of the tables and mutations that check what is refused at apply time.
 */
public final class BadObjects {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    public static final String DATASET = """
            apiVersion: winnow.dev/v1alpha1
            kind: Dataset
            metadata: {name: fashion, namespace: ml}
            spec:
              task: Classification
              classes: [t-shirt, trouser]
              source: {uri: "s3://data/fashion/", format: Idx}
              labels: {uri: "s3://data/fashion/labels/", format: Jsonl}
              artifacts: {uri: "s3://data/winnow/"}
              storage:
                s3: {endpoint: "http://minio.minio:9000", region: us-east-1, credentialsSecret: s3-creds}
                volumes: [{name: data, claimName: fashion-pvc, mountPath: /data}]
              indexer: {shmSize: 2Gi, resources: {limits: {cpu: "2", memory: 4Gi}}}
            """;

    public static final String TRAINING_RUN = """
            apiVersion: winnow.dev/v1alpha1
            kind: TrainingRun
            metadata: {name: fashion-r1, namespace: ml}
            spec:
              datasetRef: fashion
              trainOn: {tags: [fashion-r0]}
              trainer:
                image: "ghcr.io/acme/trainer:1.2"
                gpus: 1
                gpuResource: nvidia.com/gpu
                resources: {requests: {cpu: 500m, memory: 8Gi}, limits: {memory: 8Gi}}
                nodeSelector: {nvidia.com/gpu.product: NVIDIA-A100-SXM4-40GB}
                runtimeClassName: nvidia
                serviceAccountName: trainer
                shmSize: 8Gi
              inference: {shards: 2, outputs: [Probabilities, Embeddings]}
              backoffLimit: 1
            """;

    public static final String SELECTION_ROUND = """
            apiVersion: winnow.dev/v1alpha1
            kind: SelectionRound
            metadata: {name: fashion-r1, namespace: ml}
            spec:
              datasetRef: fashion
              trainingRunRef: fashion-r1
              strategy: {name: Margin}
              count: 50
              labeling: {mode: External, proceedAfter: 20}
            """;

    public static final String LOOP = """
            apiVersion: winnow.dev/v1alpha1
            kind: ActiveLearningLoop
            metadata: {name: fashion, namespace: ml}
            spec:
              datasetRef: fashion
              initialSelection: {strategy: {name: Random}, count: 100}
              round:
                trainer:
                  resources: {limits: {cpu: "2", memory: 6Gi}}
                  shmSize: 1Gi
                  nodeSelector: {pool: gpu-a100}
                  env: [{name: WINNOW_EPOCHS, value: "2"}]
                  tolerations: [{key: dedicated, operator: Equal, value: ml, effect: NoSchedule}]
                  priorityClassName: batch-low
                inference: {shards: 2}
                selection: {strategy: {name: Margin}, count: 50}
                backoffLimit: 1
              labeling: {mode: Simulated, proceedAfter: 40}
              stopWhen: {maxRounds: 5, metric: {name: accuracy, atLeast: 0.9}}
              seed: 7
            """;

    private BadObjects() {
    }

    public static ObjectNode parse(String yaml) {
        try {
            return (ObjectNode) YAML.readTree(yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A copy of {@code object} with the field at the dotted {@code path} set to {@code value} (a
     * String, Number, Boolean, List, Map or JsonNode), or removed when value is {@link #REMOVE}.
     * Missing parents are created as objects; a numeric segment indexes a list.
     */
    public static ObjectNode with(ObjectNode object, String path, Object value) {
        ObjectNode copy = object.deepCopy();
        String[] parts = path.split("\\.");
        JsonNode parent = copy;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode next = child(parent, parts[i]);
            if (next == null || !next.isContainerNode()) {
                next = ((ObjectNode) parent).putObject(parts[i]);
            }
            parent = next;
        }
        String last = parts[parts.length - 1];
        if (value == REMOVE) {
            if (parent instanceof ObjectNode o) {
                o.remove(last);
            } else {
                ((ArrayNode) parent).remove(Integer.parseInt(last));
            }
        } else if (parent instanceof ObjectNode o) {
            o.set(last, YAML.valueToTree(value));
        } else {
            ((ArrayNode) parent).set(Integer.parseInt(last), YAML.valueToTree(value));
        }
        return copy;
    }

    public static ObjectNode with(String yaml, String path, Object value) {
        return with(parse(yaml), path, value);
    }

    /** Marks a field to remove in {@link #with}. */
    public static final Object REMOVE = new Object() {
        @Override
        public String toString() {
            return "<removed>";
        }
    };

    private static JsonNode child(JsonNode parent, String name) {
        return parent.isArray() ? parent.get(Integer.parseInt(name)) : parent.get(name);
    }
}
