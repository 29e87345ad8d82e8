package dev.fusionnode.velodyne;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Collects decoded points into scans, cutting where the block azimuth passes the cut angle (0: the
 * azimuth wrap; 180: behind the sensor, so that the front is whole). Not thread-safe.
 */
final class ScanAssembler implements VelodyneDecoder.PointSink {
    /**
     * One turn (or what arrived of it).
     *
     * @param xyzi interleaved x, y, z, intensity
     * @param firstUs first firing, microseconds past the hour (may exceed an hour when it wraps)
     * @param lastUs last firing
     * @param firings firing groups in the scan
     */
    record Scan(float[] xyzi, double firstUs, double lastUs, int firings) {
        int points() {
            return xyzi.length / 4;
        }
    }

    private final int cutCenti;
    private final List<Scan> done = new ArrayList<>();
    private float[] buf = new float[4 * 32 * 1024];
    private int n;
    private int lastRel = -1;
    private double firstUs = Double.NaN;
    private double lastUs;
    private int firings;

    ScanAssembler(double cutAngleDeg) {
        this.cutCenti = (int) Math.floorMod(Math.round(cutAngleDeg * 100), 36000L);
    }

    @Override
    public void firing(int azimuthCentiDeg, double timeUs) {
        int rel = Math.floorMod(azimuthCentiDeg - cutCenti, 36000);
        if (lastRel >= 0 && rel < lastRel - 18000) {
            finish();
        }
        lastRel = rel;
        if (Double.isNaN(firstUs)) {
            firstUs = timeUs;
        }
        lastUs = timeUs;
        firings++;
    }

    @Override
    public void point(float x, float y, float z, float intensity) {
        if (n + 4 > buf.length) {
            buf = Arrays.copyOf(buf, buf.length * 2);
        }
        buf[n++] = x;
        buf[n++] = y;
        buf[n++] = z;
        buf[n++] = intensity;
    }

    /** The scans completed since the last call. */
    List<Scan> completed() {
        if (done.isEmpty()) {
            return List.of();
        }
        List<Scan> out = List.copyOf(done);
        done.clear();
        return out;
    }

    /** Ends the scan in progress (the stream paused or ended), if it has firings. */
    Optional<Scan> flush() {
        finish();
        lastRel = -1;
        return completed().stream().reduce((a, b) -> b);
    }

    /** True when a scan is in progress. */
    boolean pending() {
        return firings > 0;
    }

    private void finish() {
        if (firings > 0) {
            done.add(new Scan(Arrays.copyOf(buf, n), firstUs, lastUs, firings));
        }
        n = 0;
        firings = 0;
        firstUs = Double.NaN;
    }
}
