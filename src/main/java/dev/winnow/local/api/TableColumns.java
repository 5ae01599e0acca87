package dev.winnow.local.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/** The columns of one resource type in a {@code meta.k8s.io/v1} Table, and how to fill them from an object. */
public interface TableColumns {

    List<Column> columns();

    /** One cell per column, in order; JSON null where the object has no value. */
    ArrayNode cells(JsonNode object, Instant now);

    record Column(String name, String type, String format, String description, int priority) {
        public ObjectNode toJson() {
            ObjectNode n = JsonNodeFactory.instance.objectNode();
            n.put("name", name).put("type", type).put("format", format == null ? "" : format)
                    .put("description", description == null ? "" : description).put("priority", priority);
            return n;
        }
    }

    Column NAME = new Column("Name", "string", "name", "Name must be unique within a namespace.", 0);

    /** kubectl's own age format for an RFC 3339 timestamp, or null when there is none. */
    static String ageSince(JsonNode timestamp, Instant now) {
        Instant t = instant(timestamp);
        return t == null ? null : HumanDuration.format(Duration.between(t, now));
    }

    static Instant instant(JsonNode timestamp) {
        if (timestamp == null || !timestamp.isTextual() || timestamp.asText().isEmpty()) {
            return null;
        }
        try {
            return Instant.parse(timestamp.asText());
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** Name and age: what a server prints for a type it has no columns for. */
    TableColumns NAME_AGE = new TableColumns() {
        @Override
        public List<Column> columns() {
            return List.of(NAME, new Column("Age", "string", "", "Time since the object was created.", 0));
        }

        @Override
        public ArrayNode cells(JsonNode object, Instant now) {
            ArrayNode cells = JsonNodeFactory.instance.arrayNode();
            cells.add(object.path("metadata").path("name").asText());
            cells.add(ageSince(object.path("metadata").path("creationTimestamp"), now));
            return cells;
        }
    };
}
