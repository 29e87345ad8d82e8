package dev.fusionnode.http;

import dev.fusionnode.config.ConfigReader;
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
