package dev.fusionnode.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
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
    private final Map<String, List<Long>> durations = new TreeMap<>();
    private final NotificationListener listener = this::onGc;

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
        durations
                .computeIfAbsent(
                        info.getGcName() + " (" + info.getGcAction() + ")", k -> new ArrayList<>())
                .add(info.getGcInfo().getDuration());
    }

    /** One line: collections per collector with total and longest milliseconds. */
    synchronized String summary() {
        if (durations.isEmpty()) {
            return "no garbage collection";
        }
        StringBuilder sb = new StringBuilder();
        durations.forEach(
                (name, list) -> {
                    long total = list.stream().mapToLong(Long::longValue).sum();
                    long max = list.stream().mapToLong(Long::longValue).max().orElse(0);
                    if (sb.length() > 0) {
                        sb.append("; ");
                    }
                    sb.append(
                            String.format(
                                    Locale.ROOT,
                                    "%s: %d, %d ms in all, longest %d ms",
                                    name,
                                    list.size(),
                                    total,
                                    max));
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
