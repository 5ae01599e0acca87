package dev.winnow.operator;

import com.fasterxml.jackson.databind.JsonNode;
import dev.winnow.api.v1alpha1.WinnowStatus;
import dev.winnow.operator.status.Conditions;
import io.fabric8.kubernetes.client.CustomResource;
import org.junit.jupiter.api.Test;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LoadState;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.compiler.LuaC;
import org.luaj.vm2.lib.PackageLib;
import org.luaj.vm2.lib.TableLib;
import org.luaj.vm2.lib.jse.JseBaseLib;

import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Argo CD health checks of examples/argocd, read from the example itself and run by a Lua
 * interpreter in the sandbox Argo CD gives custom health scripts: base, package and table, no
 * string library unless an admin sets useOpenLibs (argo-cd util/lua/lua.go). Luaj speaks Lua 5.2,
 * Argo CD's gopher-lua 5.1; the script keeps to what both share. Objects are handed over as Argo CD
 * does: JSON numbers become Lua numbers, arrays tables from 1.
 */
class ArgoCdHealthTest {
    static final Path CONFIG = Path.of("examples/argocd/argocd-cm-health.yaml");
    static final Path FIXTURES = Path.of("src/test/resources/argocd/health-fixtures.yaml");
    static final String KEY = "resource.customizations.health.winnow.dev_";

    @Test
    void everyWinnowKindHasTheSameHealthCheck() throws IOException {
        for (String kind : ExamplesTest.KINDS.keySet()) {
            assertEquals(script("ActiveLearningLoop"), script(kind), kind);
        }
    }

    @Test
    void everyPhaseOfEveryKindGetsItsHealth() throws IOException {
        List<String> wrong = new ArrayList<>();
        for (JsonNode fixture : ExamplesTest.documents(FIXTURES)) {
            JsonNode object = fixture.path("object");
            String kind = object.path("kind").asText();
            String phase = object.path("status").path("phase").asText(null);
            if (phase != null) {
                // the fixture's phase is what the operator derives from its conditions: the conditions are real ones
                assertEquals(phase, Conditions.phase(status(object)), fixture.path("name").asText());
            }
            String got;
            try {
                LuaTable health = health(script(kind), object);
                got = health.get("status").tojstring() + ": " + health.get("message").optjstring(null);
            } catch (LuaError e) {
                got = "error (Argo CD shows Unknown): " + e.getMessage();
            }
            String expected = fixture.path("expect").path("status").asText() + ": " + fixture.path("expect").path("message").asText();
            if (!got.equals(expected)) {
                wrong.add(fixture.path("name").asText() + "\n    expected " + expected + "\n    got      " + got);
            }
        }
        assertEquals("", String.join("\n", wrong));
    }

    @Test
    void theFixturesCoverEveryKindAndEveryHealth() throws IOException {
        Set<String> kinds = new TreeSet<>();
        Set<String> healths = new TreeSet<>();
        for (JsonNode fixture : ExamplesTest.documents(FIXTURES)) {
            kinds.add(fixture.path("object").path("kind").asText());
            healths.add(fixture.path("expect").path("status").asText());
        }
        assertEquals(new TreeSet<>(ExamplesTest.KINDS.keySet()), kinds);
        assertEquals(Set.of("Degraded", "Healthy", "Progressing", "Suspended"), healths);
    }

    @Test
    void theSandboxLacksTheStringLibraryAsArgoCdsDoes() {
        // string.find in a health script is an error in Argo CD (health Unknown), so it must be one here
        LuaError error = assertThrows(LuaError.class, () -> sandbox().load("return string.find('Waiting', '^Waiting')").call());
        assertTrue(error.getMessage().contains("string"), error.getMessage());
    }

    static LuaTable health(String script, JsonNode object) {
        Globals globals = sandbox();
        globals.set("obj", lua(object));
        LuaValue result = globals.load(script, "health.lua").call();
        assertTrue(result.istable(), "a health script returns a table, got " + result);
        return (LuaTable) result;
    }

    private static Globals sandbox() {
        Globals globals = new Globals();
        globals.load(new JseBaseLib());
        globals.load(new PackageLib());
        globals.load(new TableLib());
        LoadState.install(globals);
        LuaC.install(globals);
        return globals;
    }

    private static LuaValue lua(JsonNode node) {
        if (node.isObject()) {
            LuaTable table = new LuaTable();
            node.fields().forEachRemaining(e -> table.set(e.getKey(), lua(e.getValue())));
            return table;
        }
        if (node.isArray()) {
            LuaTable table = new LuaTable();
            for (int i = 0; i < node.size(); i++) {
                table.set(i + 1, lua(node.get(i)));
            }
            return table;
        }
        if (node.isNumber()) {
            return LuaValue.valueOf(node.asDouble());
        }
        if (node.isBoolean()) {
            return LuaValue.valueOf(node.asBoolean());
        }
        return node.isNull() || node.isMissingNode() ? LuaValue.NIL : LuaValue.valueOf(node.asText());
    }

    /** The script for one kind, read as kubectl reads the example: YAML aliases resolved (Jackson's parser does not). */
    private static String script(String kind) throws IOException {
        Map<String, Object> config = new Yaml().load(Files.readString(CONFIG));
        Object script = ((Map<?, ?>) config.get("data")).get(KEY + kind);
        assertNotNull(script, CONFIG + " has no health check for " + kind);
        return (String) script;
    }

    /** Reads the fixture as the API type, so a fixture shaped unlike a real object fails here. */
    private static WinnowStatus status(JsonNode object) throws IOException {
        var resource = (CustomResource<?, ?>) ExamplesTest.YAML.treeToValue(object, ExamplesTest.KINDS.get(object.path("kind").asText()));
        return (WinnowStatus) resource.getStatus();
    }
}
