package dev.fusionnode.ros;

import dev.fusionnode.pipeline.BadInputException;
import dev.fusionnode.pipeline.BadInputReason;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.sqlite.SQLiteConfig;

/**
 * A ROS 2 bag stored in SQLite ({@code rosbag2_storage_default_plugins}' {@code sqlite3}, the
 * default up to Humble): a {@code topics} table (id, name, type, serialization_format) and a {@code
 * messages} table (id, topic_id, timestamp, data), read through {@code sqlite-jdbc}, read-only.
 * Messages come in the order they were inserted; their data is read when asked for.
 */
final class SqliteBag implements Bag {
    static final String STORAGE = "sqlite3";

    private final Path path;
    private final Connection db;
    private final PreparedStatement dataQuery;
    private final List<BagMessage> messages;
    private final Map<String, String> types;
    private final Map<String, String> encodings;

    private SqliteBag(
            Path path,
            Connection db,
            List<BagMessage> messages,
            Map<String, String> types,
            Map<String, String> encodings)
            throws SQLException {
        this.path = path;
        this.db = db;
        this.dataQuery = db.prepareStatement("SELECT data FROM messages WHERE id = ?");
        this.messages = Collections.unmodifiableList(messages);
        this.types = Collections.unmodifiableMap(types);
        this.encodings = Collections.unmodifiableMap(encodings);
    }

    /**
     * Opens a {@code .db3} file read-only and reads its index (topics, and each message's topic and
     * time).
     *
     * @throws BadInputException when it is not an SQLite file with rosbag2's tables
     */
    static SqliteBag open(Path file) {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        Connection db = null;
        try {
            db = config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
            Map<Long, String> topicById = new HashMap<>();
            Map<String, String> types = new TreeMap<>();
            Map<String, String> encodings = new TreeMap<>();
            try (Statement s = db.createStatement();
                    ResultSet rs =
                            s.executeQuery(
                                    "SELECT id, name, type, serialization_format FROM topics")) {
                while (rs.next()) {
                    topicById.put(rs.getLong(1), rs.getString(2));
                    types.put(rs.getString(2), rs.getString(3));
                    encodings.put(rs.getString(2), rs.getString(4));
                }
            }
            List<BagMessage> messages = new ArrayList<>();
            Map<String, Long> sequence = new HashMap<>();
            try (Statement s = db.createStatement();
                    ResultSet rs =
                            s.executeQuery(
                                    "SELECT id, topic_id, timestamp FROM messages ORDER BY id")) {
                while (rs.next()) {
                    String topic = topicById.get(rs.getLong(2));
                    if (topic == null) {
                        throw new BadInputException(
                                BadInputReason.MALFORMED_RECORDING,
                                file,
                                "message "
                                        + rs.getLong(1)
                                        + " names topic id "
                                        + rs.getLong(2)
                                        + ", which the topics table does not have");
                    }
                    long seq = sequence.merge(topic, 1L, Long::sum) - 1;
                    messages.add(new BagMessage(topic, rs.getLong(3), seq, 0, rs.getLong(1)));
                }
            }
            return new SqliteBag(file, db, messages, types, encodings);
        } catch (SQLException e) {
            closeQuietly(db);
            throw new BadInputException(
                    BadInputReason.MALFORMED_RECORDING,
                    file,
                    "is not a ROS 2 SQLite bag (rosbag2's topics and messages tables): "
                            + e.getMessage());
        } catch (RuntimeException e) {
            closeQuietly(db);
            throw e;
        }
    }

    private static void closeQuietly(Connection db) {
        if (db != null) {
            try {
                db.close();
            } catch (SQLException ignored) {
                // the open failed already; that failure is the one reported
            }
        }
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
        return types;
    }

    @Override
    public Map<String, String> encodings() {
        return encodings;
    }

    @Override
    public List<BagMessage> messages() {
        return messages;
    }

    @Override
    public synchronized byte[] data(BagMessage m) {
        try {
            dataQuery.setLong(1, m.ref());
            try (ResultSet rs = dataQuery.executeQuery()) {
                if (!rs.next()) {
                    throw new BadInputException(
                            BadInputReason.MALFORMED_RECORDING,
                            path,
                            "has no message " + m.ref() + " any more");
                }
                byte[] b = rs.getBytes(1);
                return b == null ? new byte[0] : b;
            }
        } catch (SQLException e) {
            throw new BadInputException(
                    BadInputReason.MALFORMED_RECORDING,
                    path,
                    "message "
                            + m.ref()
                            + " of "
                            + m.topic()
                            + " is unreadable: "
                            + e.getMessage());
        }
    }

    @Override
    public Optional<String> damage() {
        return Optional.empty();
    }

    @Override
    public synchronized void close() {
        closeQuietly(db);
    }
}
