package dev.fusionnode.capture;

import dev.fusionnode.config.ConfigReader;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Cameras read with OpenCV's {@code VideoCapture} (the {@code capture} block: {@code {"cameras":
 * [{"id": "front", "source": "0"}]}}; none by default).
 *
 * @param cameras the cameras
 */
public record CaptureOptions(List<Camera> cameras) {
    /**
     * One camera.
     *
     * @param id sensor id of its frames
     * @param source a device index ({@code "0"}), a video file, or a URL the build can open
     * @param fps pace of a file source (devices and streams give their own); 0: as fast as read
     * @param loop start a file source again at its end
     * @param reconnectMs wait before opening a lost source again
     */
    public record Camera(String id, String source, double fps, boolean loop, long reconnectMs) {
        /** True for a device index. */
        public boolean device() {
            return source.matches("\\d+");
        }

        /** True for a file (neither a device nor a URL). */
        public boolean file() {
            return !device() && !source.contains("://");
        }
    }

    /** Copies the list. */
    public CaptureOptions {
        cameras = List.copyOf(cameras);
    }

    /** Reads the {@code capture} block. */
    public static CaptureOptions from(ConfigReader r) {
        List<Camera> cams = new ArrayList<>();
        var list = r.array("cameras");
        for (int i = 0; i < list.size(); i++) {
            if (!(list.getValue(i) instanceof JsonObject o)) {
                throw r.invalid("cameras", "entry " + i + " is not an object");
            }
            ConfigReader c = r.element("cameras", i, o);
            String id = c.string("id", "front");
            if (!id.matches("[A-Za-z0-9_.-]+")) {
                throw r.invalid(
                        "cameras", "entry " + i + ": id '" + id + "' (letters, digits, _ - .)");
            }
            String source = c.string("source", null);
            if (source == null || source.isBlank()) {
                throw r.invalid(
                        "cameras", "entry " + i + " needs a 'source' (device index, file or URL)");
            }
            cams.add(
                    new Camera(
                            id,
                            source,
                            c.number("fps", 10, 0, 1000),
                            c.bool("loop", false),
                            c.longValue("reconnectMs", 1000, 10, 600_000)));
            c.rejectUnknownKeys();
        }
        r.rejectUnknownKeys();
        return new CaptureOptions(cams);
    }
}
