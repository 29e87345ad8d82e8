package dev.fusionnode.publish.mqtt;

import io.moquette.broker.security.IAuthenticator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * The embedded broker's users: a file of {@code user:sha256-hex-of-password} lines ({@code #}
 * comments allowed); a client connects only with a listed name and its password. Passwords are
 * compared as SHA-256 digests in constant time.
 */
final class BrokerUsers implements IAuthenticator {
    private final Map<String, byte[]> digests = new HashMap<>();

    BrokerUsers(Path file) {
        try {
            int n = 0;
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                n++;
                String l = line.strip();
                if (l.isEmpty() || l.startsWith("#")) {
                    continue;
                }
                int colon = l.indexOf(':');
                String hex = colon < 0 ? "" : l.substring(colon + 1).strip();
                if (colon <= 0 || !hex.matches("[0-9a-fA-F]{64}")) {
                    throw new IllegalArgumentException(
                            file + " line " + n + ": expected user:<64 hex digits of SHA-256>");
                }
                digests.put(l.substring(0, colon), HexFormat.of().parseHex(hex));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read MQTT users file " + file, e);
        }
    }

    /** The line for {@code user} with {@code password} (for tools and tests). */
    static String line(String user, String password) {
        return user
                + ":"
                + HexFormat.of().formatHex(sha256(password.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public boolean checkValid(String clientId, String username, byte[] password) {
        byte[] want = username == null ? null : digests.get(username);
        return want != null && password != null && MessageDigest.isEqual(want, sha256(password));
    }

    private static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
