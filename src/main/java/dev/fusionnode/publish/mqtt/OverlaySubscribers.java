package dev.fusionnode.publish.mqtt;

import io.moquette.interception.AbstractInterceptHandler;
import io.moquette.interception.messages.InterceptConnectionLostMessage;
import io.moquette.interception.messages.InterceptDisconnectMessage;
import io.moquette.interception.messages.InterceptSubscribeMessage;
import io.moquette.interception.messages.InterceptUnsubscribeMessage;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Watches the embedded broker's subscriptions and says whether any client subscribes to a filter
 * that takes overlays ({@code <prefix>/<camera>/overlay}, also through {@code +} and {@code #}):
 * the encoder makes overlay JPEGs only then. A client's filters go with it when it disconnects or
 * its connection is lost.
 */
final class OverlaySubscribers extends AbstractInterceptHandler {
    private final String[] prefix;
    private final Consumer<Boolean> wanted;
    private final Map<String, Set<String>> filters = new HashMap<>();
    private boolean last;

    /**
     * @param topicPrefix the node's topic prefix
     * @param wanted told {@code true} when the first overlay subscription appears and {@code false}
     *     when the last goes
     */
    OverlaySubscribers(String topicPrefix, Consumer<Boolean> wanted) {
        this.prefix = topicPrefix.split("/", -1);
        this.wanted = wanted;
    }

    @Override
    public String getID() {
        return "fusion-node-overlay-subscribers";
    }

    @Override
    public void onSessionLoopError(Throwable error) {
        // the broker's other interceptor logs session errors
    }

    @Override
    public void onSubscribe(InterceptSubscribeMessage msg) {
        subscribed(msg.getClientID(), msg.getTopicFilter());
    }

    @Override
    public void onUnsubscribe(InterceptUnsubscribeMessage msg) {
        unsubscribed(msg.getClientID(), msg.getTopicFilter());
    }

    @Override
    public void onDisconnect(InterceptDisconnectMessage msg) {
        gone(msg.getClientID());
    }

    @Override
    public void onConnectionLost(InterceptConnectionLostMessage msg) {
        gone(msg.getClientID());
    }

    synchronized void subscribed(String client, String filter) {
        if (takesOverlays(filter)) {
            filters.computeIfAbsent(client, c -> new HashSet<>()).add(filter);
        }
        changed();
    }

    synchronized void unsubscribed(String client, String filter) {
        Set<String> f = filters.get(client);
        if (f != null) {
            f.remove(filter);
            if (f.isEmpty()) {
                filters.remove(client);
            }
        }
        changed();
    }

    synchronized void gone(String client) {
        filters.remove(client);
        changed();
    }

    private void changed() {
        boolean now = !filters.isEmpty();
        if (now != last) {
            last = now;
            wanted.accept(now);
        }
    }

    /**
     * Whether {@code filter} matches {@code <prefix>/<some camera>/overlay} under MQTT's rules:
     * {@code +} takes one level, a trailing {@code #} the rest (its parent level included).
     */
    boolean takesOverlays(String filter) {
        String[] f = filter.split("/", -1);
        int levels = prefix.length + 2;
        for (int i = 0; i < f.length; i++) {
            if (f[i].equals("#")) {
                return i == f.length - 1;
            }
            if (i >= levels) {
                return false;
            }
            if (f[i].equals("+")) {
                continue;
            }
            if (i < prefix.length) {
                if (!f[i].equals(prefix[i])) {
                    return false;
                }
            } else if (i == levels - 1 && !f[i].equals("overlay")) {
                return false;
            }
            // the camera level: any camera id may be one the node publishes
        }
        return f.length == levels;
    }
}
