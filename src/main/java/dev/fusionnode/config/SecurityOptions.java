package dev.fusionnode.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Access control (the {@code security} block). With a token, the HTTP control endpoints (every
 * method but GET/HEAD under {@code /api}: model activation, fine-tunes, annotations, replay
 * control) and the {@code /ingest} WebSocket need {@code Authorization: Bearer <token>}; reads
 * ({@code /api} GETs, {@code /metrics}, the viewer, {@code /ws}) too when {@code protectReads}.
 * {@code /health/*} stays open for probes. Binding HTTP to anything but loopback requires a token.
 * The token comes from {@code tokenFile} (a secret file) or {@code token} (set it through the
 * environment: {@code FUSIONNODE_SECURITY__TOKEN}); it is never logged or printed.
 *
 * @param token the API token, if any
 * @param protectReads read-only endpoints need the token too
 */
public record SecurityOptions(Optional<String> token, boolean protectReads) {
    /** Shortest accepted token. */
    public static final int MIN_TOKEN_CHARS = 16;

    /** Reads the {@code security} block. */
    public static SecurityOptions from(ConfigReader r) {
        String inline = r.string("token", null);
        String file = r.string("tokenFile", null);
        if (inline != null && file != null) {
            throw r.invalid("token", "give token or tokenFile, not both");
        }
        String token = inline;
        if (file != null) {
            try {
                token = Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw r.invalid("tokenFile", "cannot read " + file + ": " + e.getMessage());
            }
        }
        if (token != null && token.length() < MIN_TOKEN_CHARS) {
            throw r.invalid(
                    file != null ? "tokenFile" : "token",
                    "the token must have at least " + MIN_TOKEN_CHARS + " characters");
        }
        SecurityOptions o =
                new SecurityOptions(Optional.ofNullable(token), r.bool("protectReads", false));
        r.rejectUnknownKeys();
        return o;
    }

    /**
     * True for a loopback bind address: {@code localhost}, or a literal IPv4 address in 127.0.0.0/8
     * or IPv6 {@code ::1}. A name is not resolved ({@code 127.0.0.1.nip.io} is not loopback: it is
     * a name that anyone's DNS may point anywhere).
     */
    public static boolean loopback(String host) {
        String h = host.strip();
        if (h.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.contains(":")) {
            return h.equals("::1") || h.equals("0:0:0:0:0:0:0:1");
        }
        String[] parts = h.split("\\.", -1);
        if (parts.length != 4 || !parts[0].equals("127")) {
            return false;
        }
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit)) {
                return false;
            }
            if (Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }

    /** Never shows the token. */
    @Override
    public String toString() {
        return "SecurityOptions[token="
                + (token.isPresent() ? "(set)" : "(none)")
                + ", protectReads="
                + protectReads
                + "]";
    }
}
