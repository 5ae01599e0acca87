package dev.winnow.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.winnow.sampling.SamplingException;
import dev.winnow.sampling.strategy.Strategies;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The strategies are named in four places: the contract's catalog (what the operator checks), the
 * sampling engine's registry (what runs), the CRDs' enum (what the API server takes) and
 * docs/sampling.md (what people read). They must list the same strategies with the same parameters.
 */
class StrategyCatalogTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static Set<String> ids() {
        return Arrays.stream(Strategy.values()).map(Strategy::id).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void theSamplingEngineImplementsExactlyTheCatalog() {
        assertEquals(ids(), new TreeSet<>(Strategies.names()));
    }

    @Test
    void eachStrategyTakesTheParametersTheCatalogDeclaresWithTheSameDefaults() {
        for (Strategy s : Strategy.values()) {
            Map<String, String> engine = Strategies.parameters(s.id());
            assertEquals(new TreeSet<>(engine.keySet()), s.params().stream().map(StrategyParam::name)
                    .collect(Collectors.toCollection(TreeSet::new)), s + ": parameter names");
            for (StrategyParam p : s.params()) {
                String engineDefault = engine.get(p.name());
                if (engineDefault == null) {
                    continue; // read only while selecting, or no default (cluster-margin's clusters: the count)
                }
                if (p.type() == StrategyParam.Type.NUMBER || p.type() == StrategyParam.Type.INTEGER) {
                    assertEquals(Double.parseDouble(engineDefault), Double.parseDouble(p.defaultValue()), s + "." + p.name() + " default");
                } else {
                    assertEquals(engineDefault, p.defaultValue(), s + "." + p.name() + " default");
                }
            }
        }
    }

    /** What the operator refuses up front is what the engine would refuse later, and nothing more. */
    @Test
    void theCatalogAcceptsAValueExactlyWhenTheEngineDoes() {
        List<String> probes = List.of("ten", "-1", "0", "1", "1.5", "2", "25", "1e9", "1e10", "NaN", "", "max", "mean",
                "median", "margin", "least-confidence,entropy", "margin,bogus");
        List<String> disagreements = new ArrayList<>();
        for (Strategy s : Strategy.values()) {
            Map<String, String> readAtConstruction = Strategies.parameters(s.id());
            for (StrategyParam p : s.params()) {
                if (readAtConstruction.get(p.name()) == null && !p.name().equals("clusters")) {
                    continue; // the detection parameters are read from the detections while selecting
                }
                List<String> values = new ArrayList<>(probes);
                if (p.defaultValue() != null && !p.defaultValue().contains(" ")) {
                    values.add(p.defaultValue());
                }
                for (String value : values) {
                    boolean catalog = s.paramProblem("params", Map.of(p.name(), value)).isEmpty();
                    boolean engine = engineAccepts(s.id(), Map.of(p.name(), value));
                    if (catalog != engine) {
                        disagreements.add(s + " " + p.name() + "=" + value + ": catalog " + catalog + ", engine " + engine);
                    }
                }
            }
            boolean engineTakesUnknown = engineAccepts(s.id(), Map.of("no-such-param", "1"));
            assertEquals(false, engineTakesUnknown, s + " takes an unknown parameter");
            assertTrue(s.paramProblem("spec.strategy.params", Map.of("no-such-param", "1")).isPresent());
        }
        assertEquals(List.of(), disagreements);
    }

    private static boolean engineAccepts(String id, Map<String, String> params) {
        try {
            Strategies.create(id, params);
            return true;
        } catch (SamplingException e) {
            return false;
        }
    }

    @Test
    void theCrdsOfferExactlyTheCatalogsStrategies() throws IOException {
        Set<String> names = Arrays.stream(Strategy.values()).map(Strategy::name).collect(Collectors.toCollection(TreeSet::new));
        JsonNode round = spec("selectionrounds");
        assertEquals(names, enumOf(round.at("/properties/strategy/properties/name")));
        JsonNode loop = spec("activelearningloops");
        assertEquals(names, enumOf(loop.at("/properties/initialSelection/properties/strategy/properties/name")));
        assertEquals(names, enumOf(loop.at("/properties/round/properties/selection/properties/strategy/properties/name")));
    }

    private static JsonNode spec(String plural) throws IOException {
        JsonNode crd = YAML.readTree(Path.of("crds", plural + ".winnow.dev-v1.yml").toFile());
        return crd.at("/spec/versions/0/schema/openAPIV3Schema/properties/spec");
    }

    private static Set<String> enumOf(JsonNode schema) {
        Set<String> values = new TreeSet<>();
        schema.path("enum").forEach(v -> values.add(v.asText()));
        return values;
    }

    /** docs/sampling.md's table: one row per strategy, its parameters in the last column. */
    @Test
    void theDocsTableListsEveryStrategyAndItsParameters() throws IOException {
        String docs = Files.readString(Path.of("docs/sampling.md"));
        String section = docs.substring(docs.indexOf("## Strategies"), docs.indexOf("\n\n", docs.indexOf("|---", docs.indexOf("## Strategies"))));
        Map<String, Set<String>> rows = new LinkedHashMap<>();
        Pattern code = Pattern.compile("`([a-z0-9-]+)`");
        for (String line : section.split("\n")) {
            if (!line.startsWith("| `") || line.startsWith("| `--strategy`")) {
                continue;
            }
            String[] cells = line.split("\\|", -1);
            Matcher name = code.matcher(cells[1]);
            assertTrue(name.find(), line);
            Set<String> params = new TreeSet<>();
            Matcher m = code.matcher(cells[cells.length - 2]);
            while (m.find()) {
                params.add(m.group(1));
            }
            rows.put(name.group(1), params);
        }
        assertEquals(ids(), new TreeSet<>(rows.keySet()), "strategies in docs/sampling.md");
        Map<String, Set<String>> declared = new TreeMap<>();
        for (Strategy s : Strategy.values()) {
            declared.put(s.id(), s.params().stream().map(StrategyParam::name).collect(Collectors.toCollection(TreeSet::new)));
        }
        assertEquals(declared, new TreeMap<>(rows), "parameters in docs/sampling.md");
    }

    @Test
    void modelFreeStrategiesReadNothingAModelWouldWrite() {
        for (Strategy s : Strategy.modelFreeOnes()) {
            for (Task task : s.tasks()) {
                assertTrue(Set.of(Input.EMBEDDINGS).containsAll(s.inputs(task)),
                        s + " is model-free, so it may read only the pooled-pixel embeddings the select step makes");
            }
        }
    }
}
