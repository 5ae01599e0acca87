package dev.winnow.sampling.output;

import dev.winnow.sampling.SelectionResult;
import dev.winnow.sampling.Selected;
import dev.winnow.sampling.io.Box;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Pre-annotations CVAT imports into a task ("Upload annotations", format "CVAT 1.1"): one
 * {@code <image>} per chosen sample, named by its sample id (CVAT matches images by name, with or
 * without the extension), with the model's arg-max class as a {@code <tag>} or its boxes in pixels
 * as {@code <box>}. Format: https://docs.cvat.ai/docs/other/xml_format (version 1.1).
 */
public final class CvatAnnotations {
    private CvatAnnotations() {
    }

    public static void write(SelectionResult r, Path file) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<annotations>\n  <version>1.1</version>\n");
            labels(w, r);
            for (Selected s : r.selected()) {
                w.write("  <image id=\"" + (s.rank() - 1) + "\" name=\"" + escape(s.id()) + "\"" + size(s) + ">\n");
                if (s.probs() != null) {
                    w.write("    <tag label=\"" + escape(LabelStudioTasks.className(r.classes(), LabelStudioTasks.argMax(s.probs())))
                            + "\" source=\"auto\"/>\n");
                } else if (s.boxes() != null) {
                    for (Box b : s.boxes()) {
                        double[] bb = b.bbox();
                        w.write(String.format(Locale.ROOT, "    <box label=\"%s\" source=\"auto\" occluded=\"0\""
                                + " xtl=\"%.2f\" ytl=\"%.2f\" xbr=\"%.2f\" ybr=\"%.2f\" z_order=\"0\"/>%n",
                                escape(b.label()), bb[0], bb[1], bb[2], bb[3]));
                    }
                }
                w.write("  </image>\n");
            }
            w.write("</annotations>\n");
        }
    }

    /** The task's labels, so a person can check them against the CVAT project before importing. */
    private static void labels(Writer w, SelectionResult r) throws IOException {
        Set<String> names = new LinkedHashSet<>(r.classes());
        for (Selected s : r.selected()) {
            if (s.boxes() != null) {
                s.boxes().forEach(b -> names.add(b.label()));
            }
        }
        w.write("  <meta>\n    <task>\n      <size>" + r.count() + "</size>\n      <mode>annotation</mode>\n      <labels>\n");
        for (String name : names) {
            w.write("        <label><name>" + escape(name) + "</name></label>\n");
        }
        w.write("      </labels>\n    </task>\n  </meta>\n");
    }

    private static String size(Selected s) {
        if (s.boxes() == null || s.boxes().isEmpty() || s.boxes().get(0).imageWidth() <= 0) {
            return "";
        }
        return " width=\"" + s.boxes().get(0).imageWidth() + "\" height=\"" + s.boxes().get(0).imageHeight() + "\"";
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
