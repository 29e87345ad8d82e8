package dev.fusionnode.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.LongSummaryStatistics;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The garbage collections of the JVM while a benchmark runs, each with its duration (the JVM's GC
 * notifications), for a summary line: how many, of which collector, total and longest.
 */
final class GcPauses implements AutoCloseable {
    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private final NotificationListener listener = this::onGc;
    private final List<Pause> pauses = new ArrayList<>();
    private final long jvmStartEpochMs = ManagementFactory.getRuntimeMXBean().getStartTime();

    /**
     * One collection: its collector and action, its start (epoch ms) and its duration.
     *
     * @param collector collector and action, as in the summary
     * @param startEpochMs when it started, milliseconds since the epoch
     * @param durationMs how long it took
     */
    record Pause(String collector, long startEpochMs, long durationMs) {}

    /** Starts listening. */
    GcPauses() {
        for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (b instanceof NotificationEmitter e) {
                e.addNotificationListener(listener, null, null);
                emitters.add(e);
            }
        }
    }

    private synchronized void onGc(Notification n, Object handback) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(
                n.getType())) {
            return;
        }
        GarbageCollectionNotificationInfo info =
                GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
        String collector = info.getGcName() + " (" + info.getGcAction() + ")";
        long duration = info.getGcInfo().getDuration();
        pauses.add(
                new Pause(collector, jvmStartEpochMs + info.getGcInfo().getStartTime(), duration));
    }

    /** Every collection so far, in order. */
    synchronized List<Pause> pauses() {
        return List.copyOf(pauses);
    }

    /** One line: collections per collector with total and longest milliseconds. */
    synchronized String summary() {
        if (pauses.isEmpty()) {
            return "no garbage collection";
        }
        Map<String, LongSummaryStatistics> byCollector =
                pauses.stream()
                        .collect(
                                Collectors.groupingBy(
                                        Pause::collector,
                                        TreeMap::new,
                                        Collectors.summarizingLong(Pause::durationMs)));
        StringBuilder sb = new StringBuilder();
        byCollector.forEach(
                (name, d) -> {
                    if (sb.length() > 0) {
                        sb.append("; ");
                    }
                    sb.append(
                            String.format(
                                    Locale.ROOT,
                                    "%s: %d, %d ms in all, longest %d ms",
                                    name,
                                    d.getCount(),
                                    d.getSum(),
                                    d.getMax()));
                });
        return sb.toString();
    }

    @Override
    public void close() {
        for (NotificationEmitter e : emitters) {
            try {
                e.removeNotificationListener(listener);
            } catch (ListenerNotFoundException ignored) {
                // not registered: nothing to remove
            }
        }
    }
}
