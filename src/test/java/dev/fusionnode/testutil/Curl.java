package dev.fusionnode.testutil;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** curl as a client of the node's JSON API: the status code and the JSON body of an answer. */
public final class Curl {
    private Curl() {}

    /** An answer: its status code and JSON body. */
    public record Reply(int status, JsonObject body) {}

    /** Runs {@code curl -s} with {@code args} (a URL and options) and reads a JSON answer. */
    public static Reply json(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("curl", "-s", "-w", "\n%{http_code}"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        int nl = out.lastIndexOf('\n');
        return new Reply(
                Integer.parseInt(out.substring(nl + 1)), new JsonObject(out.substring(0, nl)));
    }
}
