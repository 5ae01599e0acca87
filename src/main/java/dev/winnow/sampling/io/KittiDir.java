package dev.winnow.sampling.io;

import dev.winnow.sampling.SamplingException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A KITTI label directory as TAO/TLT inference writes it: one {@code <id>.txt} per image, one
 * object a line, 15 KITTI columns plus a trailing confidence (16 in all). Columns 5-8 are the
 * 2-D box [x_min, y_min, x_max, y_max]. An empty file is an image with no detections.
 */
public final class KittiDir {
    private KittiDir() {
    }

    static Map<String, DetectionsJsonl.Image> read(Path dir, String name) {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".txt")
                    && !p.getFileName().toString().equals("ids.txt")).sorted().toList();
        } catch (IOException e) {
            throw new SamplingException(name + ": cannot list: " + e.getMessage(), e);
        }
        Map<String, DetectionsJsonl.Image> images = new LinkedHashMap<>();
        for (Path f : files) {
            String file = f.getFileName().toString();
            String id = file.substring(0, file.length() - 4);
            images.put(id, new DetectionsJsonl.Image(boxes(f, name + "/" + file)));
        }
        return images;
    }

    private static List<Box> boxes(Path f, String name) {
        List<String> lines;
        try {
            lines = Files.readAllLines(f, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SamplingException(name + ": cannot read: " + e.getMessage(), e);
        }
        List<Box> boxes = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] c = line.split("\\s+");
            String at = name + " line " + (i + 1);
            if (c.length != 16) {
                throw new SamplingException(at + ": expected 16 columns (KITTI with a trailing confidence), got "
                        + c.length);
            }
            try {
                double score = Double.parseDouble(c[15]);
                if (!(score >= 0 && score <= 1)) {
                    throw new SamplingException(at + ": confidence " + c[15] + " is outside [0, 1]");
                }
                double[] bbox = {Double.parseDouble(c[4]), Double.parseDouble(c[5]),
                    Double.parseDouble(c[6]), Double.parseDouble(c[7])};
                boxes.add(new Box(c[0], score, null, bbox, 0, 0));
            } catch (NumberFormatException e) {
                throw new SamplingException(at + ": not a number: " + e.getMessage());
            }
        }
        return boxes;
    }
}
