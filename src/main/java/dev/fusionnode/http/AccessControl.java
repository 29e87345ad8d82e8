package dev.fusionnode.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The first handler of every HTTP request: with an API token configured, control requests (any
 * method but GET/HEAD/OPTIONS, and the {@code /ingest} WebSocket) and, with {@code protectReads},
 * every other request but {@code /health/*} and the console's files need {@code Authorization:
 * Bearer <token>}. A missing token is answered 401 (with {@code WWW-Authenticate: Bearer}), a wrong
 * one 403; both are counted. Tokens are compared in constant time.
 */
final class AccessControl implements Handler<RoutingContext> {
    private final Optional<byte[]> token;
    private final boolean protectReads;
    private final AtomicLong refused = new AtomicLong();

    AccessControl(SecurityOptions options) {
        this.token = options.token().map(t -> t.getBytes(StandardCharsets.UTF_8));
        this.protectReads = options.protectReads();
    }

    /** Whether control requests need the token. */
    boolean tokenRequired() {
        return token.isPresent();
    }

    /** Whether reads need the token too ({@code protectReads}). */
    boolean readsNeedToken() {
        return token.isPresent() && protectReads;
    }

    /** Requests refused so far. */
    long refused() {
        return refused.get();
    }

    @Override
    public void handle(RoutingContext rc) {
        if (token.isEmpty()) {
            rc.next();
            return;
        }
        String path = rc.normalizedPath();
        HttpMethod m = rc.request().method();
        boolean read =
                (m == HttpMethod.GET || m == HttpMethod.HEAD || m == HttpMethod.OPTIONS)
                        && !ingest(path);
        if (path.startsWith("/health/") || (read && (!protectReads || consoleShell(path)))) {
            rc.next();
            return;
        }
        String auth = rc.request().getHeader("Authorization");
        if (auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            refused.incrementAndGet();
            rc.response()
                    .setStatusCode(401)
                    .putHeader("WWW-Authenticate", "Bearer realm=\"fusion-node\"")
                    .putHeader("content-type", "application/json")
                    .end(
                            new JsonObject()
                                    .put(
                                            "error",
                                            "this endpoint needs 'Authorization: Bearer <token>'"
                                                    + " (the node's API token)")
                                    .encode());
            return;
        }
        byte[] given = auth.substring(7).strip().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(given, token.get())) {
            refused.incrementAndGet();
            rc.response()
                    .setStatusCode(403)
                    .putHeader("content-type", "application/json")
                    .end(new JsonObject().put("error", "the bearer token is not valid").encode());
            return;
        }
        rc.next();
    }

    /**
     * The console's own files ({@code /console/...} and the viewer script it reuses: HTML, scripts,
     * styles, no data of the node): a browser loads them without a header, and the page then sends
     * the token with every request.
     */
    static boolean consoleShell(String normalizedPath) {
        return normalizedPath.equals("/console")
                || normalizedPath.startsWith("/console/")
                || normalizedPath.equals("/viewer.js");
    }

    /**
     * The {@code /ingest} WebSocket under any spelling the router also matches ({@code /ingest/},
     * {@code /ingest/.}, and anything below it).
     */
    static boolean ingest(String normalizedPath) {
        String p = normalizedPath;
        while (p.endsWith("/.") || (p.endsWith("/") && p.length() > 1)) {
            p = p.substring(0, p.endsWith("/.") ? p.length() - 2 : p.length() - 1);
        }
        return p.equals("/ingest") || p.startsWith("/ingest/");
    }
}
