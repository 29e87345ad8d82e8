package dev.fusionnode.capture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusionnode.node.NodeOptions;
import dev.fusionnode.node.NodeRuntime;
import dev.fusionnode.pipeline.Addresses;
import dev.fusionnode.pipeline.CameraFrame;
import dev.fusionnode.testutil.Await;
import dev.fusionnode.testutil.NodeHarness;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_videoio.VideoWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An OpenCV {@code VideoCapture} camera whose source is missing at start: the status says
 * disconnected and the source is retried; once an MJPEG video file (written by OpenCV's {@code
 * VideoWriter}) appears, its 20 frames come out in order, stamped at the configured pace, with
 * their colours, and the source reports it ended.
 */
class CameraCaptureIT {
    @TempDir Path dir;

    @Test
    void missingSourceRetriesThenFramesFlow() throws Exception {
        Path video = dir.resolve("front.avi");
        JsonObject json =
                new JsonObject()
                        .put("http", new JsonObject().put("host", "127.0.0.1").put("port", 0))
                        .put("inference", new JsonObject().put("enabled", false))
                        .put("training", new JsonObject().put("enabled", false))
                        .put(
                                "capture",
                                new JsonObject()
                                        .put(
                                                "cameras",
                                                new JsonArray()
                                                        .add(
                                                                new JsonObject()
                                                                        .put("id", "front")
                                                                        .put(
                                                                                "source",
                                                                                video.toString())
                                                                        .put("fps", 50)
                                                                        .put("reconnectMs", 200))));
        NodeHarness node = NodeHarness.start(NodeOptions.fromJson(json, "test", Map.of()), true);
        NodeRuntime rt = node.runtime();
        List<CameraFrame> frames = new CopyOnWriteArrayList<>();
        try {
            rt.vertx()
                    .eventBus()
                    .<CameraFrame>localConsumer(Addresses.CAMERA, m -> frames.add(m.body()))
                    .completion()
                    .await(10, TimeUnit.SECONDS);
            Await.until(() -> camera(rt).getLong("reconnects") >= 2, 20, "retries");
            assertThat(camera(rt).getString("state")).isEqualTo("disconnected");
            assertThat(camera(rt).getString("lastError")).contains("cannot open");
            assertThat(frames).isEmpty();

            Path tmp = dir.resolve("writing.avi");
            VideoWriter w =
                    new VideoWriter(
                            tmp.toString(),
                            VideoWriter.fourcc((byte) 'M', (byte) 'J', (byte) 'P', (byte) 'G'),
                            50,
                            new Size(64, 48),
                            true);
            assertThat(w.isOpened()).isTrue();
            for (int i = 0; i < 20; i++) {
                try (Mat m =
                        new Mat(48, 64, opencv_core.CV_8UC3, new Scalar(30, 60, 10 + 10 * i, 0))) {
                    w.write(m); // BGR: red grows frame by frame
                }
            }
            w.release();
            Files.move(tmp, video, StandardCopyOption.ATOMIC_MOVE);

            Await.until(() -> frames.size() == 20, 30, "20 frames");
            Await.until(() -> "ended".equals(camera(rt).getString("state")), 10, "ended");
            for (int i = 0; i < 20; i++) {
                CameraFrame f = frames.get(i);
                assertThat(f.sensorId()).isEqualTo("front");
                assertThat(f.seq()).isEqualTo(i);
                assertThat(f.image().width()).isEqualTo(64);
                assertThat(f.image().height()).isEqualTo(48);
                if (i > 0) {
                    assertThat(f.captureTimeNs() - frames.get(i - 1).captureTimeNs())
                            .isEqualTo(20_000_000L);
                }
                // JPEG in the file: the colour within a few levels
                assertThat(f.image().get(32, 24, 0))
                        .isCloseTo(10 + 10 * i, org.assertj.core.data.Offset.offset(6));
                assertThat(f.image().get(32, 24, 1))
                        .isCloseTo(60, org.assertj.core.data.Offset.offset(6));
                assertThat(f.image().get(32, 24, 2))
                        .isCloseTo(30, org.assertj.core.data.Offset.offset(6));
            }
        } finally {
            rt.close();
        }
    }

    private static JsonObject camera(NodeRuntime rt) {
        return rt.status()
                .snapshot()
                .getJsonObject("capture")
                .getJsonArray("cameras")
                .getJsonObject(0);
    }
}
