package dev.winnow.api.v1alpha1;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.types.SimpleType;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The committed CRDs refuse names the operator cannot work with, at apply time: their root CEL rule
 * is compiled and evaluated here with CEL itself (the mock API server does not run CEL).
 */
class CrdNameRuleTest {
    private static final Cel CEL = CelFactory.standardCelBuilder().addVar("self", SimpleType.DYN).build();

    @Test
    void everyCrdAcceptsNamesUpTo63CharactersAndRefusesLongerOnes() throws Exception {
        List<Path> crds;
        try (Stream<Path> files = Files.list(CrdDriftTest.COMMITTED)) {
            crds = files.sorted().toList();
        }
        assertEquals(4, crds.size());
        for (Path file : crds) {
            var crd = Serialization.unmarshal(Files.readString(file), CustomResourceDefinition.class);
            List<ValidationRule> rules = crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema().getXKubernetesValidations();
            assertTrue(rules != null && rules.stream().anyMatch(r -> r.getRule().contains("metadata.name")), file + ": no rule on metadata.name");
            for (ValidationRule rule : rules) {
                assertTrue(admits(rule.getRule(), "a"), file + ": 1 character");
                assertTrue(admits(rule.getRule(), "n".repeat(45)), file + ": 45 characters");
                assertTrue(admits(rule.getRule(), "n".repeat(Validation.MAX_NAME)), file + ": 63 characters");
                assertFalse(admits(rule.getRule(), "n".repeat(Validation.MAX_NAME + 1)), file + ": 64 characters");
                assertFalse(rule.getMessage().isBlank(), file + ": the refusal says why");
            }
        }
    }

    /** Evaluates a rule on the root of an object the way the API server exposes it: self.metadata.name. */
    static boolean admits(String rule, String name) throws Exception {
        var ast = CEL.compile(rule).getAst();
        Object result = CEL.createProgram(ast).eval(Map.of("self", Map.of("metadata", Map.of("name", name), "spec", Map.of())));
        return Boolean.TRUE.equals(result);
    }
}
