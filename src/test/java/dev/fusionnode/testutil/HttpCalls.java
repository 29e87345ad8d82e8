package dev.fusionnode.testutil;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;

/**
 * HTTP calls from a test thread. The request chain is built on the event loop: built from a foreign
 * thread, a step that completes before the next one is attached runs on the test thread, and a
 * response body that ended before {@code body()} was attached is lost (the call then hangs).
 */
public final class HttpCalls {
    private HttpCalls() {}

    /**
     * A response.
     *
     * @param status status code
     * @param body body
     * @param contentType content type header
     */
    public record Response(int status, Buffer body, String contentType) {}

    /**
     * Sends a request to 127.0.0.1:{@code port} and waits for the whole response (10 s at most).
     */
    public static Response call(
            Vertx vertx, HttpClient client, HttpMethod method, int port, String path)
            throws Exception {
        Promise<Response> result = Promise.promise();
        vertx.runOnContext(
                v ->
                        client.request(method, port, "127.0.0.1", path)
                                .compose(req -> req.send())
                                .compose(
                                        (HttpClientResponse r) ->
                                                r.body()
                                                        .map(
                                                                b ->
                                                                        new Response(
                                                                                r.statusCode(),
                                                                                b,
                                                                                r.getHeader(
                                                                                        "content-type"))))
                                .onComplete(result));
        return result.future().await(10, TimeUnit.SECONDS);
    }

    /** POSTs {@code json} to {@code http://127.0.0.1:<port><path>} with the JDK's client. */
    public static HttpResponse<String> postJson(int port, String path, String json)
            throws Exception {
        return whole(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .header("content-type", "application/json")
                        .build());
    }

    /**
     * GETs {@code http://127.0.0.1:<port><path>} with the JDK's client (as it comes, asking for an
     * h2c upgrade).
     */
    public static HttpResponse<String> get(int port, String path) throws Exception {
        return whole(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build());
    }

    /**
     * Sends a request and waits at most 60 s for the whole answer, body included (the request's own
     * timeout ends at the headers: an answer whose body stalls would wait for good).
     */
    private static HttpResponse<String> whole(HttpRequest request) throws Exception {
        return java.net.http.HttpClient.newHttpClient()
                .sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .get(60, TimeUnit.SECONDS);
    }
}
