package dev.winnow.local.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;

/** {@code <workdir>/rounds.csv}: one row per trained round, for spreadsheets and plotting scripts. */
public final class RoundsCsv {
    public static final String FILE = "rounds.csv";
    /** round, labeled, accuracy first: the columns the issue promises; the rest may grow. */
    public static final String HEADER = "round,labeled,accuracy,selection_seconds,strategy";

    private RoundsCsv() {
    }

    /** One trained round; accuracy or selection time may be unknown (empty cell). */
    public record Row(int round, long labeled, Double accuracy, Double selectionSeconds, String strategy) {
    }

    public static Path write(Path workdir, List<Row> rows) throws IOException {
        return write(workdir, rows, "accuracy");
    }

    /** The same with the metric column named after what the trainer reports (map50 for detection). */
    public static Path write(Path workdir, List<Row> rows, String metric) throws IOException {
        StringBuilder csv = new StringBuilder(HEADER.replace("accuracy", metric)).append('\n');
        for (Row r : rows) {
            csv.append(r.round()).append(',').append(r.labeled()).append(',')
                    .append(r.accuracy() == null ? "" : String.format(Locale.ROOT, "%.4f", r.accuracy())).append(',')
                    .append(r.selectionSeconds() == null ? "" : String.format(Locale.ROOT, "%.1f", r.selectionSeconds()))
                    .append(',').append(quote(r.strategy() == null ? "" : r.strategy())).append('\n');
        }
        Path file = workdir.resolve(FILE);
        Path tmp = workdir.resolve(FILE + ".tmp");
        Files.writeString(tmp, csv);
        // a Ctrl-C mid-write leaves the previous file, never half of one
        return Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String quote(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
