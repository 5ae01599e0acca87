package dev.winnow.worker.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.winnow.storage.ArtifactStore;
import dev.winnow.storage.StorageException;

/** JSON Lines files: one JSON object a line (manifests, labels, selections). */
public final class JsonLines {

    public static final ObjectMapper JSON = new ObjectMapper();

    private JsonLines() {
    }

    /** A line that is not a JSON object; the message names the file and line. */
    public static final class BadLineException extends IllegalArgumentException {
        BadLineException(String message) {
            super(message);
        }
    }

    /** All objects of a file; blank lines are skipped. */
    public static List<ObjectNode> read(ArtifactStore store, URI uri) {
        List<ObjectNode> rows = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(store.open(uri), StandardCharsets.UTF_8))) {
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node;
                try {
                    node = JSON.readTree(line);
                } catch (JsonProcessingException e) {
                    throw new BadLineException(uri + " line " + number + ": not JSON ("
                            + e.getOriginalMessage() + ")");
                }
                if (!(node instanceof ObjectNode object)) {
                    throw new BadLineException(uri + " line " + number + ": not a JSON object");
                }
                rows.add(object);
            }
        } catch (IOException e) {
            throw new StorageException("cannot read " + uri + ": " + e.getMessage(), e);
        }
        return rows;
    }

    public static void write(ArtifactStore store, URI uri, List<? extends JsonNode> rows) {
        store.write(uri, out -> {
            Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            for (JsonNode row : rows) {
                writer.write(JSON.writeValueAsString(row));
                writer.write('\n');
            }
            writer.flush();
        });
    }
}
