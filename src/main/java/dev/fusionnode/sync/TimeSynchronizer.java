package dev.fusionnode.sync;

import dev.fusionnode.pipeline.CameraFrame;
import dev.fusionnode.pipeline.LidarScan;
import dev.fusionnode.pipeline.SyncedFrame;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Pairs each camera frame with the LiDAR scan nearest in time within a tolerance, after per-sensor
 * offsets. A frame is decided as soon as a scan at or after its time exists (no later scan can be
 * nearer, since scans arrive in time order), or when the next scan, expected one LiDAR period after
 * the latest, could not be nearer than the best one, or when its wait times out; frames are
 * released in arrival order. Not thread-safe: confine to one event loop.
 */
public final class TimeSynchronizer {
    private final SyncOptions options;
    private final Deque<LidarScan> scans = new ArrayDeque<>();
    private final Deque<Pending> pending = new ArrayDeque<>();
    private long lastReleasedCameraTime = Long.MIN_VALUE;
    private long lastScanTime = Long.MIN_VALUE;
    private long scanPeriodNs;

    /**
     * A synchronisation outcome.
     *
     * @param frame the frame with its scan, or camera-only
     * @param paired true when a scan within tolerance was found
     */
    public record Decision(SyncedFrame frame, boolean paired) {}

    private record Pending(CameraFrame camera, long ingestNanoTime) {}

    /** Creates a synchroniser. */
    public TimeSynchronizer(SyncOptions options) {
        this.options = options;
    }

    /** Adds a scan; returns the frames it lets go. */
    public List<Decision> onScan(LidarScan scan) {
        long ts = scan.timeNs() + options.offsetNs(scan.sensorId());
        if (lastScanTime != Long.MIN_VALUE && ts > lastScanTime) {
            scanPeriodNs = ts - lastScanTime;
        }
        lastScanTime = Math.max(lastScanTime, ts);
        scans.addLast(scan);
        while (scans.size() > options.maxBufferedScans()) {
            scans.removeFirst();
        }
        return release(Long.MIN_VALUE);
    }

    /** Adds a camera frame; returns the frames that can be decided now (possibly including it). */
    public List<Decision> onCamera(CameraFrame camera, long nowNanos) {
        pending.addLast(new Pending(camera, nowNanos));
        return release(Long.MIN_VALUE);
    }

    /** Decides every waiting frame whose wait has expired at {@code nowNanos}. */
    public List<Decision> onTimer(long nowNanos) {
        return release(nowNanos);
    }

    /**
     * Forgets all scans and waiting frames (after a seek); returns the waiting frames, decided
     * camera-only.
     */
    public List<Decision> reset() {
        List<Decision> out = new ArrayList<>();
        for (Pending p : pending) {
            out.add(
                    new Decision(
                            new SyncedFrame(p.camera, Optional.empty(), 0, p.ingestNanoTime),
                            false));
        }
        pending.clear();
        scans.clear();
        lastReleasedCameraTime = Long.MIN_VALUE;
        lastScanTime = Long.MIN_VALUE;
        scanPeriodNs = 0;
        return out;
    }

    /** Number of camera frames waiting for a later scan. */
    public int waitingFrames() {
        return pending.size();
    }

    /** Number of buffered scans. */
    public int bufferedScans() {
        return scans.size();
    }

    /** Nano time at which the oldest waiting frame times out, or empty. */
    public Optional<Long> nextDeadline() {
        Pending p = pending.peekFirst();
        return p == null ? Optional.empty() : Optional.of(p.ingestNanoTime + options.timeoutNs());
    }

    private List<Decision> release(long nowNanos) {
        List<Decision> out = new ArrayList<>();
        while (!pending.isEmpty()) {
            Pending p = pending.peekFirst();
            long tc = p.camera.captureTimeNs() + options.offsetNs(p.camera.sensorId());
            LidarScan best = null;
            long bestDelta = Long.MAX_VALUE;
            boolean complete = false;
            for (LidarScan s : scans) {
                long ts = s.timeNs() + options.offsetNs(s.sensorId());
                long d = Math.abs(ts - tc);
                if (d < bestDelta) {
                    bestDelta = d;
                    best = s;
                }
                if (ts >= tc) {
                    complete = true;
                }
            }
            // the next scan is due about one period after the latest: if even that is farther than
            // the best,
            // waiting cannot improve the pairing (80 % of the period absorbs jitter)
            if (!complete
                    && best != null
                    && scanPeriodNs > 0
                    && lastScanTime + scanPeriodNs * 8 / 10 - tc > bestDelta) {
                complete = true;
            }
            boolean expired =
                    nowNanos != Long.MIN_VALUE
                            && nowNanos - p.ingestNanoTime >= options.timeoutNs();
            if (!complete && !expired && options.timeoutNs() > 0) {
                break;
            }
            pending.removeFirst();
            lastReleasedCameraTime = Math.max(lastReleasedCameraTime, tc);
            if (best != null && bestDelta <= options.toleranceNs()) {
                long skew = best.timeNs() + options.offsetNs(best.sensorId()) - tc;
                out.add(
                        new Decision(
                                new SyncedFrame(
                                        p.camera,
                                        Optional.of(best),
                                        skew,
                                        p.ingestNanoTime,
                                        otherLidars(best.sensorId(), tc)),
                                true));
            } else {
                out.add(
                        new Decision(
                                new SyncedFrame(p.camera, Optional.empty(), 0, p.ingestNanoTime),
                                false));
            }
        }
        evictStaleScans();
        return out;
    }

    /**
     * For each LiDAR but {@code paired}, its buffered scan nearest to {@code tc} within the
     * tolerance (a rig of several LiDARs), in the order the LiDARs first appear.
     */
    private List<LidarScan> otherLidars(String paired, long tc) {
        Map<String, LidarScan> nearest = new LinkedHashMap<>();
        Map<String, Long> delta = new HashMap<>();
        for (LidarScan s : scans) {
            if (s.sensorId().equals(paired)) {
                continue;
            }
            long d = Math.abs(s.timeNs() + options.offsetNs(s.sensorId()) - tc);
            if (d <= options.toleranceNs()
                    && d < delta.getOrDefault(s.sensorId(), Long.MAX_VALUE)) {
                nearest.put(s.sensorId(), s);
                delta.put(s.sensorId(), d);
            }
        }
        return List.copyOf(nearest.values());
    }

    /** Drops scans too old for any frame at or after the last released camera time. */
    private void evictStaleScans() {
        if (lastReleasedCameraTime == Long.MIN_VALUE) {
            return;
        }
        while (scans.size() > 1) {
            LidarScan first = scans.peekFirst();
            long ts = first.timeNs() + options.offsetNs(first.sensorId());
            if (ts < lastReleasedCameraTime - options.toleranceNs()) {
                scans.removeFirst();
            } else {
                break;
            }
        }
    }
}
