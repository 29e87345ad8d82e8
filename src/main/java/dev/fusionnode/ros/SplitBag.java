package dev.fusionnode.ros;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** A bag split into several files ({@code ros2 bag record --max-bag-size}), read as one. */
final class SplitBag implements Bag {
    private final Path path;
    private final List<Bag> parts;
    private final List<BagMessage> messages = new ArrayList<>();
    private final Map<String, String> types = new TreeMap<>();
    private final Map<String, String> encodings = new TreeMap<>();

    SplitBag(Path path, List<Bag> parts) {
        this.path = path;
        this.parts = List.copyOf(parts);
        for (int i = 0; i < parts.size(); i++) {
            Bag p = parts.get(i);
            types.putAll(p.types());
            encodings.putAll(p.encodings());
            for (BagMessage m : p.messages()) {
                messages.add(m.inPart(i));
            }
        }
    }

    @Override
    public String storage() {
        return parts.get(0).storage();
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
        return Collections.unmodifiableList(messages);
    }

    @Override
    public byte[] data(BagMessage m) {
        return parts.get(m.part()).data(m.inPart(0));
    }

    @Override
    public Optional<String> damage() {
        List<String> all = new ArrayList<>();
        parts.forEach(p -> p.damage().ifPresent(d -> all.add(p.path().getFileName() + ": " + d)));
        return all.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", all));
    }

    @Override
    public void close() {
        parts.forEach(Bag::close);
    }
}
