package dev.winnow.worker.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.winnow.Needs;
import dev.winnow.contract.Task;
import dev.winnow.storage.FileStore;
import dev.winnow.worker.TestData;

class FashionDetectionTest {

    @TempDir
    static Path dir;

    @BeforeAll
    static void needsFashionMnist() {
        Needs.directory(TestData.FASHION, "Debian's dataset-fashion-mnist, which .ci/run installs");
    }

    @Test
    void theSameSeedWritesByteIdenticalFilesAndAnotherSeedOthers() throws IOException {
        var options = new FashionDetection.Options(12, 4, 7, true);
        FashionDetection.write(TestData.FASHION, dir.resolve("a"), options);
        FashionDetection.write(TestData.FASHION, dir.resolve("b"), options);
        FashionDetection.write(TestData.FASHION, dir.resolve("c"), new FashionDetection.Options(12, 4, 8, true));
        Map<String, byte[]> a = files(dir.resolve("a"));
        Map<String, byte[]> b = files(dir.resolve("b"));
        assertEquals(2 * (12 + 4), a.size(), a.keySet().toString());
        assertEquals(a.keySet(), b.keySet());
        a.forEach((name, bytes) -> assertArrayEquals(bytes, b.get(name), name));
        assertFalse(java.util.Arrays.equals(a.get("images/000000.png"), files(dir.resolve("c")).get("images/000000.png")));
    }

    @Test
    void canvasesHoldOneToFourItemsWhoseKittiBoxesCoverTheirInk() throws IOException {
        Path out = dir.resolve("layout");
        var written = FashionDetection.write(TestData.FASHION, out, new FashionDetection.Options(20, 5, 1, false));
        LabelSet labels = new KittiLabels().read(new FileStore(), out.resolve("labels").toUri(),
                new ClassList(FashionDetection.CLASSES), Task.ObjectDetection);
        assertEquals(25, labels.size(), "pool and test/ labels: " + labels.ids());
        assertTrue(labels.contains("000019") && labels.contains("test/000004"), labels.ids().toString());
        int objects = 0;
        for (var e : labels.asMap().entrySet()) {
            List<Box> boxes = e.getValue().boxes();
            assertTrue(boxes.size() >= 1 && boxes.size() <= 4, e.getKey() + ": " + boxes);
            objects += boxes.size();
            BufferedImage image = ImageIO.read(out.resolve("images").resolve(e.getKey() + ".png").toFile());
            assertEquals(FashionDetection.CANVAS, image.getWidth());
            for (Box box : boxes) {
                assertTrue(box.x1() >= 0 && box.y1() >= 0 && box.x2() <= 128 && box.y2() <= 128, box.toString());
                assertTrue(box.x2() - box.x1() >= 2 && box.y2() - box.y1() >= 2, box.toString());
                assertTrue(maxInside(image, box) > 30, "the box holds its item's ink: " + box);
            }
            // without clutter, the background outside every box is black
            for (int y = 0; y < 128; y++) {
                for (int x = 0; x < 128; x++) {
                    int px = x;
                    int py = y;
                    boolean inside = boxes.stream().anyMatch(b -> px >= b.x1() && px < b.x2() && py >= b.y1() && py < b.y2());
                    if (!inside) {
                        assertEquals(0, image.getRaster().getSample(x, y, 0), e.getKey() + " at " + x + "," + y);
                    }
                }
            }
        }
        assertEquals(written.objects(), objects);
        String line = Files.readAllLines(out.resolve("labels/000000.txt")).get(0);
        assertEquals(15, line.split(" ").length, "KITTI's 15 fields: " + line);
        assertTrue(line.endsWith(" 0.00 0.00 0.00 0.00 0.00 0.00 0.00"), line);
    }

    private static int maxInside(BufferedImage image, Box box) {
        int max = 0;
        for (int y = (int) box.y1(); y < box.y2(); y++) {
            for (int x = (int) box.x1(); x < box.x2(); x++) {
                max = Math.max(max, image.getRaster().getSample(x, y, 0));
            }
        }
        return max;
    }

    private static Map<String, byte[]> files(Path root) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                files.put(root.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        return files;
    }
}
