package dev.fusionnode.ros;

import dev.fusionnode.mcap.McapReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** A ROS 2 bag stored as MCAP ({@code cdr} messages, {@code ros2msg} schemas). */
final class McapBag implements Bag {
    static final String STORAGE = "mcap";

    private final Path path;
    private final McapReader reader;
    private final List<McapReader.MessageRef> refs;
    private final List<BagMessage> messages;
    private final Map<String, String> types = new TreeMap<>();
    private final Map<String, String> encodings = new TreeMap<>();

    McapBag(Path path, McapReader reader) {
        this.path = path;
        this.reader = reader;
        reader.channels()
                .values()
                .forEach(
                        c -> {
                            McapReader.Schema s = reader.schemas().get(c.schemaId());
                            types.put(c.topic(), s == null ? "" : s.name());
                            encodings.put(c.topic(), c.messageEncoding());
                        });
        this.refs = reader.messagesInFileOrder();
        List<BagMessage> out = new ArrayList<>(refs.size());
        for (int i = 0; i < refs.size(); i++) {
            McapReader.MessageRef m = refs.get(i);
            out.add(
                    new BagMessage(
                            reader.channels().get(m.channelId()).topic(),
                            m.logTimeNs(),
                            m.sequence(),
                            0,
                            i));
        }
        this.messages = Collections.unmodifiableList(out);
    }

    /** Whether the MCAP file's channels carry CDR messages (ROS 2). */
    static boolean isRos2(McapReader reader) {
        return reader.channels().values().stream().anyMatch(c -> "cdr".equals(c.messageEncoding()));
    }

    @Override
    public String storage() {
        return STORAGE;
    }

    @Override
    public Path path() {
        return path;
    }

    @Override
    public Map<String, String> types() {
        return Collections.unmodifiableMap(types);
    }

    @Override
    public Map<String, String> encodings() {
        return Collections.unmodifiableMap(encodings);
    }

    @Override
    public List<BagMessage> messages() {
        return messages;
    }

    @Override
    public synchronized byte[] data(BagMessage m) {
        return reader.data(refs.get((int) m.ref()));
    }

    @Override
    public Optional<String> damage() {
        return reader.damage();
    }

    @Override
    public void close() {
        try {
            reader.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
