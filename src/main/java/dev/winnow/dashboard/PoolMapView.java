package dev.winnow.dashboard;

import dev.winnow.map.PoolMap;
import dev.winnow.map.PoolMapSource;
import dev.winnow.storage.Stores;
import dev.winnow.storage.Uris;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Draws a Dataset's pool map for the page from its artifacts, read from this machine with the same credentials as
 * {@code winnow map} (the AWS variables for {@code s3://}, the file system for {@code file://}). What cannot be
 * read becomes a sentence for the page, not an error page. The last picture per Dataset is kept, keyed by the
 * page's map version, since a projection of a large pool takes a while.
 */
final class PoolMapView {
    /** The SVG, or why there is none. */
    record Result(String svg, String whyNot) {
    }

    private final Map<String, String> environment;
    private final Map<String, Map.Entry<String, Result>> drawn = new ConcurrentHashMap<>();

    PoolMapView(Map<String, String> environment) {
        this.environment = environment;
    }

    Result draw(DatasetPages.Page page) {
        if (page.mapWhyNot() != null) {
            return new Result(null, page.mapWhyNot());
        }
        String key = page.namespace() + "/" + page.name();
        var last = drawn.get(key);
        if (last != null && last.getKey().equals(page.mapVersion())) {
            return last.getValue();
        }
        Result result = read(page);
        drawn.put(key, Map.entry(page.mapVersion(), result));
        return result;
    }

    private Result read(DatasetPages.Page page) {
        try (Stores store = Stores.fromEnvironment(environment)) {
            return new Result(PoolMap.svg(PoolMapSource.read(store, Uris.parse(page.artifacts()), page.name())), null);
        } catch (NoClassDefFoundError e) {
            return new Result(null, "No pool map: this jar is the operator's, packaged without the data plane; run "
                    + "`winnow dashboard` from the worker image or a source checkout to read artifacts.");
        } catch (RuntimeException e) {
            return new Result(null, "No pool map: this machine cannot read the Dataset's artifacts at " + page.artifacts()
                    + " (" + e.getMessage() + "). The dashboard reads them with the same credentials as `winnow map`: "
                    + "the AWS_* variables for s3://, the local file system for file://.");
        }
    }
}
