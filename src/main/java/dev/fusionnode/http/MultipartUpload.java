package dev.fusionnode.http;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the file parts of a multipart request into memory, up to a byte limit: no temporary file is
 * ever written, so none can be left behind by a request that is cut off, refused at the limit or
 * reset by the client. The parts are read as they come; past the limit the read fails with {@link
 * TooLarge} and the rest of the body is not kept.
 */
final class MultipartUpload {
    /** The body carried more than the limit. */
    static final class TooLarge extends RuntimeException {
        TooLarge(long limit) {
            super("the upload is larger than this endpoint takes (" + (limit >> 20) + " MiB)");
        }
    }

    private MultipartUpload() {}

    /**
     * Reads the file parts of {@code request} by field name.
     *
     * @param maxBytes the most bytes of file content taken, over all parts
     * @param maxParts the most file parts taken; more fail the read
     */
    static Future<Map<String, Buffer>> read(
            HttpServerRequest request, long maxBytes, int maxParts) {
        Promise<Map<String, Buffer>> done = Promise.promise();
        Map<String, Buffer> parts = new LinkedHashMap<>();
        long[] total = {0};
        request.setExpectMultipart(true);
        request.uploadHandler(
                upload -> {
                    if (parts.size() >= maxParts) {
                        done.tryFail(
                                new IllegalArgumentException(
                                        "at most " + maxParts + " file parts are taken"));
                        return;
                    }
                    Buffer content = Buffer.buffer();
                    parts.put(upload.name(), content);
                    upload.handler(
                            chunk -> {
                                total[0] += chunk.length();
                                if (total[0] > maxBytes) {
                                    done.tryFail(new TooLarge(maxBytes));
                                } else if (!done.future().isComplete()) {
                                    content.appendBuffer(chunk);
                                }
                            });
                    upload.exceptionHandler(done::tryFail);
                });
        request.exceptionHandler(done::tryFail);
        request.endHandler(v -> done.tryComplete(parts));
        request.resume();
        return done.future();
    }
}
