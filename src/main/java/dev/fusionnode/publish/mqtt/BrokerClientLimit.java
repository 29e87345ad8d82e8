package dev.fusionnode.publish.mqtt;

import io.moquette.interception.AbstractInterceptHandler;
import io.moquette.interception.messages.InterceptConnectMessage;
import io.moquette.interception.messages.InterceptConnectionLostMessage;
import io.moquette.interception.messages.InterceptDisconnectMessage;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds the embedded broker's clients, as Mosquitto's {@code max_connections} does: a client that
 * connects while {@code max} others are connected is disconnected at once and counted. Moquette has
 * no such setting, so the bound is kept from its connection events against its list of connected
 * clients (which also knows the ids it gives clients that sent none). Thread-safe.
 */
final class BrokerClientLimit extends AbstractInterceptHandler {
    private static final Logger LOG = LoggerFactory.getLogger(BrokerClientLimit.class);

    private final int max;
    private final Supplier<Collection<String>> connected;
    private final Predicate<String> disconnect;
    private final Consumer<String> refused;
    private final Set<String> admitted = new HashSet<>();
    private long refusedCount;

    /**
     * @param max clients connected at most
     * @param connected the ids of the clients connected now
     * @param disconnect disconnects a client by id
     * @param refused told of each refused client id
     */
    BrokerClientLimit(
            int max,
            Supplier<Collection<String>> connected,
            Predicate<String> disconnect,
            Consumer<String> refused) {
        this.max = max;
        this.connected = connected;
        this.disconnect = disconnect;
        this.refused = refused;
    }

    @Override
    public String getID() {
        return "fusion-node-client-limit";
    }

    @Override
    public void onConnect(InterceptConnectMessage msg) {
        for (String id : admit(connected.get())) {
            disconnect.test(id);
            refused.accept(id);
            LOG.warn(
                    "MQTT client refused: {} clients are connected, the most the broker takes"
                            + " (mqtt.embedded.maxClients)",
                    max);
        }
    }

    @Override
    public void onDisconnect(InterceptDisconnectMessage msg) {
        forget(msg.getClientID());
    }

    @Override
    public void onConnectionLost(InterceptConnectionLostMessage msg) {
        forget(msg.getClientID());
    }

    /** Clients connected now, the bound, and clients refused (status). */
    JsonObject statusJson() {
        int now = connected.get().size();
        synchronized (this) {
            return new JsonObject()
                    .put("connected", now)
                    .put("max", max)
                    .put("refused", refusedCount);
        }
    }

    @Override
    public void onSessionLoopError(Throwable error) {
        // the commands interceptor logs the broker's session errors
    }

    private synchronized void forget(String id) {
        admitted.remove(id);
    }

    /**
     * Takes the clients connected now: those already admitted stay, new ones are admitted while
     * there is room.
     *
     * @return the new clients beyond the bound, to disconnect
     */
    synchronized List<String> admit(Collection<String> now) {
        admitted.retainAll(new HashSet<>(now));
        List<String> over = new ArrayList<>();
        for (String id : now) {
            if (admitted.contains(id)) {
                continue;
            }
            if (admitted.size() < max) {
                admitted.add(id);
            } else {
                over.add(id);
                refusedCount++;
            }
        }
        return over;
    }
}
