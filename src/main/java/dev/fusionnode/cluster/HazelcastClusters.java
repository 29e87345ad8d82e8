package dev.fusionnode.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/** The cluster manager of a node that runs in a cluster. */
public final class HazelcastClusters {
    private HazelcastClusters() {}

    /**
     * Hazelcast on the configured interface with a TCP join to the listed members (no multicast),
     * starting from the Vert.x cluster manager's own map settings.
     */
    public static HazelcastClusterManager clusterManager(ClusterOptions c) {
        Config cfg = ConfigUtil.loadConfig();
        cfg.setClusterName(c.name());
        cfg.setProperty("hazelcast.logging.type", "slf4j");
        cfg.setProperty("hazelcast.phone.home.enabled", "false");
        cfg.setProperty("hazelcast.socket.bind.any", "false");
        NetworkConfig net = cfg.getNetworkConfig();
        net.setPort(c.port()).setPortAutoIncrement(true);
        net.getInterfaces().setEnabled(true).addInterface(c.host());
        JoinConfig join = net.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setMembers(c.members());
        return new HazelcastClusterManager(cfg);
    }
}
