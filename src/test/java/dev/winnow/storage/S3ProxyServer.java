package dev.winnow.storage;

import java.net.URI;
import java.util.Map;

import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.blobstore.TransientApiMetadata;

/** An in-memory S3 server (s3proxy over jclouds' transient blob store) for tests. */
public final class S3ProxyServer implements AutoCloseable {

    public static final String ACCESS_KEY = "winnow-test";
    public static final String SECRET_KEY = "winnow-test-secret";

    private final BlobStoreContext context;
    private final S3Proxy proxy;

    public S3ProxyServer() throws Exception {
        // by metadata, not by id: looking providers up by id loads s3proxy's Azure provider,
        // whose jclouds dependency the pom excludes
        context = ContextBuilder.newBuilder(new TransientApiMetadata())
                .credentials("identity", "credential")
                .build(BlobStoreContext.class);
        proxy = S3Proxy.builder()
                .blobStore(context.getBlobStore())
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        proxy.start();
        long deadline = System.currentTimeMillis() + 10_000;
        while (!"STARTED".equals(proxy.getState())) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("s3proxy did not start: " + proxy.getState());
            }
            Thread.sleep(10);
        }
    }

    public BlobStore blobStore() {
        return context.getBlobStore();
    }

    public void createBucket(String bucket) {
        blobStore().createContainerInLocation(null, bucket);
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    /** The standard AWS variables a step Job would get to reach this server. */
    public Map<String, String> awsEnvironment() {
        return Map.of("AWS_ENDPOINT_URL", endpoint().toString(), "AWS_REGION", "us-east-1",
                "AWS_ACCESS_KEY_ID", ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", SECRET_KEY);
    }

    public S3Settings settings() {
        return S3Settings.fromEnvironment(awsEnvironment());
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
        context.close();
    }
}
