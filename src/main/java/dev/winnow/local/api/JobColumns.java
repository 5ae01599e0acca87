package dev.winnow.local.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** The columns kubectl shows for batch/v1 Jobs (Status, Completions, Duration, Age), computed as the API server does. */
public final class JobColumns implements TableColumns {
    private static final List<Column> COLUMNS = List.of(
            NAME,
            new Column("Status", "string", "", "Status of the job.", 0),
            new Column("Completions", "string", "", "The desired number of successfully finished pods the job should be run with.", 0),
            new Column("Duration", "string", "", "Time required to complete the job.", 0),
            new Column("Age", "string", "", "Time since the job was created.", 0),
            new Column("Containers", "string", "", "Names of each container in the template.", 1),
            new Column("Images", "string", "", "Images referenced by each container in the template.", 1));

    @Override
    public List<Column> columns() {
        return COLUMNS;
    }

    @Override
    public ArrayNode cells(JsonNode job, Instant now) {
        JsonNode spec = job.path("spec");
        JsonNode status = job.path("status");
        long succeeded = status.path("succeeded").asLong(0);
        String completions;
        if (spec.hasNonNull("completions")) {
            completions = succeeded + "/" + spec.get("completions").asLong();
        } else if (spec.path("parallelism").asLong(1) > 1) {
            completions = succeeded + "/1 of " + spec.get("parallelism").asLong();
        } else {
            completions = succeeded + "/1";
        }
        Instant start = TableColumns.instant(status.get("startTime"));
        Instant end = TableColumns.instant(status.get("completionTime"));
        String duration = start == null ? "" : HumanDuration.format(Duration.between(start, end == null ? now : end));

        ArrayNode cells = JsonNodeFactory.instance.arrayNode();
        cells.add(job.path("metadata").path("name").asText());
        cells.add(status(job));
        cells.add(completions);
        cells.add(duration);
        cells.add(TableColumns.ageSince(job.path("metadata").path("creationTimestamp"), now));
        StringBuilder names = new StringBuilder();
        StringBuilder images = new StringBuilder();
        for (JsonNode c : spec.path("template").path("spec").path("containers")) {
            names.append(names.length() == 0 ? "" : ",").append(c.path("name").asText());
            images.append(images.length() == 0 ? "" : ",").append(c.path("image").asText());
        }
        cells.add(names.toString());
        cells.add(images.toString());
        return cells;
    }

    static String status(JsonNode job) {
        if (hasCondition(job, "Complete")) {
            return "Complete";
        } else if (hasCondition(job, "Failed")) {
            return "Failed";
        } else if (job.path("metadata").hasNonNull("deletionTimestamp")) {
            return "Terminating";
        } else if (hasCondition(job, "Suspended")) {
            return "Suspended";
        } else if (hasCondition(job, "FailureTarget")) {
            return "FailureTarget";
        }
        return "Running";
    }

    private static boolean hasCondition(JsonNode job, String type) {
        for (JsonNode c : job.path("status").path("conditions")) {
            if (type.equals(c.path("type").asText()) && "True".equals(c.path("status").asText())) {
                return true;
            }
        }
        return false;
    }
}
