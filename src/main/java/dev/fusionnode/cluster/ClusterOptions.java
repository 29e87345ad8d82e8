package dev.fusionnode.cluster;

import dev.fusionnode.config.BindAddresses;
import dev.fusionnode.config.ConfigReader;
import dev.fusionnode.config.EnumNames;
import java.util.ArrayList;
import java.util.List;

/**
 * Scale-out on a clustered Vert.x event bus with the Hazelcast cluster manager (the {@code cluster}
 * block; off by default). An {@code ingest} node runs the sources, sync and projection and sends
 * every fused frame to the cluster; {@code worker} nodes run inference and publishing on them and
 * answer when a frame is done, which returns the ingest node's credit.
 *
 * @param enabled join a cluster
 * @param role {@code ingest} or {@code worker}
 * @param host the interface the cluster listens on (loopback unless configured otherwise)
 * @param port Hazelcast's port (the next free one above it is taken when busy)
 * @param members the other members' {@code host:port} (TCP join; no multicast)
 * @param name the cluster's name (nodes of another name do not join)
 * @param frameTimeoutMs how long the ingest node waits for a worker to finish a frame
 */
public record ClusterOptions(
        boolean enabled,
        Role role,
        String host,
        int port,
        List<String> members,
        String name,
        long frameTimeoutMs) {
    /** What a node does in the cluster. */
    public enum Role {
        /** Sources, sync, projection; frames go to the workers. */
        INGEST,
        /** Inference and publishing of the frames of the ingest node. */
        WORKER
    }

    /** Copies the member list. */
    public ClusterOptions {
        members = List.copyOf(members);
    }

    /** Reads the {@code cluster} block. */
    public static ClusterOptions from(ConfigReader r) {
        List<String> members = new ArrayList<>();
        r.array("members").forEach(m -> members.add(String.valueOf(m)));
        ClusterOptions o =
                new ClusterOptions(
                        r.bool("enabled", false),
                        r.parsed("role", Role.INGEST, v -> EnumNames.parse(Role.class, v)),
                        r.string("host", BindAddresses.DEFAULT_HOST),
                        r.integer("port", 5701, 1, 65535),
                        members,
                        r.string("name", "fusion-node"),
                        r.longValue("frameTimeoutMs", 30_000, 100, 600_000));
        r.rejectUnknownKeys();
        return o;
    }
}
