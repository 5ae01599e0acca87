package dev.winnow.sampling.output;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.winnow.sampling.SelectionResult;
import dev.winnow.sampling.Selected;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** selection.jsonl: {"id", "score", "rank", "strategy", "round"?, "tag"?} per line, rank order. */
public final class SelectionLines {
    private static final JsonFactory JSON = new JsonFactory();

    private SelectionLines() {
    }

    /** Writes the file and returns its sha256 in hex. */
    public static String write(SelectionResult r, Path file) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (OutputStream os = new DigestOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(file)), sha)) {
            for (Selected s : r.selected()) {
                try (JsonGenerator g = JSON.createGenerator(os)) {
                    g.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
                    g.writeStartObject();
                    g.writeStringField("id", s.id());
                    g.writeNumberField("score", s.score());
                    g.writeNumberField("rank", s.rank());
                    g.writeStringField("strategy", r.strategy());
                    if (r.round() != null) {
                        g.writeNumberField("round", r.round());
                    }
                    if (r.tag() != null) {
                        g.writeStringField("tag", r.tag());
                    }
                    g.writeEndObject();
                }
                os.write('\n');
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}
