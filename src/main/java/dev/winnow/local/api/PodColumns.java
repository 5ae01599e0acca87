package dev.winnow.local.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import java.time.Instant;
import java.util.List;

/** The columns kubectl shows for Pods (Ready, Status, Restarts, Age); the demo's pods are local processes. */
public final class PodColumns implements TableColumns {
    private static final List<Column> COLUMNS = List.of(
            NAME,
            new Column("Ready", "string", "", "The aggregate readiness state of this pod for accepting traffic.", 0),
            new Column("Status", "string", "", "The aggregate status of the containers in this pod.", 0),
            new Column("Restarts", "string", "", "The number of times the containers in this pod have been restarted.", 0),
            new Column("Age", "string", "", "Time since the pod was created.", 0));

    @Override
    public List<Column> columns() {
        return COLUMNS;
    }

    @Override
    public ArrayNode cells(JsonNode pod, Instant now) {
        JsonNode status = pod.path("status");
        int total = pod.path("spec").path("containers").size();
        int ready = 0;
        long restarts = 0;
        String reason = status.path("phase").asText("Pending");
        for (JsonNode cs : status.path("containerStatuses")) {
            if (cs.path("ready").asBoolean(false)) {
                ready++;
            }
            restarts += cs.path("restartCount").asLong(0);
            JsonNode terminated = cs.path("state").path("terminated");
            if (terminated.hasNonNull("reason")) {
                reason = terminated.get("reason").asText();
            }
        }
        ArrayNode cells = JsonNodeFactory.instance.arrayNode();
        cells.add(pod.path("metadata").path("name").asText());
        cells.add(ready + "/" + total);
        cells.add(reason);
        cells.add(Long.toString(restarts));
        cells.add(TableColumns.ageSince(pod.path("metadata").path("creationTimestamp"), now));
        return cells;
    }
}
