package dev.winnow.dashboard;

import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The page's files, read once from the jar: the dashboard's own (src/main/resources/dashboard) and uPlot from its
 * webjar, whose version is read from the webjar itself so a version bump in the pom needs nothing here. Held in
 * memory rather than served by Vert.x's StaticHandler, which would unpack class-path files into a cache directory.
 */
final class StaticFiles {
    record File(String contentType, Buffer content) {
    }

    private static final String UPLOT = "META-INF/maven/org.webjars.npm/uplot/pom.properties";

    private StaticFiles() {
    }

    /** Path on the server (under /static/) to file. */
    static Map<String, File> load() {
        Map<String, File> files = new LinkedHashMap<>();
        files.put("index.html", read("dashboard/index.html", "text/html; charset=utf-8"));
        files.put("dashboard.js", read("dashboard/dashboard.js", "text/javascript; charset=utf-8"));
        files.put("dashboard.css", read("dashboard/dashboard.css", "text/css; charset=utf-8"));
        String uplot = "META-INF/resources/webjars/uplot/" + uplotVersion() + "/dist/";
        files.put("uPlot.iife.min.js", read(uplot + "uPlot.iife.min.js", "text/javascript; charset=utf-8"));
        files.put("uPlot.min.css", read(uplot + "uPlot.min.css", "text/css; charset=utf-8"));
        return files;
    }

    static String uplotVersion() {
        Properties p = new Properties();
        try (InputStream in = resource(UPLOT)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p.getProperty("version");
    }

    private static File read(String path, String contentType) {
        try (InputStream in = resource(path)) {
            return new File(contentType, Buffer.buffer(in.readAllBytes()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream resource(String path) throws IOException {
        InputStream in = StaticFiles.class.getClassLoader().getResourceAsStream(path);
        if (in == null) {
            throw new IOException(path + " is not in the jar");
        }
        return in;
    }
}
