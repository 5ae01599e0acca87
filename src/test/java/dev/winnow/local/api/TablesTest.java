package dev.winnow.local.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TablesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void humanDurationsReadLikeKubectls() {
        assertEquals("0s", HumanDuration.format(Duration.ofMillis(-500)));
        assertEquals("45s", HumanDuration.format(Duration.ofSeconds(45)));
        assertEquals("119s", HumanDuration.format(Duration.ofSeconds(119)));
        assertEquals("2m30s", HumanDuration.format(Duration.ofSeconds(150)));
        assertEquals("5m", HumanDuration.format(Duration.ofMinutes(5)));
        assertEquals("42m", HumanDuration.format(Duration.ofMinutes(42)));
        assertEquals("3h5m", HumanDuration.format(Duration.ofMinutes(185)));
        assertEquals("10h", HumanDuration.format(Duration.ofHours(10)));
        assertEquals("3d2h", HumanDuration.format(Duration.ofHours(74)));
        assertEquals("<invalid>", HumanDuration.format(Duration.ofSeconds(-5)));
    }

    @Test
    void jsonPathsOfPrinterColumns() throws Exception {
        JsonNode o = JSON.readTree("{\"spec\":{\"strategy\":{\"name\":\"Margin\"}},\"status\":{\"h\":[{\"r\":1},{\"r\":2}]}}");
        assertEquals("Margin", JsonPaths.find(o, ".spec.strategy.name").asText());
        assertEquals(2, JsonPaths.find(o, ".status.h[1].r").asInt());
        assertNull(JsonPaths.find(o, ".status.missing"));
        assertNull(JsonPaths.find(o, ".status.h[*].r"), "wildcards are beyond the subset");
    }

    @Test
    void crdColumnsBecomeTableCellsWithAgesAndNumbers() throws Exception {
        var crd = WinnowCrds.load().stream().filter(c -> c.getSpec().getNames().getKind().equals("ActiveLearningLoop"))
                .findFirst().orElseThrow();
        ApiCatalog catalog = ApiCatalog.builtIn();
        catalog.addCrd(crd);
        ApiResource loops = catalog.find("winnow.dev/v1alpha1", "activelearningloops").orElseThrow();
        JsonNode loop = JSON.readTree("""
                {"metadata":{"name":"fashion","namespace":"default","resourceVersion":"7",
                             "creationTimestamp":"2024-01-01T00:00:00Z"},
                 "status":{"phase":"Running","round":2,"labeled":400,"lastMetric":0.81}}""");
        ObjectNode table = Tables.table(catalog.columns(loops), List.of(loop), "7", null,
                Instant.parse("2024-01-01T00:02:30Z"));
        List<String> names = new java.util.ArrayList<>();
        table.get("columnDefinitions").forEach(c -> names.add(c.get("name").asText()));
        assertEquals(List.of("Name", "Phase", "Round", "Labeled", "Last Metric", "Age"), names);
        assertEquals("[\"fashion\",\"Running\",2,400,0.81,\"2m30s\"]", table.at("/rows/0/cells").toString());
        assertEquals("PartialObjectMetadata", table.at("/rows/0/object/kind").asText());
        assertEquals("default", table.at("/rows/0/object/metadata/namespace").asText());
    }

    @Test
    void discoveryListsWinnowTypesWithStatusSubresources() {
        ApiCatalog catalog = ApiCatalog.builtIn();
        WinnowCrds.load().forEach(catalog::addCrd);
        JsonNode list = catalog.resourceList("winnow.dev/v1alpha1");
        List<String> names = new java.util.ArrayList<>();
        list.get("resources").forEach(r -> names.add(r.get("name").asText()));
        assertTrue(names.containsAll(List.of("datasets", "datasets/status", "trainingruns", "selectionrounds",
                "activelearningloops", "activelearningloops/status")), names.toString());
        assertTrue(catalog.groupList().toString().contains("\"winnow.dev/v1alpha1\""));
        assertTrue(catalog.resourceList("batch/v1").toString().contains("\"Job\""));
    }

    @Test
    void jobStatusFollowsConditionsLikeKubectl() throws Exception {
        JsonNode job = JSON.readTree("""
                {"metadata":{"name":"j","creationTimestamp":"2024-01-01T00:00:00Z"},
                 "spec":{"completions":3,"template":{"spec":{"containers":[{"name":"c","image":"i"}]}}},
                 "status":{"succeeded":3,"startTime":"2024-01-01T00:00:00Z","completionTime":"2024-01-01T00:01:05Z",
                           "conditions":[{"type":"Complete","status":"True"}]}}""");
        var cells = new JobColumns().cells(job, Instant.parse("2024-01-01T00:10:00Z"));
        assertEquals("[\"j\",\"Complete\",\"3/3\",\"65s\",\"10m\",\"c\",\"i\"]", cells.toString());
    }
}
