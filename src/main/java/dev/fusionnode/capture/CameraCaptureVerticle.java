package dev.fusionnode.capture;

import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2RGB;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;

import dev.fusionnode.io.OpenCvThreads;
import dev.fusionnode.pipeline.Addresses;
import dev.fusionnode.pipeline.CameraFrame;
import dev.fusionnode.pipeline.Image;
import dev.fusionnode.pipeline.NodeMetrics;
import dev.fusionnode.pipeline.Stage;
import dev.fusionnode.pipeline.StatusRegistry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_videoio.VideoCapture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cameras read with OpenCV's {@code VideoCapture} (device index, video file, or a URL the build
 * supports), one reading thread each (reading blocks). Each frame is stamped with the host clock
 * when it was read (a file: its first frame's read time plus the file's own frame times) and
 * published on {@link Addresses#CAMERA} as replayed frames are. A source that fails to open or
 * stops delivering is released and opened again after {@code reconnectMs}; the status says so and
 * {@code fusionnode_sensor_lost_total} counts it; the node keeps running.
 */
public final class CameraCaptureVerticle extends Stage {
    private static final Logger LOG = LoggerFactory.getLogger(CameraCaptureVerticle.class);

    private final CaptureOptions options;
    private final List<Reader> readers = new ArrayList<>();

    /**
     * @param options the {@code capture} block
     * @param metrics lost-source counter
     * @param status the status page (section {@code capture})
     */
    public CameraCaptureVerticle(
            CaptureOptions options, NodeMetrics metrics, StatusRegistry status) {
        super("capture", metrics, status);
        this.options = options;
    }

    @Override
    protected Future<?> startStage() {
        for (CaptureOptions.Camera c : options.cameras()) {
            metrics.sensorStarted(c.id());
            Reader r = new Reader(c);
            readers.add(r);
            r.thread.start();
        }
        return Future.succeededFuture();
    }

    /** {@inheritDoc} */
    @Override
    protected JsonObject statusJson() {
        JsonArray a = new JsonArray();
        readers.forEach(r -> a.add(r.statusJson()));
        return new JsonObject().put("cameras", a);
    }

    @Override
    protected Future<?> stopStage() {
        return vertx.executeBlocking(
                () -> {
                    for (Reader r : readers) {
                        r.running = false;
                        r.thread.interrupt();
                    }
                    for (Reader r : readers) {
                        r.thread.join(5000);
                    }
                    return null;
                });
    }

    /** One camera's reading loop. */
    private final class Reader implements Runnable {
        final CaptureOptions.Camera camera;
        final Thread thread;
        volatile boolean running = true;
        volatile String state = "opening";
        volatile long frames;
        volatile long reconnects;
        volatile long lastFrameNs;
        volatile String lastError = "";

        Reader(CaptureOptions.Camera camera) {
            this.camera = camera;
            this.thread = new Thread(this, "fusion-capture-" + camera.id());
            this.thread.setDaemon(true);
        }

        @Override
        public void run() {
            long seq = 0;
            while (running) {
                VideoCapture cap = open();
                if (cap == null) {
                    lost("cannot open " + camera.source());
                    continue;
                }
                state = "capturing";
                LOG.info(
                        "camera {}: capturing from {} ({})",
                        camera.id(),
                        camera.source(),
                        cap.getBackendName().getString());
                Mat bgr = new Mat();
                Mat rgb = new Mat();
                long firstNs = -1;
                long startWallNs = System.currentTimeMillis() * 1_000_000L;
                long startMono = System.nanoTime();
                try {
                    int inFile = 0;
                    while (running && cap.read(bgr) && !bgr.empty()) {
                        long t;
                        if (camera.file()) {
                            long fileNs =
                                    (long)
                                            (cap.get(
                                                            org.bytedeco
                                                                    .opencv
                                                                    .global
                                                                    .opencv_videoio
                                                                    .CAP_PROP_POS_MSEC)
                                                    * 1e6);
                            if (camera.fps() > 0) {
                                fileNs = Math.round(inFile * 1e9 / camera.fps());
                                long due = startMono + fileNs;
                                long wait = due - System.nanoTime();
                                if (wait > 0) {
                                    LockSupport.parkNanos(wait);
                                }
                            }
                            if (firstNs < 0) {
                                firstNs = fileNs;
                            }
                            t = startWallNs + (fileNs - firstNs);
                            inFile++;
                        } else {
                            t = System.currentTimeMillis() * 1_000_000L;
                        }
                        cvtColor(bgr, rgb, COLOR_BGR2RGB);
                        byte[] px = new byte[rgb.cols() * rgb.rows() * 3];
                        rgb.data().get(px);
                        Image image = new Image(rgb.cols(), rgb.rows(), 3, px);
                        vertx.eventBus()
                                .publish(
                                        Addresses.CAMERA,
                                        new CameraFrame(
                                                camera.id(), seq++, t, image, camera.source()));
                        frames++;
                        lastFrameNs = System.nanoTime();
                    }
                } catch (RuntimeException e) {
                    lastError = e.toString();
                } finally {
                    cap.release();
                    bgr.close();
                    rgb.close();
                }
                if (!running) {
                    break;
                }
                if (camera.file() && !camera.loop()) {
                    state = "ended";
                    LOG.info(
                            "camera {}: {} ended after {} frames",
                            camera.id(),
                            camera.source(),
                            frames);
                    return;
                }
                if (!camera.file()) {
                    lost(camera.source() + " stopped delivering frames");
                }
            }
            state = "stopped";
        }

        private VideoCapture open() {
            OpenCvThreads.callerOnly(); // the colour conversion runs on this capture thread
            VideoCapture cap =
                    camera.device()
                            ? new VideoCapture(Integer.parseInt(camera.source()))
                            : new VideoCapture(camera.source());
            if (!cap.isOpened()) {
                cap.release();
                return null;
            }
            return cap;
        }

        private void lost(String why) {
            reconnects++;
            lastError = why;
            if ("capturing".equals(state) || reconnects <= 3 || reconnects % 100 == 0) {
                LOG.warn(
                        "camera {}: {}; trying again in {} ms",
                        camera.id(),
                        why,
                        camera.reconnectMs());
            }
            state = "disconnected";
            metrics.sensorLost(camera.id());
            long until = System.nanoTime() + camera.reconnectMs() * 1_000_000;
            while (running && System.nanoTime() < until) {
                LockSupport.parkNanos(until - System.nanoTime());
            }
        }

        JsonObject statusJson() {
            return new JsonObject()
                    .put("id", camera.id())
                    .put("source", camera.source())
                    .put("state", state)
                    .put("frames", frames)
                    .put("reconnects", reconnects)
                    .put(
                            "lastFrameAgoMs",
                            lastFrameNs == 0 ? null : (System.nanoTime() - lastFrameNs) / 1_000_000)
                    .put("lastError", lastError.isEmpty() ? null : lastError);
        }
    }
}
