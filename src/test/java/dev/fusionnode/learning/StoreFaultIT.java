package dev.fusionnode.learning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusionnode.node.NodeOptions;
import dev.fusionnode.node.NodeRuntime;
import dev.fusionnode.testutil.NodeConfigs;
import dev.fusionnode.testutil.NodeHarness;
import dev.fusionnode.testutil.Peer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk while storing an annotated frame (the frame's camera file lands on {@code
 * /dev/full}): the upload answers 507 with the reason, nothing of the frame stays in the store, the
 * node keeps running, and the next upload is stored.
 */
class StoreFaultIT {
    @TempDir Path dir;

    private static int upload(String api) throws Exception {
        Path drive = Path.of("recordings/sample-drive");
        String name = "frame_000010.png";
        List<String> cmd =
                new ArrayList<>(
                        List.of(
                                "curl",
                                "-s",
                                "-o",
                                "/dev/null",
                                "-w",
                                "%{http_code}",
                                "-F",
                                "camera=@" + drive.resolve("camera").resolve(name),
                                "-F",
                                "lidar=@" + drive.resolve("lidar_png").resolve(name),
                                "-F",
                                "annotation=@"
                                        + drive.resolve("annotation_camera_only").resolve(name),
                                api + "/api/annotations"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return Integer.parseInt(out);
    }

    @Test
    void fullDiskRefusesTheUploadCleanly() throws Exception {
        Peer.DEV_FULL.require();
        Peer.CURL.require();
        JsonObject json =
                NodeConfigs.node(NodeConfigs.microFusion())
                        .put("training", NodeConfigs.training(dir));
        NodeHarness node = NodeHarness.start(NodeOptions.fromJson(json, "test", Map.of()), true);
        NodeRuntime rt = node.runtime();
        try {
            String api = "http://127.0.0.1:" + rt.httpPort();
            assertThat(upload(api)).isEqualTo(201);
            Path cameras = dir.resolve("store/camera");
            List<Path> stored;
            try (Stream<Path> s = Files.list(cameras)) {
                stored = s.toList();
            }
            assertThat(stored).hasSize(1);
            String first = stored.get(0).getFileName().toString(); // frame_000000001.png
            long id = Long.parseLong(first.replaceAll("\\D", ""));
            Path next = cameras.resolve(String.format("frame_%09d.png.tmp", id + 1));
            Files.createSymbolicLink(next, Path.of("/dev/full"));

            assertThat(upload(api)).isEqualTo(507);
            FineTuneService svc = rt.training().orElseThrow();
            assertThat(svc.store().size()).isEqualTo(1);
            assertThat(dir.resolve("store/annotation_camera_only").toFile().list()).hasSize(1);
            assertThat(rt.ready()).isTrue();

            assertThat(upload(api)).isEqualTo(201);
            assertThat(svc.store().size()).isEqualTo(2);
        } finally {
            rt.close();
        }
    }
}
