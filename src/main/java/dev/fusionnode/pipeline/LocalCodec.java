package dev.fusionnode.pipeline;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;

/**
 * Event-bus codec that passes immutable frames by reference inside one JVM. It refuses to
 * serialise: frames never leave the process through this codec (the clustered event bus uses its
 * own codecs).
 *
 * @param <T> the frame type
 */
public final class LocalCodec<T> implements MessageCodec<T, T> {
    private final Class<T> type;

    /** Creates a codec for {@code type}; its name is the class name. */
    public LocalCodec(Class<T> type) {
        this.type = type;
    }

    /** The codec's registered name. */
    public static String nameFor(Class<?> type) {
        return "local:" + type.getName();
    }

    /** {@inheritDoc} */
    @Override
    public void encodeToWire(Buffer buffer, T t) {
        throw new UnsupportedOperationException(
                type.getSimpleName() + " is passed by reference only");
    }

    /** {@inheritDoc} */
    @Override
    public T decodeFromWire(int pos, Buffer buffer) {
        throw new UnsupportedOperationException(
                type.getSimpleName() + " is passed by reference only");
    }

    /** {@inheritDoc} */
    @Override
    public T transform(T t) {
        return t;
    }

    /** {@inheritDoc} */
    @Override
    public String name() {
        return nameFor(type);
    }

    /** {@inheritDoc} */
    @Override
    public byte systemCodecID() {
        return -1;
    }
}
