package dev.fusionnode.http;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** The API's JSON answers, in one place: content type, layout, and the error object. */
final class JsonReplies {
    private JsonReplies() {}

    /** Answers {@code code} with {@code body}. */
    static void json(RoutingContext rc, int code, JsonObject body) {
        rc.response()
                .setStatusCode(code)
                .putHeader("content-type", "application/json")
                .end(body.encodePrettily());
    }

    /** Answers {@code code} with {@code {"error": message}}. */
    static void error(RoutingContext rc, int code, String message) {
        json(rc, code, error(message));
    }

    /** The error object: {@code {"error": message}}. */
    static JsonObject error(String message) {
        return new JsonObject().put("error", message);
    }
}
