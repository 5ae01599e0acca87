package dev.winnow.operator;

import dev.winnow.local.api.WinnowCrds;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The operator's own CRD upgrade at start: newer CRDs are left alone. The mock server has no server-side apply;
 * DefaultInstallRealClusterIT shows the chart's install applying them on a real API server.
 */
@EnableKubernetesMockClient(crud = true)
class CrdUpgradeTest {
    static KubernetesClient client;

    @Test
    void aCrdANewerOperatorAppliedIsNeverAppliedOver() {
        List<CustomResourceDefinition> mine = WinnowCrds.load();
        CustomResourceDefinition runs = mine.stream().filter(c -> c.getMetadata().getName().startsWith("trainingruns")).findFirst().orElseThrow();
        client.resource(new CustomResourceDefinitionBuilder(runs).editMetadata().addToAnnotations(CrdUpgrade.VERSION_ANNOTATION, "0.10.0")
                .endMetadata().build()).create();

        var outcomes = CrdUpgrade.apply(client, List.of(runs), "0.2.0");

        assertEquals(List.of(CrdUpgrade.Outcome.NEWER_SERVED), outcomes);
        assertEquals("0.10.0", annotation(runs.getMetadata().getName()), "0.10.0 is newer than 0.2.0: never applied over");
    }

    @Test
    void versionsCompareByTheirNumbers() {
        assertTrue(CrdUpgrade.compare("0.10.0", "0.2.0") > 0);
        assertTrue(CrdUpgrade.compare("0.2.0-SNAPSHOT", "0.2.0") == 0);
        assertTrue(CrdUpgrade.compare("0.1.0", "0.2") < 0);
    }

    private static String annotation(String crd) {
        return client.apiextensions().v1().customResourceDefinitions().withName(crd).get().getMetadata().getAnnotations()
                .get(CrdUpgrade.VERSION_ANNOTATION);
    }
}
