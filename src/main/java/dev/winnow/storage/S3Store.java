package dev.winnow.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@code s3://bucket/key} artifacts through the AWS SDK v2. An object becomes visible only when
 * its PUT (or the completion of its multipart upload) succeeds, so publishing spools the content
 * to a local temporary file first and then sends it whole: a crash mid-write publishes nothing.
 */
public final class S3Store implements ArtifactStore {

    /** Objects larger than this go up as multipart uploads of this part size. */
    static final long DEFAULT_PART_SIZE = 64L * 1024 * 1024;

    private final S3Client client;
    private final long partSize;
    private final List<Path> staged = new ArrayList<>();

    public S3Store(S3Settings settings) {
        this(settings, DEFAULT_PART_SIZE);
    }

    /** @param partSize multipart threshold and part size (at least 5 MiB, the S3 minimum) */
    public S3Store(S3Settings settings, long partSize) {
        if (partSize < 5L * 1024 * 1024) {
            throw new IllegalArgumentException("S3 parts must be at least 5 MiB");
        }
        this.client = buildClient(settings);
        this.partSize = partSize;
    }

    private static S3Client buildClient(S3Settings settings) {
        AwsCredentialsProvider credentials;
        if (settings.accessKeyId() != null && settings.secretAccessKey() != null) {
            credentials = StaticCredentialsProvider.create(settings.sessionToken() == null
                    ? AwsBasicCredentials.create(settings.accessKeyId(), settings.secretAccessKey())
                    : AwsSessionCredentials.create(settings.accessKeyId(), settings.secretAccessKey(),
                            settings.sessionToken()));
        } else {
            credentials = DefaultCredentialsProvider.builder().build();
        }
        var builder = S3Client.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .region(Region.of(settings.region()))
                .credentialsProvider(credentials)
                // MinIO, Ceph and older gateways reject the CRC trailers newer SDKs send by default
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        if (settings.endpoint() != null) {
            builder.endpointOverride(settings.endpoint())
                    .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build());
        }
        return builder.build();
    }

    @Override
    public InputStream open(URI uri) {
        try {
            return client.getObject(b -> b.bucket(bucket(uri)).key(key(uri)));
        } catch (NoSuchKeyException e) {
            throw new StorageException("not found: " + uri);
        } catch (SdkException e) {
            throw ArtifactStore.failure("cannot read", uri, e);
        }
    }

    @Override
    public void write(URI uri, Content content) {
        requireObject(uri);
        Path spool = null;
        try {
            spool = Files.createTempFile("winnow-s3-", ".part");
            try (OutputStream out = Files.newOutputStream(spool)) {
                content.writeTo(new ShieldedOutputStream(out));
            }
            upload(spool, uri);
        } catch (IOException e) {
            throw ArtifactStore.failure("cannot write", uri, e);
        } finally {
            TempFiles.deleteQuietly(spool);
        }
    }

    @Override
    public void upload(Path file, URI uri) {
        requireObject(uri);
        try {
            long size = Files.size(file);
            if (size <= partSize) {
                client.putObject(b -> b.bucket(bucket(uri)).key(key(uri)), RequestBody.fromFile(file));
            } else {
                multipartUpload(file, size, uri);
            }
        } catch (IOException | SdkException e) {
            throw ArtifactStore.failure("cannot write", uri, e);
        }
    }

    /** Parts are invisible until completion; on failure the upload is aborted so no parts linger. */
    private void multipartUpload(Path file, long size, URI uri) throws IOException {
        String bucket = bucket(uri);
        String key = key(uri);
        String uploadId = client.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
        try (var channel = java.nio.channels.FileChannel.open(file)) {
            List<CompletedPart> parts = new ArrayList<>();
            int number = 1;
            for (long offset = 0; offset < size; offset += partSize, number++) {
                long length = Math.min(partSize, size - offset);
                InputStream in = java.nio.channels.Channels.newInputStream(channel.position(offset));
                int partNumber = number;
                String etag = client.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                                .partNumber(partNumber).contentLength(length),
                        RequestBody.fromInputStream(new BoundedInputStream(in, length), length)).eTag();
                parts.add(CompletedPart.builder().partNumber(partNumber).eTag(etag).build());
            }
            client.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                    .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build()));
        } catch (IOException | RuntimeException e) {
            try {
                client.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
            } catch (SdkException abortFailure) {
                e.addSuppressed(abortFailure);
            }
            throw e;
        }
    }

    @Override
    public List<StoredObject> list(URI directory) {
        URI dir = Uris.asDirectory(directory);
        String bucket = bucket(dir);
        String prefix = key(dir);
        List<StoredObject> found = new ArrayList<>();
        try {
            for (S3Object object : client.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix))
                    .contents()) {
                if (object.key().endsWith("/")) {
                    continue; // "folder" placeholder objects made by consoles
                }
                found.add(new StoredObject(objectUri(bucket, object.key()), object.size(),
                        object.lastModified()));
            }
        } catch (SdkException e) {
            throw ArtifactStore.failure("cannot list", directory, e);
        }
        found.sort(StoredObject.BY_URI);
        return found;
    }

    @Override
    public boolean exists(URI uri) {
        if (Uris.isDirectory(uri)) {
            try {
                return client.listObjectsV2(b -> b.bucket(bucket(uri)).prefix(key(uri)).maxKeys(1))
                        .keyCount() > 0;
            } catch (SdkException e) {
                throw ArtifactStore.failure("cannot list", uri, e);
            }
        }
        try {
            client.headObject(b -> b.bucket(bucket(uri)).key(key(uri)));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw ArtifactStore.failure("cannot check", uri, e);
        } catch (SdkException e) {
            throw ArtifactStore.failure("cannot check", uri, e);
        }
    }

    @Override
    public void delete(URI uri) {
        try {
            if (!Uris.isDirectory(uri)) {
                client.deleteObject(b -> b.bucket(bucket(uri)).key(key(uri)));
                return;
            }
            // one request per object: the batch DeleteObjects call needs a checksum header that
            // several S3-compatible servers do not implement
            for (StoredObject object : list(uri)) {
                client.deleteObject(b -> b.bucket(bucket(uri)).key(key(object.uri())));
            }
        } catch (SdkException e) {
            throw ArtifactStore.failure("cannot delete", uri, e);
        }
    }

    @Override
    public synchronized Path stage(URI uri) {
        requireObject(uri);
        try {
            Path local = Files.createTempFile("winnow-stage-", "-" + Uris.fileName(uri));
            staged.add(local);
            try (InputStream in = open(uri)) {
                Files.copy(in, local, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            return local;
        } catch (IOException e) {
            throw ArtifactStore.failure("cannot stage", uri, e);
        }
    }

    @Override
    public synchronized void close() {
        staged.forEach(TempFiles::deleteQuietly);
        staged.clear();
        client.close();
    }

    static String bucket(URI uri) {
        String bucket = uri.getAuthority();
        if (!"s3".equals(uri.getScheme()) || bucket == null || bucket.isEmpty()) {
            throw new IllegalArgumentException("not an s3://bucket/key URI: " + uri);
        }
        return bucket;
    }

    static String key(URI uri) {
        String path = uri.getPath();
        return path == null || path.isEmpty() ? "" : path.substring(1);
    }

    private static URI objectUri(String bucket, String key) {
        return Uris.resolve(URI.create("s3://" + bucket + "/"), key);
    }

    private static void requireObject(URI uri) {
        if (Uris.isDirectory(uri)) {
            throw new IllegalArgumentException("not an object URI (ends with /): " + uri);
        }
        bucket(uri);
    }

    /** Reads at most {@code remaining} bytes, so one part does not run into the next. */
    private static final class BoundedInputStream extends InputStream {
        private final InputStream in;
        private long remaining;

        BoundedInputStream(InputStream in, long remaining) {
            this.in = in;
            this.remaining = remaining;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = in.read(buf, off, (int) Math.min(len, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }
    }
}
