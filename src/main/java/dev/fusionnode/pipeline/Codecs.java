package dev.fusionnode.pipeline;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import java.util.List;

/** Registers the pass-by-reference codecs of the pipeline's message types. */
public final class Codecs {
    private static final List<Class<?>> TYPES =
            List.of(
                    CameraFrame.class,
                    LidarScan.class,
                    FusedFrame.class,
                    FrameDone.class,
                    FrameEnd.class,
                    CalibrationUpdate.class,
                    SegmentedFrame.class,
                    EncodedFrame.class);

    private Codecs() {}

    /**
     * Registers the codecs of the sensor types and of {@code extra} types on {@code vertx}'s event
     * bus (idempotent per type).
     */
    public static void register(Vertx vertx, Class<?>... extra) {
        EventBus bus = vertx.eventBus();
        for (Class<?> t : TYPES) {
            registerOne(bus, t);
        }
        for (Class<?> t : extra) {
            registerOne(bus, t);
        }
    }

    private static <T> void registerOne(EventBus bus, Class<T> type) {
        try {
            bus.registerDefaultCodec(type, new LocalCodec<>(type));
        } catch (IllegalStateException alreadyRegistered) {
            // another verticle registered it first
        }
    }
}
