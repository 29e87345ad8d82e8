package dev.fusionnode.velodyne;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusionnode.cli.FusionNode;
import dev.fusionnode.node.NodeOptions;
import dev.fusionnode.node.NodeRuntime;
import dev.fusionnode.pipeline.Addresses;
import dev.fusionnode.pipeline.BadInputReason;
import dev.fusionnode.pipeline.LidarScan;
import dev.fusionnode.testutil.Await;
import dev.fusionnode.testutil.NodeHarness;
import io.vertx.core.json.JsonObject;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The live path: {@code fusion-node velodyne-replay} sends the 75 real VLP-16 packets over loopback
 * UDP to a running node; they come out on the LiDAR address as one scan with the same points as the
 * file decoded directly. Garbled datagrams (short, wrong block flag, unknown product id, a packet
 * sent again) in between are counted by reason, and the next turn still arrives whole.
 */
class VelodyneLiveIT {
    @Test
    void replayedPacketsBecomeOneScan() throws Exception {
        JsonObject json =
                new JsonObject()
                        .put("http", new JsonObject().put("host", "127.0.0.1").put("port", 0))
                        .put("inference", new JsonObject().put("enabled", false))
                        .put("training", new JsonObject().put("enabled", false))
                        .put(
                                "velodyne",
                                new JsonObject()
                                        .put("enabled", true)
                                        .put("port", 0)
                                        .put("positionPort", 0)
                                        .put("cutAngleDeg", 2) // where this turn starts
                                        .put("flushAfterMs", 150));
        NodeHarness node = NodeHarness.start(NodeOptions.fromJson(json, "test", Map.of()), true);
        NodeRuntime rt = node.runtime();
        List<LidarScan> scans = new CopyOnWriteArrayList<>();
        try {
            rt.vertx()
                    .eventBus()
                    .<LidarScan>localConsumer(Addresses.LIDAR, m -> scans.add(m.body()))
                    .completion()
                    .await(10, TimeUnit.SECONDS);
            int port = rt.velodyne().orElseThrow().dataPort();
            Path file = VelodyneDecoderTest.velodyne().resolve("vlp16-mrpt-75packets.bin");
            int rc =
                    new CommandLine(new FusionNode())
                            .execute(
                                    "velodyne-replay",
                                    "--file",
                                    file.toString(),
                                    "--port",
                                    String.valueOf(port),
                                    "--rate",
                                    "real");
            assertThat(rc).isZero();
            Await.until(() -> scans.size() == 1, 10, "one scan");
            // every packet of the file was taken in before the idle flush sent the scan, so
            // nothing is left to make a second one
            JsonObject velodyne =
                    node.awaitSection(
                            "velodyne", s -> s.getLong("packets", 0L) == 75, 10, "75 packets in");
            assertThat(velodyne.getLong("scans")).isEqualTo(1);
            assertThat(scans).hasSize(1);
            LidarScan scan = scans.get(0);
            assertThat(scan.sensorId()).isEqualTo("top");
            assertThat(scan.points().size()).isEqualTo(22_591);

            float[] expected = decodeDirectly(file);
            assertThat(Arrays.copyOf(scan.points().unsafeArray(), 4 * 22_591))
                    .containsExactly(expected);
            long now = System.currentTimeMillis() * 1_000_000L;
            assertThat(Math.abs(scan.timeNs() - now))
                    .as("stamped within the current hour's half-hour window")
                    .isLessThanOrEqualTo(TimeUnit.MINUTES.toNanos(30));

            // garbled datagrams, then the turn again
            byte[] packets = Files.readAllBytes(file);
            byte[] flag = Arrays.copyOf(packets, 1206);
            flag[200] = 0;
            byte[] product = Arrays.copyOf(packets, 1206);
            product[1205] = 0x63;
            try (DatagramSocket s = new DatagramSocket()) {
                InetSocketAddress to = new InetSocketAddress("127.0.0.1", port);
                s.send(new DatagramPacket(new byte[100], 100, to));
                s.send(new DatagramPacket(flag, flag.length, to));
                s.send(new DatagramPacket(product, product.length, to));
                // an old packet: the turn was sent already (out of order)
                s.send(new DatagramPacket(packets, 1206 * 10, 1206, to));
            }
            var metrics = rt.metrics();
            Await.until(
                    () -> metrics.badInputs(BadInputReason.OUT_OF_ORDER_PACKET) == 1,
                    10,
                    "the old packet dropped");
            assertThat(metrics.badInputs(BadInputReason.MALFORMED_LIDAR_PACKET)).isEqualTo(2);
            assertThat(metrics.badInputs(BadInputReason.UNKNOWN_LIDAR_MODEL)).isEqualTo(1);
            JsonObject status = rt.status().snapshot().getJsonObject("velodyne");
            assertThat(status.getLong("badPackets")).isEqualTo(4);
            assertThat(status.getString("model")).isEqualTo("VLP-16");
            assertThat(status.getString("lastError")).contains("not after the last packet");
        } finally {
            rt.close();
        }
    }

    private static float[] decodeDirectly(Path file) throws Exception {
        byte[] b = Files.readAllBytes(file);
        List<Float> out = new ArrayList<>();
        VelodyneDecoder d = VelodyneDecoder.nominal();
        VelodyneDecoder.PointSink sink =
                (x, y, z, intensity) -> out.addAll(List.of(x, y, z, intensity));
        for (int i = 0; i < b.length / 1206; i++) {
            d.decode(b, i * 1206, 1206, sink, "file");
        }
        float[] a = new float[out.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = out.get(i);
        }
        return a;
    }
}
