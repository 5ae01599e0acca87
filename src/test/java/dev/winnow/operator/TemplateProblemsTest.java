package dev.winnow.operator;

import dev.winnow.api.v1alpha1.StepTemplate;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The operator's own check of what Kubernetes would parse later, naming the field and the value. */
class TemplateProblemsTest {

    @Test
    void aSoundTemplatePasses() {
        assertEquals(Optional.empty(), TemplateProblems.of("spec.trainer", template(t -> {
            t.image = "registry.example.com:5000/team/trainer:1.2@sha256:" + "ab".repeat(32);
            t.shmSize = "8Gi";
            t.gpus = 2;
            t.gpuResource = "nvidia.com/mig-1g.10gb";
            t.resources = resources(Map.of("cpu", "500m", "memory", "4Gi", "nvidia.com/gpu", "1"));
            t.nodeSelector = Map.of("nvidia.com/gpu.product", "NVIDIA-A100-SXM4-40GB", "pool", "");
            t.runtimeClassName = "nvidia";
            t.serviceAccountName = "trainer";
            t.env = List.of(new EnvVar("WANDB_MODE", "offline", null));
        })));
        assertEquals(Optional.empty(), TemplateProblems.of("spec.trainer", null));
    }

    @Test
    void eachProblemNamesTheFieldAndTheValue() {
        assertEquals("spec.indexer.shmSize: 'lots' is not a quantity such as 512Mi or 8Gi",
                problem(t -> t.shmSize = "lots"));
        assertEquals("spec.indexer.gpuResource: 'bad resource!' is not an extended resource name with its domain,"
                + " such as nvidia.com/gpu or nvidia.com/mig-1g.10gb", problem(t -> t.gpuResource = "bad resource!"));
        assertEquals("spec.indexer.resources.limits[cpu]: 'lots' is not a quantity such as 500m, 2 or 4Gi",
                problem(t -> t.resources = resources(Map.of("cpu", "lots"))));
        assertEquals("spec.indexer.resources.limits: 'bad resource!' is not a resource name (cpu, memory, nvidia.com/gpu...)",
                problem(t -> t.resources = resources(Map.of("bad resource!", "1"))));
        assertEquals("spec.indexer.image: 'My Trainer' is not an image reference such as registry.example.com/team/trainer:1.0",
                problem(t -> t.image = "My Trainer"));
        assertEquals("spec.indexer.nodeSelector[pool]: 'gpu nodes' is not a label value: at most 63 letters, digits, '-', '_'"
                + " and '.', starting and ending with a letter or digit", problem(t -> t.nodeSelector = Map.of("pool", "gpu nodes")));
        assertEquals("spec.indexer.nodeSelector: 'gpu pool' is not a label key", problem(t -> t.nodeSelector = Map.of("gpu pool", "a")));
        assertEquals("spec.indexer.serviceAccountName: 'Trainer_SA' is not a lower-case name of letters, digits, '-' and '.'",
                problem(t -> t.serviceAccountName = "Trainer_SA"));
        assertEquals("spec.indexer.env[0].name: '1LR' is not a variable name (letters, digits, '_', '-' and '.', not starting with a digit)",
                problem(t -> t.env = List.of(new EnvVar("1LR", "0.1", null))));
        assertEquals("spec.indexer.gpus: -1 is negative", problem(t -> t.gpus = -1));
    }

    private static String problem(Consumer<StepTemplate> change) {
        return TemplateProblems.of("spec.indexer", template(change)).orElse("<none>");
    }

    private static StepTemplate template(Consumer<StepTemplate> change) {
        StepTemplate t = new StepTemplate();
        change.accept(t);
        return t;
    }

    private static ResourceRequirements resources(Map<String, String> limits) {
        var r = new ResourceRequirements();
        limits.forEach((k, v) -> r.getLimits().put(k, new Quantity(v)));
        return r;
    }
}
