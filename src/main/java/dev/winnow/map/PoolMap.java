package dev.winnow.map;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The picture: every sample at its 2-D position, grey when no round picked it, else in its round's colour, with
 * a legend of the rounds and their counts. {@code pool-map.svg} (hand-written) and {@code pool-map.png} (Java2D,
 * headless) come from the same {@link Layout}, as the learning curve's do. Unpicked samples beyond
 * {@value #MAX_GREY} are thinned (seeded) to keep the SVG small; every picked sample is drawn, over the grey.
 */
public final class PoolMap {
    public static final String SVG = "pool-map.svg";
    public static final String PNG = "pool-map.png";
    static final int WIDTH = 720;
    static final int HEIGHT = 560;
    static final int MAX_GREY = 8000;
    static final String GREY = "#c8c8c8";
    static final String[] COLORS = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
            "#17becf", "#bcbd22", "#7f7f7f"};

    /**
     * @param xy     [n, 2] positions
     * @param group  per sample: -1 when not picked, else the index of its round in {@code rounds}
     * @param rounds the rounds' names in legend order ("round 0", ...)
     */
    public record Points(double[] xy, int[] group, List<String> rounds, String title) {
        int n() {
            return group.length;
        }

        long count(int g) {
            long c = 0;
            for (int v : group) {
                if (v == g) {
                    c++;
                }
            }
            return c;
        }
    }

    private PoolMap() {
    }

    /** The SVG alone, for a page that shows it (the dashboard). */
    public static String svg(Points points) {
        return svg(new Layout(points), points);
    }

    /** Writes both pictures into {@code dir}; returns their paths, SVG first. */
    public static List<Path> write(Path dir, Points points) throws IOException {
        Files.createDirectories(dir);
        Layout layout = new Layout(points);
        Path svg = dir.resolve(SVG);
        Files.writeString(svg, svg(layout, points));
        Path png = dir.resolve(PNG);
        ImageIO.write(png(layout, points), "png", png.toFile());
        return List.of(svg, png);
    }

    static String color(int group) {
        return group < 0 ? GREY : COLORS[group % COLORS.length];
    }

    /** Drawing order: grey first (thinned), then each round in order, so picks sit on top. */
    static List<Integer> order(Points p) {
        List<Integer> grey = new ArrayList<>();
        List<Integer> picked = new ArrayList<>();
        for (int i = 0; i < p.n(); i++) {
            (p.group()[i] < 0 ? grey : picked).add(i);
        }
        if (grey.size() > MAX_GREY) {
            java.util.Collections.shuffle(grey, new Random(0));
            grey = new ArrayList<>(grey.subList(0, MAX_GREY));
            java.util.Collections.sort(grey);
        }
        picked.sort(java.util.Comparator.comparingInt((Integer i) -> p.group()[i]).thenComparingInt(i -> i));
        List<Integer> all = new ArrayList<>(grey);
        all.addAll(picked);
        return all;
    }

    static String svg(Layout l, Points p) {
        StringBuilder s = new StringBuilder();
        s.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">\n", WIDTH, HEIGHT, WIDTH, HEIGHT));
        s.append("<title>").append(Canvas.escape(p.title())).append("</title>\n");
        s.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>\n", WIDTH, HEIGHT));
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"20\" text-anchor=\"middle\">%s</text>\n", WIDTH / 2, Canvas.escape(p.title())));
        int current = Integer.MIN_VALUE;
        for (int i : order(p)) {
            int g = p.group()[i];
            if (g != current) {
                if (current != Integer.MIN_VALUE) {
                    s.append("</g>\n");
                }
                s.append(String.format(Locale.ROOT, "<g class=\"%s\" fill=\"%s\">\n", g < 0 ? "unpicked" : "round-" + g, color(g)));
                current = g;
            }
            s.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%s\"/>\n", l.px(p.xy()[2 * i]),
                    l.py(p.xy()[2 * i + 1]), g < 0 ? "1.2" : "2.5"));
        }
        if (current != Integer.MIN_VALUE) {
            s.append("</g>\n");
        }
        s.append("<g id=\"legend\">\n");
        List<String> entries = legend(p);
        for (int k = 0; k < entries.size(); k++) {
            double y = Layout.TOP + 10 + k * 18;
            s.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"%s\"/>\n", l.legendX(), y,
                    color(k - 1)));
            s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\">%s</text>\n", l.legendX() + 10, y + 4,
                    Canvas.escape(entries.get(k))));
        }
        s.append("</g>\n</svg>\n");
        return s.toString();
    }

    /** "not picked (59,500)" first, then "round 0 (200)", ... */
    static List<String> legend(Points p) {
        List<String> entries = new ArrayList<>();
        entries.add(String.format(Locale.ROOT, "not picked (%,d)", p.count(-1)));
        for (int g = 0; g < p.rounds().size(); g++) {
            entries.add(String.format(Locale.ROOT, "%s (%,d)", p.rounds().get(g), p.count(g)));
        }
        return entries;
    }

    static BufferedImage png(Layout l, Points p) {
        BufferedImage img = Canvas.image(WIDTH, HEIGHT);
        Graphics2D g = Canvas.blank(img);
        try {
            g.setColor(Color.DARK_GRAY);
            g.drawString(p.title(), WIDTH / 2 - g.getFontMetrics().stringWidth(p.title()) / 2, 20);
            for (int i : order(p)) {
                int group = p.group()[i];
                g.setColor(Color.decode(color(group)));
                double r = group < 0 ? 1.2 : 2.5;
                g.fill(new java.awt.geom.Ellipse2D.Double(l.px(p.xy()[2 * i]) - r, l.py(p.xy()[2 * i + 1]) - r, 2 * r, 2 * r));
            }
            List<String> entries = legend(p);
            for (int k = 0; k < entries.size(); k++) {
                double y = Layout.TOP + 10 + k * 18;
                g.setColor(Color.decode(color(k - 1)));
                g.fill(new java.awt.geom.Ellipse2D.Double(l.legendX() - 5, y - 5, 10, 10));
                g.setColor(Color.DARK_GRAY);
                g.drawString(entries.get(k), (int) l.legendX() + 10, (int) y + 4);
            }
        } finally {
            g.dispose();
        }
        return img;
    }


    /** Where the points go: the data's bounding box scaled into the plot area, the legend on the right. */
    static final class Layout {
        static final double TOP = 36;
        static final double LEFT = 16;
        static final double LEGEND = 170;
        final double minX;
        final double minY;
        final double scale;

        Layout(Points p) {
            double loX = Double.MAX_VALUE;
            double hiX = -Double.MAX_VALUE;
            double loY = Double.MAX_VALUE;
            double hiY = -Double.MAX_VALUE;
            for (int i = 0; i < p.n(); i++) {
                loX = Math.min(loX, p.xy()[2 * i]);
                hiX = Math.max(hiX, p.xy()[2 * i]);
                loY = Math.min(loY, p.xy()[2 * i + 1]);
                hiY = Math.max(hiY, p.xy()[2 * i + 1]);
            }
            if (p.n() == 0) {
                loX = loY = 0;
                hiX = hiY = 1;
            }
            double spanX = Math.max(hiX - loX, 1e-9);
            double spanY = Math.max(hiY - loY, 1e-9);
            // one scale for both axes: distances on the map are the projection's distances
            this.scale = Math.min((WIDTH - LEFT - LEGEND - 16) / spanX, (HEIGHT - TOP - 16) / spanY);
            this.minX = loX;
            this.minY = loY;
        }

        double px(double x) {
            return LEFT + (x - minX) * scale;
        }

        /** Up is up: larger y is higher on the picture. */
        double py(double y) {
            return HEIGHT - 16 - (y - minY) * scale;
        }

        double legendX() {
            return WIDTH - LEGEND + 10;
        }
    }
}
