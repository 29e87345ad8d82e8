package dev.fusionnode.publish.mqtt;

import io.moquette.broker.security.IAuthorizatorPolicy;
import io.moquette.broker.subscriptions.Topic;
import java.util.List;

/**
 * Who may publish where on the embedded broker: under the node's topic prefix a client may publish
 * only to the topics the node takes input from (commands, annotations, pushed sensor data); the
 * masks, metas and the retained status are written by the node alone (its own messages are
 * published inside the broker and need no permission). Topics outside the prefix and all reads are
 * open, as before.
 */
final class NodeTopicsPolicy implements IAuthorizatorPolicy {
    private final String prefix;
    private final List<String> inbound;

    /**
     * @param prefix the node's topic prefix
     * @param inbound the topic filters the node subscribes to (MQTT wildcards allowed)
     */
    NodeTopicsPolicy(String prefix, List<String> inbound) {
        this.prefix = prefix;
        this.inbound = List.copyOf(inbound);
    }

    @Override
    public boolean canWrite(Topic topic, String user, String client) {
        return canWrite(topic.toString());
    }

    /** Whether a client may publish to {@code topic}. */
    boolean canWrite(String topic) {
        if (!topic.equals(prefix) && !topic.startsWith(prefix + "/")) {
            return true;
        }
        return inbound.stream().anyMatch(filter -> matches(filter, topic));
    }

    @Override
    public boolean canRead(Topic topic, String user, String client) {
        return true;
    }

    /** MQTT topic-filter matching: {@code +} is one level, a final {@code #} the rest. */
    static boolean matches(String filter, String topic) {
        String[] f = filter.split("/", -1);
        String[] t = topic.split("/", -1);
        for (int i = 0; i < f.length; i++) {
            if (f[i].equals("#")) {
                return true;
            }
            if (i >= t.length || !(f[i].equals("+") || f[i].equals(t[i]))) {
                return false;
            }
        }
        return f.length == t.length;
    }
}
