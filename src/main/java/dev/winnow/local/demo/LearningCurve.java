package dev.winnow.local.demo;

import dev.winnow.map.Canvas;
import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The learning curve, accuracy against labeled samples, one line per strategy (e.g. margin against a random
 * baseline), as {@code learning-curve.svg} (hand-written) and {@code learning-curve.png} (Java2D, headless).
 * Both are drawn from the same {@link Layout} so they show the same picture: {@link #WIDTH} for the axes,
 * plus a legend column as wide as the longest name.
 */
public final class LearningCurve {
    public static final String SVG = "learning-curve.svg";
    public static final String PNG = "learning-curve.png";
    static final String DEFAULT_METRIC = "accuracy";
    static final int WIDTH = 720;
    static final int HEIGHT = 450;
    private static final String[] COLORS = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
            "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};

    public record Point(long labeled, double accuracy) {
    }

    /**
     * @param spread a band of plus and minus this much around each point (e.g. one sd over seeds), one value per
     *               point; empty for no band
     */
    public record Series(String name, List<Point> points, List<Double> spread) {
        public Series {
            if (!spread.isEmpty() && spread.size() != points.size()) {
                throw new IllegalArgumentException("a band needs one spread per point");
            }
            spread = List.copyOf(spread);
        }

        public Series(String name, List<Point> points) {
            this(name, points, List.of());
        }

        double low(int i) {
            return points.get(i).accuracy() - (spread.isEmpty() ? 0 : spread.get(i));
        }

        double high(int i) {
            return points.get(i).accuracy() + (spread.isEmpty() ? 0 : spread.get(i));
        }
    }

    private LearningCurve() {
    }

    /** Writes both pictures into the workdir and returns their paths (SVG first). */
    public static List<Path> write(Path workdir, List<Series> series) throws IOException {
        return write(workdir, series, DEFAULT_METRIC);
    }

    /** The same with the metric on the y-axis named, e.g. map50 for a detection loop. */
    public static List<Path> write(Path workdir, List<Series> series, String metric) throws IOException {
        Layout layout = new Layout(series);
        Path svg = workdir.resolve(SVG);
        Files.writeString(svg, svg(layout, series, metric));
        Path png = workdir.resolve(PNG);
        ImageIO.write(png(layout, series, metric), "png", png.toFile());
        return List.of(svg, png);
    }

    static String svg(Layout l, List<Series> series) {
        return svg(l, series, DEFAULT_METRIC);
    }

    static String svg(Layout l, List<Series> series, String metric) {
        StringBuilder s = new StringBuilder();
        s.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">\n", l.width, HEIGHT, l.width, HEIGHT));
        s.append("<title>Learning curve: ").append(Canvas.escape(metric)).append(" against labeled samples</title>\n");
        s.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>\n", l.width, HEIGHT));
        s.append("<g id=\"axes\" stroke=\"#333\" stroke-width=\"1\">\n");
        s.append(line(l.left, l.bottom, l.right, l.bottom)).append(line(l.left, l.top, l.left, l.bottom));
        s.append("</g>\n<g id=\"ticks\" fill=\"#333\">\n");
        for (double x : l.xTicks) {
            double px = l.px(x);
            s.append(line(px, l.bottom, px, l.bottom + 5).replace("/>", " stroke=\"#333\"/>"));
            s.append(text(px, l.bottom + 20, "middle", Layout.label(x, l.xStep)));
            s.append(line(px, l.top, px, l.bottom).replace("/>", " stroke=\"#eee\"/>"));
        }
        for (double y : l.yTicks) {
            double py = l.py(y);
            s.append(line(l.left - 5, py, l.left, py).replace("/>", " stroke=\"#333\"/>"));
            s.append(text(l.left - 8, py + 4, "end", Layout.label(y, l.yStep)));
            s.append(line(l.left, py, l.right, py).replace("/>", " stroke=\"#eee\"/>"));
        }
        s.append("</g>\n");
        s.append(text((l.left + l.right) / 2, HEIGHT - 10, "middle", "labeled samples"));
        s.append(String.format(Locale.ROOT, "<text x=\"16\" y=\"%.1f\" text-anchor=\"middle\" "
                + "transform=\"rotate(-90 16 %.1f)\">%s</text>\n", (l.top + l.bottom) / 2, (l.top + l.bottom) / 2, Canvas.escape(metric)));
        for (int i = 0; i < series.size(); i++) {
            Series sr = series.get(i);
            String color = COLORS[i % COLORS.length];
            StringBuilder pts = new StringBuilder();
            for (Point p : sr.points()) {
                pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", l.px(p.labeled()), l.py(p.accuracy())));
            }
            s.append(String.format(Locale.ROOT, "<g class=\"series\" data-name=\"%s\">\n", Canvas.escape(sr.name())));
            if (!sr.spread().isEmpty()) {
                StringBuilder band = new StringBuilder();
                for (int k = 0; k < sr.points().size(); k++) {
                    band.append(String.format(Locale.ROOT, "%.1f,%.1f ", l.px(sr.points().get(k).labeled()), l.py(sr.high(k))));
                }
                for (int k = sr.points().size() - 1; k >= 0; k--) {
                    band.append(String.format(Locale.ROOT, "%.1f,%.1f ", l.px(sr.points().get(k).labeled()), l.py(sr.low(k))));
                }
                s.append(String.format(Locale.ROOT, "<polygon class=\"band\" fill=\"%s\" fill-opacity=\"0.18\" stroke=\"none\" points=\"%s\"/>\n",
                        color, band.toString().trim()));
            }
            s.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"%s\"/>\n",
                    color, pts.toString().trim()));
            for (Point p : sr.points()) {
                s.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\"/>\n",
                        l.px(p.labeled()), l.py(p.accuracy()), color));
            }
            s.append("</g>\n");
        }
        s.append("<g id=\"legend\">\n");
        for (int i = 0; i < series.size(); i++) {
            double y = l.top + 10 + i * 18;
            String color = COLORS[i % COLORS.length];
            s.append(line(l.legend, y, l.legend + 24, y).replace("/>", " stroke=\"" + color + "\" stroke-width=\"2\"/>"));
            s.append(text(l.legend + 30, y + 4, "start", series.get(i).name()));
        }
        s.append("</g>\n</svg>\n");
        return s.toString();
    }

    static BufferedImage png(Layout l, List<Series> series) {
        return png(l, series, DEFAULT_METRIC);
    }

    static BufferedImage png(Layout l, List<Series> series, String metric) {
        BufferedImage img = Canvas.image(l.width, HEIGHT);
        Graphics2D g = Canvas.blank(img);
        try {
            for (double x : l.xTicks) {
                int px = (int) Math.round(l.px(x));
                g.setColor(new Color(0xEE, 0xEE, 0xEE));
                g.drawLine(px, (int) l.top, px, (int) l.bottom);
                g.setColor(new Color(0x33, 0x33, 0x33));
                g.drawLine(px, (int) l.bottom, px, (int) l.bottom + 5);
                String label = Layout.label(x, l.xStep);
                g.drawString(label, px - g.getFontMetrics().stringWidth(label) / 2, (int) l.bottom + 20);
            }
            for (double y : l.yTicks) {
                int py = (int) Math.round(l.py(y));
                g.setColor(new Color(0xEE, 0xEE, 0xEE));
                g.drawLine((int) l.left, py, (int) l.right, py);
                g.setColor(new Color(0x33, 0x33, 0x33));
                g.drawLine((int) l.left - 5, py, (int) l.left, py);
                String label = Layout.label(y, l.yStep);
                g.drawString(label, (int) l.left - 8 - g.getFontMetrics().stringWidth(label), py + 4);
            }
            g.drawLine((int) l.left, (int) l.bottom, (int) l.right, (int) l.bottom);
            g.drawLine((int) l.left, (int) l.top, (int) l.left, (int) l.bottom);
            String xLabel = "labeled samples";
            g.drawString(xLabel, (int) ((l.left + l.right) / 2) - g.getFontMetrics().stringWidth(xLabel) / 2, HEIGHT - 10);
            Graphics2D rotated = (Graphics2D) g.create();
            rotated.rotate(-Math.PI / 2);
            rotated.drawString(metric, (int) -((l.top + l.bottom) / 2) - 25, 20);
            rotated.dispose();
            g.setStroke(new BasicStroke(2f));
            for (int i = 0; i < series.size(); i++) {
                Color color = Color.decode(COLORS[i % COLORS.length]);
                Series sr = series.get(i);
                List<Point> pts = sr.points();
                if (!sr.spread().isEmpty() && !pts.isEmpty()) {
                    Path2D band = new Path2D.Double();
                    band.moveTo(l.px(pts.get(0).labeled()), l.py(sr.high(0)));
                    for (int k = 1; k < pts.size(); k++) {
                        band.lineTo(l.px(pts.get(k).labeled()), l.py(sr.high(k)));
                    }
                    for (int k = pts.size() - 1; k >= 0; k--) {
                        band.lineTo(l.px(pts.get(k).labeled()), l.py(sr.low(k)));
                    }
                    band.closePath();
                    g.setColor(new Color(color.getRed(), color.getGreen(), color.getBlue(), 46));
                    g.fill(band);
                }
                g.setColor(color);
                Path2D path = new Path2D.Double();
                for (int k = 0; k < pts.size(); k++) {
                    double x = l.px(pts.get(k).labeled());
                    double y = l.py(pts.get(k).accuracy());
                    if (k == 0) {
                        path.moveTo(x, y);
                    } else {
                        path.lineTo(x, y);
                    }
                    g.fill(new Ellipse2D.Double(x - 3.5, y - 3.5, 7, 7));
                }
                g.draw(path);
                double ly = l.top + 10 + i * 18;
                g.drawLine((int) l.legend, (int) ly, (int) l.legend + 24, (int) ly);
                g.setColor(new Color(0x33, 0x33, 0x33));
                g.drawString(series.get(i).name(), (int) l.legend + 30, (int) ly + 4);
            }
        } finally {
            g.dispose();
        }
        return img;
    }

    private static String line(double x1, double y1, double x2, double y2) {
        return String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n", x1, y1, x2, y2);
    }

    private static String text(double x, double y, String anchor, String content) {
        return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">%s</text>\n", x, y, anchor,
                Canvas.escape(content));
    }


    /**
     * Plot area, data ranges rounded out to nice ticks, and the data-to-pixel mapping. The legend sits
     * to the right of the plot, never over the curves, and the picture widens with its longest name.
     */
    static final class Layout {
        /** About the width of a 12-pixel sans-serif character, for sizing the legend column. */
        static final int CHAR_WIDTH = 7;
        final double left = 64;
        final double right = WIDTH - 24;
        final double legend = right + 16;
        final int width;
        final double top = 24;
        final double bottom = HEIGHT - 48;
        final double xMin;
        final double xMax;
        final double yMin;
        final double yMax;
        final double xStep;
        final double yStep;
        final List<Double> xTicks = new ArrayList<>();
        final List<Double> yTicks = new ArrayList<>();

        Layout(List<Series> series) {
            int longest = series.stream().mapToInt(s -> s.name().length()).max().orElse(0);
            width = series.isEmpty() ? WIDTH : (int) legend + 30 + longest * CHAR_WIDTH + 12;
            double x1 = Double.MAX_VALUE;
            double x2 = -Double.MAX_VALUE;
            double y1 = Double.MAX_VALUE;
            double y2 = -Double.MAX_VALUE;
            for (Series s : series) {
                for (int i = 0; i < s.points().size(); i++) {
                    x1 = Math.min(x1, s.points().get(i).labeled());
                    x2 = Math.max(x2, s.points().get(i).labeled());
                    y1 = Math.min(y1, s.low(i));
                    y2 = Math.max(y2, s.high(i));
                }
            }
            if (x1 > x2) {
                // nothing to plot yet: empty axes over a sensible range
                x1 = 0;
                x2 = 1000;
                y1 = 0;
                y2 = 1;
            }
            xStep = niceStep(Math.max(x2, 1) / 5);
            xMin = 0;
            xMax = Math.max(xStep, Math.ceil(x2 / xStep) * xStep);
            double span = Math.max(y2 - y1, 0.05);
            yStep = niceStep(span / 5);
            yMin = Math.max(0, Math.floor((y1 - span * 0.1) / yStep) * yStep);
            yMax = Math.min(1, Math.ceil((y2 + span * 0.1) / yStep) * yStep);
            for (double x = xMin; x <= xMax + xStep / 2; x += xStep) {
                xTicks.add(x);
            }
            for (double y = yMin; y <= yMax + yStep / 2; y += yStep) {
                yTicks.add(y);
            }
        }

        double px(double x) {
            return left + (x - xMin) / (xMax - xMin) * (right - left);
        }

        double py(double y) {
            return bottom - (y - yMin) / (yMax - yMin) * (bottom - top);
        }

        /** 1, 2 or 5 times a power of ten. */
        static double niceStep(double raw) {
            double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
            double f = raw / magnitude;
            return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * magnitude;
        }

        static String label(double v, double step) {
            int decimals = step >= 1 ? 0 : (int) Math.ceil(-Math.log10(step) - 1e-9);
            return String.format(Locale.ROOT, "%." + decimals + "f", v);
        }
    }
}
