package dev.fusionnode.ingest;

import dev.fusionnode.config.ConfigReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Pushed sensors (the {@code ingest} block): which sensor ids {@code /ingest} and MQTT {@code
 * <prefix>/sensors/#} accept.
 *
 * @param sensorIds the ids accepted (as pushed messages may carry them), each also watched for
 *     stalls; empty: any id, up to {@code maxSensorIds}, none watched
 * @param maxSensorIds with no list, distinct ids accepted; a message from one more id is refused
 *     and counted ({@code unknown_sensor})
 */
public record IngestOptions(List<String> sensorIds, int maxSensorIds) {
    /** Copies the list. */
    public IngestOptions {
        sensorIds = List.copyOf(sensorIds);
    }

    /** Reads the {@code ingest} block. */
    public static IngestOptions from(ConfigReader r) {
        List<String> ids = new ArrayList<>();
        r.array("sensorIds").forEach(id -> ids.add(String.valueOf(id)));
        for (String id : ids) {
            if (!PushMessage.validSensorId(id)) {
                throw r.invalid(
                        "sensorIds",
                        "a sensor id has 1 to 64 letters, digits, '_', '-', '.', found '"
                                + id
                                + "'");
            }
        }
        IngestOptions o = new IngestOptions(ids, r.integer("maxSensorIds", 8, 1, 1024));
        r.rejectUnknownKeys();
        return o;
    }

    /** True when a pushed message from {@code id} may be taken, given the ids already taken. */
    public boolean admits(String id, Set<String> taken) {
        if (!sensorIds.isEmpty()) {
            return sensorIds.contains(id);
        }
        return taken.contains(id) || taken.size() < maxSensorIds;
    }
}
