package dev.winnow.storage;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;

/** Small helpers for the {@code file://} and {@code s3://} URIs of the artifact layout. */
public final class Uris {

    private Uris() {
    }

    /**
     * Parses a URI as users write it: {@code s3://bucket/key}, {@code file:///abs/path}, or an
     * absolute local path (taken as {@code file://}). A trailing {@code /} is kept.
     */
    public static URI parse(String text) {
        String value = text.trim();
        if (value.isEmpty()) {
            throw new IllegalArgumentException("empty URI");
        }
        if (value.startsWith("/")) {
            return fromPath(Path.of(value), value.endsWith("/"));
        }
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URI: " + value + " (" + e.getReason() + ")");
        }
        String scheme = uri.getScheme();
        if ("file".equals(scheme)) {
            if (uri.getPath() == null || !uri.getPath().startsWith("/")) {
                throw new IllegalArgumentException("file URI needs an absolute path: " + value);
            }
            return build("file", uri.getAuthority(), uri.getPath());
        }
        if ("s3".equals(scheme)) {
            if (uri.getHost() == null && uri.getAuthority() == null) {
                throw new IllegalArgumentException("s3 URI needs a bucket: " + value);
            }
            return uri;
        }
        throw new IllegalArgumentException("unsupported URI scheme (want s3:// or file://): " + value);
    }

    /** A {@code file:} URI for a local path, with a trailing slash when it names a directory. */
    public static URI fromPath(Path path, boolean directory) {
        String p = path.toAbsolutePath().normalize().toUri().getRawPath();
        if (directory && !p.endsWith("/")) {
            p = p + "/";
        } else if (!directory && p.endsWith("/") && p.length() > 1) {
            p = p.substring(0, p.length() - 1);
        }
        return URI.create("file://" + p);
    }

    public static boolean isDirectory(URI uri) {
        String path = uri.getPath();
        return path == null || path.isEmpty() || path.endsWith("/");
    }

    /** The same location as a directory (trailing slash). */
    public static URI asDirectory(URI uri) {
        return isDirectory(uri) ? uri : URI.create(uri.toString() + "/");
    }

    /** {@code relative} (plain, unencoded path segments joined by '/') below a directory URI. */
    public static URI resolve(URI directory, String relative) {
        String base = asDirectory(directory).getPath();
        String path = base + (relative.startsWith("/") ? relative.substring(1) : relative);
        return build(directory.getScheme(), directory.getAuthority(), path);
    }

    /** A URI from decoded parts; {@code file} URIs always get the {@code file:///} form so equal
     *  locations compare equal. */
    static URI build(String scheme, String authority, String path) {
        try {
            return new URI(scheme, authority == null && "file".equals(scheme) ? "" : authority, path, null, null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("bad path " + path, e);
        }
    }

    /** The path of {@code child} relative to the directory {@code parent} (decoded). */
    public static String relativize(URI parent, URI child) {
        String base = asDirectory(parent).getPath();
        String path = child.getPath();
        if (!path.startsWith(base)) {
            throw new IllegalArgumentException(child + " is not under " + parent);
        }
        return path.substring(base.length());
    }

    /** The last path segment of a URI (ignoring a trailing slash). */
    public static String fileName(URI uri) {
        String path = uri.getPath();
        if (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** The directory that holds a URI. */
    public static URI parent(URI uri) {
        String path = uri.getPath();
        if (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return build(uri.getScheme(), uri.getAuthority(), path.substring(0, path.lastIndexOf('/') + 1));
    }
}
