package dev.winnow.local.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Table columns of a custom resource from its CRD's additionalPrinterColumns, evaluated the way the
 * apiextensions server does: Name first, dates as ages, numbers as numbers.
 */
public final class CrdColumns implements TableColumns {
    private final List<CustomResourceColumnDefinition> printerColumns;
    private final List<Column> columns = new ArrayList<>();

    public CrdColumns(List<CustomResourceColumnDefinition> printerColumns) {
        this.printerColumns = List.copyOf(printerColumns);
        columns.add(NAME);
        for (CustomResourceColumnDefinition c : this.printerColumns) {
            // the server sends dates as age strings, so the column's type becomes "date" with string cells
            columns.add(new Column(c.getName(), c.getType(), c.getFormat(), c.getDescription(),
                    c.getPriority() == null ? 0 : c.getPriority()));
        }
    }

    @Override
    public List<Column> columns() {
        return columns;
    }

    @Override
    public ArrayNode cells(JsonNode object, Instant now) {
        ArrayNode cells = JsonNodeFactory.instance.arrayNode();
        cells.add(object.path("metadata").path("name").asText());
        for (CustomResourceColumnDefinition c : printerColumns) {
            JsonNode value = JsonPaths.find(object, c.getJsonPath());
            if (value == null) {
                cells.addNull();
                continue;
            }
            switch (c.getType()) {
                case "date" -> {
                    String age = TableColumns.ageSince(value, now);
                    if (age == null) {
                        cells.add("<invalid>");
                    } else {
                        cells.add(age);
                    }
                }
                case "integer" -> {
                    if (value.canConvertToLong()) {
                        cells.add(value.asLong());
                    } else {
                        cells.addNull();
                    }
                }
                case "number" -> {
                    if (value.isNumber()) {
                        cells.add(value.asDouble());
                    } else {
                        cells.addNull();
                    }
                }
                case "boolean" -> cells.add(value.asBoolean());
                default -> cells.add(value.isValueNode() ? value.asText() : value.toString());
            }
        }
        return cells;
    }
}
