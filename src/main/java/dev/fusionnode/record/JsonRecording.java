package dev.fusionnode.record;

import dev.fusionnode.drive.DriveMessages;
import dev.fusionnode.drive.DriveWriter;
import dev.fusionnode.mcap.McapWriter;
import dev.fusionnode.pipeline.CalibrationUpdate;
import dev.fusionnode.pipeline.CameraFrame;
import dev.fusionnode.pipeline.EncodedFrame;
import dev.fusionnode.pipeline.LidarScan;
import java.io.IOException;

/**
 * The node's own recording: Foxglove-schema JSON messages ({@code /<camera>/image} PNG, {@code
 * /<lidar>/points}, {@code /<camera>/calibration} and {@code camera_info}, and {@code mask} and
 * {@code confidence} PNGs), which its replay reads back exactly.
 */
final class JsonRecording implements RecordingFormat {
    private final DriveWriter messages;

    JsonRecording(McapWriter mcap) {
        this.messages = new DriveWriter(mcap);
    }

    @Override
    public String profile() {
        return "";
    }

    @Override
    public void camera(CameraFrame f) throws IOException {
        messages.write(
                "/" + f.sensorId() + "/image",
                DriveMessages.IMAGE_SCHEMA,
                f.seq(),
                f.captureTimeNs(),
                DriveMessages.camera(f));
    }

    @Override
    public void scan(LidarScan s) throws IOException {
        messages.write(
                "/" + s.sensorId() + "/points",
                DriveMessages.CLOUD_SCHEMA,
                s.seq(),
                s.timeNs(),
                DriveMessages.scan(s));
    }

    @Override
    public void calibration(CalibrationUpdate u) throws IOException {
        long t = u.validFromNs() == Long.MIN_VALUE ? 0 : u.validFromNs();
        messages.write(
                "/" + u.cameraId() + "/calibration",
                DriveMessages.CALIBRATION_SCHEMA,
                0,
                t,
                DriveMessages.calibration(u));
        if (u.calibration().isPresent()) {
            messages.write(
                    "/" + u.cameraId() + "/camera_info",
                    DriveMessages.CAMERA_CALIBRATION_SCHEMA,
                    0,
                    t,
                    DriveMessages.cameraCalibration(t, u.cameraId(), u.calibration().get()));
        }
    }

    @Override
    public void outputs(EncodedFrame e) throws IOException {
        messages.write(
                "/" + e.cameraId() + "/mask",
                DriveMessages.IMAGE_SCHEMA,
                e.seq(),
                e.captureTimeNs(),
                DriveMessages.image(e.captureTimeNs(), e.cameraId(), e.maskPng(), "png"));
        messages.write(
                "/" + e.cameraId() + "/confidence",
                DriveMessages.IMAGE_SCHEMA,
                e.seq(),
                e.captureTimeNs(),
                DriveMessages.image(e.captureTimeNs(), e.cameraId(), e.confidencePng(), "png"));
    }
}
