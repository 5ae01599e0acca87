package dev.winnow.map;

import dev.winnow.storage.Stores;
import dev.winnow.worker.io.NpyWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PoolMapTest {
    @TempDir
    Path dir;

    /** Six samples on a line; round 0 picked s0 and s5, round 1 picked s2, the rest were never picked. */
    private Path artifacts() throws IOException {
        Path art = dir.resolve("art");
        Path emb = Files.createDirectories(art.resolve("datasets/fashion/embeddings"));
        try (NpyWriter npy = new NpyWriter(emb.resolve("embeddings.npy"), 6, 2)) {
            for (int i = 0; i < 6; i++) {
                npy.write(new float[] {i, i % 2});
            }
        }
        Files.write(emb.resolve("ids.txt"), List.of("s0", "s1", "s2", "s3", "s4", "s5"));
        Files.createDirectories(art.resolve("rounds/loop-r0"));
        Files.writeString(art.resolve("rounds/loop-r0/selection.jsonl"),
                "{\"id\":\"s0\",\"round\":0}\n{\"id\":\"s5\",\"round\":0}\n");
        Files.createDirectories(art.resolve("rounds/loop-r1"));
        Files.writeString(art.resolve("rounds/loop-r1/selection.jsonl"), "{\"id\":\"s2\",\"round\":1}\n");
        return art;
    }

    @Test
    void eachSampleTakesTheColourOfTheRoundThatPickedItAndGreyOtherwise() throws IOException {
        PoolMap.Points points = PoolMapSource.read(Stores.fromEnvironment(Map.of()), artifacts().toUri(), "fashion");
        assertEquals(List.of("round 0", "round 1"), points.rounds());
        assertEquals(List.of(0, -1, 1, -1, -1, 0), java.util.Arrays.stream(points.group()).boxed().toList());

        List<Path> written = PoolMap.write(dir.resolve("out"), points);

        String svg = Files.readString(written.get(0));
        assertEquals(2, count(svg, "<g class=\"round-0\" fill=\"" + PoolMap.COLORS[0] + "\">\\n(<circle[^>]*>\\n)"), svg);
        assertEquals(1, count(svg, "<g class=\"round-1\" fill=\"" + PoolMap.COLORS[1] + "\">\\n(<circle[^>]*>\\n)"), svg);
        assertTrue(svg.contains("not picked (3)") && svg.contains("round 0 (2)") && svg.contains("round 1 (1)"), svg);

        BufferedImage png = ImageIO.read(written.get(1).toFile());
        assertEquals(PoolMap.WIDTH, png.getWidth());
        // s2 is drawn in round 1's colour where the layout puts it
        PoolMap.Layout layout = new PoolMap.Layout(points);
        int rgb = png.getRGB((int) Math.round(layout.px(points.xy()[4])), (int) Math.round(layout.py(points.xy()[5]))) & 0xffffff;
        assertEquals(Integer.parseInt(PoolMap.COLORS[1].substring(1), 16), rgb);
    }

    @Test
    void withoutEmbeddingsTheMessageSaysHowToGetThem() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> PoolMapSource.read(Stores.fromEnvironment(Map.of()), dir.toUri(), "fashion"));
        assertTrue(e.getMessage().contains("spec.embedder"), e.getMessage());
    }

    /** How many circles the group matching the pattern's prefix holds. */
    private static int count(String svg, String group) {
        Matcher m = Pattern.compile(group.replace("(<circle[^>]*>\\n)", "((?:<circle[^>]*>\\n)+)")).matcher(svg);
        return m.find() ? (int) m.group(1).lines().count() : 0;
    }
}
