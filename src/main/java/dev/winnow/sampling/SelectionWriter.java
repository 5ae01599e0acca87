package dev.winnow.sampling;

import dev.winnow.sampling.output.CocoAnnotations;
import dev.winnow.sampling.output.CvatAnnotations;
import dev.winnow.sampling.output.KittiAnnotations;
import dev.winnow.sampling.output.LabelStudioTasks;
import dev.winnow.sampling.output.SelectionLines;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Writes a {@link SelectionResult}: {@code out} (selection.jsonl, one line per sample in rank
 * order), {@code label-request.json} beside it (Label Studio task import, with the model's
 * predictions as pre-annotations), {@code label-request.cvat.xml} (the same for CVAT) and, for
 * detections, {@code label-request.coco.json} (from detections.jsonl) or a {@code label-request.kitti/}
 * directory (from KITTI). Everything is
 * written to temporary names in the same directory and renamed at the end, so a failure
 * leaves no partial output.
 */
public final class SelectionWriter {

    public WrittenSelection write(SelectionResult r, Path out) {
        return write(r, out, "winnow-" + r.strategy());
    }

    /** @param modelVersion what the label request calls the model that predicted (the TrainingRun) */
    public WrittenSelection write(SelectionResult r, Path out, String modelVersion) {
        Path dir = out.toAbsolutePath().getParent();
        Path labelRequest = dir.resolve("label-request.json");
        Path pre = r.detectionFormat() == null ? null
                : dir.resolve(r.detectionFormat().equals("kitti") ? "label-request.kitti" : "label-request.coco.json");
        List<Path[]> moves = new ArrayList<>();
        try {
            Files.createDirectories(dir);
            Path tmpSel = temp(dir, ".selection");
            moves.add(new Path[] {tmpSel, out});
            String sha = SelectionLines.write(r, tmpSel);
            Path tmpReq = temp(dir, ".label-request");
            moves.add(new Path[] {tmpReq, labelRequest});
            LabelStudioTasks.write(r, tmpReq, modelVersion);
            Path tmpCvat = temp(dir, ".label-request-cvat");
            moves.add(new Path[] {tmpCvat, dir.resolve("label-request.cvat.xml")});
            CvatAnnotations.write(r, tmpCvat);
            if (pre != null) {
                Path tmpPre;
                if (r.detectionFormat().equals("kitti")) {
                    tmpPre = Files.createDirectory(dir.resolve(".label-request-kitti-" + java.util.UUID.randomUUID()));
                    moves.add(new Path[] {tmpPre, pre});
                    KittiAnnotations.write(r, tmpPre);
                } else {
                    tmpPre = temp(dir, ".label-request-coco");
                    moves.add(new Path[] {tmpPre, pre});
                    CocoAnnotations.write(r, tmpPre);
                }
            }
            for (Path[] m : moves) {
                if (Files.isDirectory(m[1])) {
                    delete(m[1]);
                }
                Files.move(m[0], m[1], StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            return new WrittenSelection(out, labelRequest, pre, r.count(), sha);
        } catch (IOException e) {
            for (Path[] m : moves) {
                delete(m[0]);
            }
            throw new UncheckedIOException("cannot write " + out + ": " + e.getMessage(), e);
        }
    }

    // createTempFile would make the file owner-only; the selection is meant to be shared
    private static Path temp(Path dir, String prefix) throws IOException {
        return Files.createFile(dir.resolve(prefix + "-" + java.util.UUID.randomUUID() + ".tmp"));
    }

    private static void delete(Path p) {
        try (Stream<Path> s = Files.walk(p)) {
            for (Path f : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        } catch (IOException ignored) {
            // best effort: a leftover temporary name is harmless
        }
    }
}
