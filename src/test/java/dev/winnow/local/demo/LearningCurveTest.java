package dev.winnow.local.demo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LearningCurveTest {
    static final List<LearningCurve.Series> SERIES = List.of(
            new LearningCurve.Series("margin", List.of(new LearningCurve.Point(200, 0.61),
                    new LearningCurve.Point(400, 0.70), new LearningCurve.Point(600, 0.76))),
            new LearningCurve.Series("random", List.of(new LearningCurve.Point(200, 0.61),
                    new LearningCurve.Point(400, 0.66), new LearningCurve.Point(600, 0.69))));

    @TempDir
    Path dir;

    @Test
    void svgIsWellFormedWithOnePolylinePerSeries() throws Exception {
        List<Path> files = LearningCurve.write(dir, SERIES);
        assertEquals(dir.resolve("learning-curve.svg"), files.get(0));
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(files.get(0).toFile());
        assertEquals("svg", doc.getDocumentElement().getTagName());
        NodeList polylines = doc.getElementsByTagName("polyline");
        assertEquals(2, polylines.getLength());
        for (int i = 0; i < 2; i++) {
            String[] points = ((Element) polylines.item(i)).getAttribute("points").trim().split("\\s+");
            assertEquals(3, points.length, "one vertex per round");
        }
        assertEquals(6, doc.getElementsByTagName("circle").getLength(), "a marker per round");
        String legend = Files.readString(files.get(0));
        assertTrue(legend.contains(">margin</text>") && legend.contains(">random</text>"), "legend names both");
        // the better strategy is drawn higher: a smaller y for margin's last point than random's
        double marginY = lastY((Element) polylines.item(0));
        double randomY = lastY((Element) polylines.item(1));
        assertTrue(marginY < randomY, marginY + " vs " + randomY);
    }

    @Test
    void pngHasItsSignatureAndReadsBackAtItsSize() throws Exception {
        Path png = LearningCurve.write(dir, SERIES).get(1);
        byte[] bytes = Files.readAllBytes(png);
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, Arrays.copyOf(bytes, 8));
        BufferedImage img = ImageIO.read(png.toFile());
        assertTrue(img.getWidth() > LearningCurve.WIDTH, "the legend's column beside the plot: " + img.getWidth());
        assertEquals(LearningCurve.HEIGHT, img.getHeight());
        assertNotEquals(0xFFFFFF, img.getRGB(LearningCurve.WIDTH / 2, LearningCurve.HEIGHT - 48) & 0xFFFFFF,
                "the x axis is drawn");
    }

    @Test
    void theLegendStandsBesideThePlotWhateverTheNames() throws Exception {
        List<LearningCurve.Series> ten = new java.util.ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ten.add(new LearningCurve.Series("uncertainty-mix-measure-entropy (3 seeds) " + i,
                    List.of(new LearningCurve.Point(100, 0.6), new LearningCurve.Point(800, 0.8 + i / 100.0))));
        }
        var layout = new LearningCurve.Layout(ten);
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(
                new java.io.ByteArrayInputStream(LearningCurve.svg(layout, ten).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        NodeList texts = ((Element) doc.getElementsByTagName("g").item(doc.getElementsByTagName("g").getLength() - 1)).getElementsByTagName("text");
        assertEquals(10, texts.getLength(), "a legend entry per series");
        for (int i = 0; i < texts.getLength(); i++) {
            double x = Double.parseDouble(((Element) texts.item(i)).getAttribute("x"));
            assertTrue(x > layout.right, "right of the plot, not over the curves: " + x);
            int chars = texts.item(i).getTextContent().length();
            assertTrue(x + chars * LearningCurve.Layout.CHAR_WIDTH <= layout.width, "inside the picture");
        }
        assertEquals(layout.width, Integer.parseInt(doc.getDocumentElement().getAttribute("width")));
    }

    @Test
    void aSingleRoundOrNoneStillDraws() throws Exception {
        LearningCurve.write(dir, List.of(new LearningCurve.Series("margin", List.of(new LearningCurve.Point(100, 0.5)))));
        var single = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(dir.resolve("learning-curve.svg").toFile());
        assertEquals(1, single.getElementsByTagName("polyline").getLength(), "one series, one line");
        assertNotNull(ImageIO.read(dir.resolve("learning-curve.png").toFile()));

        LearningCurve.write(dir, List.of());
        var none = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(dir.resolve("learning-curve.svg").toFile());
        assertEquals(0, none.getElementsByTagName("polyline").getLength(), "no series, no line, still a picture");
        assertNotNull(ImageIO.read(dir.resolve("learning-curve.png").toFile()));
    }

    @Test
    void roundsCsvKeepsTheIssuesColumnsFirst() throws Exception {
        Path csv = RoundsCsv.write(dir, List.of(new RoundsCsv.Row(1, 200, 0.6123, 3.25, "margin"),
                new RoundsCsv.Row(2, 400, null, null, "margin")));
        assertEquals(List.of("round,labeled,accuracy,selection_seconds,strategy", "1,200,0.6123,3.3,margin",
                "2,400,,,margin"), Files.readAllLines(csv));
    }

    private static double lastY(Element polyline) {
        String[] points = polyline.getAttribute("points").trim().split("\\s+");
        return Double.parseDouble(points[points.length - 1].split(",")[1]);
    }
}
