package dev.fusionnode.testutil;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test during which Vert.x's blocked-thread checker warned: an event loop (or worker) ran
 * one task for longer than allowed. Tests run with the limit tightened to {@link #EVENT_LOOP_MS}
 * (the build sets {@code FUSIONNODE_HEALTH__BLOCKED_THREAD_WARN_MS}), so that blocking work on an
 * event loop shows up as a failing test instead of a slow node. Registered for every test class by
 * JUnit's extension auto-detection. A warning whose stack shows the JVM loading a class (reading or
 * instrumenting it on first use) is not counted: that is the JVM's one-time cost, not a task of
 * ours; Vert.x captures the stack of every warning (its warning-exception time is the same limit).
 */
public final class BlockedThreadWarnings
        implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback {
    /** The event-loop limit the build runs tests with. */
    public static final long EVENT_LOOP_MS = 100;

    private static final Logger CHECKER =
            Logger.getLogger("io.vertx.core.impl.BlockedThreadChecker");
    private static final List<String> WARNINGS = new ArrayList<>();
    private static boolean warmed;

    static {
        CHECKER.addHandler(
                new Handler() {
                    @Override
                    public void publish(LogRecord r) {
                        if (r.getLevel().intValue() >= Level.WARNING.intValue()
                                && !loadingClasses(r.getThrown())) {
                            StringBuilder sb = new StringBuilder(String.valueOf(r.getMessage()));
                            if (r.getThrown() != null) {
                                StackTraceElement[] st = r.getThrown().getStackTrace();
                                for (int i = 0; i < Math.min(12, st.length); i++) {
                                    sb.append("\n    at ").append(st[i]);
                                }
                            }
                            synchronized (WARNINGS) {
                                WARNINGS.add(sb.toString());
                            }
                        }
                    }

                    @Override
                    public void flush() {}

                    @Override
                    public void close() {}
                });
    }

    /**
     * True when the blocked thread was caught loading a class (the JVM reading, verifying or
     * instrumenting it for coverage on first use): a one-time cost of the JVM, not a task of ours
     * that blocks.
     */
    static boolean loadingClasses(Throwable where) {
        if (where == null) {
            return false;
        }
        for (StackTraceElement e : where.getStackTrace()) {
            String c = e.getClassName();
            String m = e.getMethodName();
            if (c.startsWith("org.jacoco.")
                    || ((c.equals("java.lang.ClassLoader") || c.startsWith("jdk.internal.loader."))
                            && (m.startsWith("defineClass") || m.startsWith("loadClass")))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        warmUpOnce();
        take();
    }

    /**
     * Once per JVM, before anything is measured: an HTTP server answers one request on a throwaway
     * Vert.x, so that the JVM has loaded, linked and initialised Netty's and Vert.x's network
     * classes (100-300 ms on a first bind) outside any test's event loop.
     */
    private static synchronized void warmUpOnce() throws Exception {
        if (warmed) {
            return;
        }
        warmed = true;
        io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
        try {
            var server =
                    vertx.createHttpServer()
                            .requestHandler(r -> r.response().end("ok"))
                            .listen(0, "127.0.0.1")
                            .await(30, TimeUnit.SECONDS);
            try {
                vertx.createHttpClient()
                        .request(
                                io.vertx.core.http.HttpMethod.GET,
                                server.actualPort(),
                                "127.0.0.1",
                                "/")
                        .compose(req -> req.send())
                        .compose(resp -> resp.body())
                        .await(30, TimeUnit.SECONDS);
            } catch (io.vertx.core.VertxException e) {
                // the attempt has loaded and linked the classes, which is all the warm-up is
                // for; a connection the throwaway server closed early, or a client pool closed
                // under it (each seen once in a full run), is no test's failure
            }
        } finally {
            vertx.close().await(30, TimeUnit.SECONDS);
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        failOnWarnings("before " + context.getDisplayName());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        failOnWarnings(context.getDisplayName());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        failOnWarnings("setting up or closing " + context.getDisplayName());
    }

    /** The warnings logged since the last check, taken (the test that provokes one on purpose). */
    public static List<String> take() {
        synchronized (WARNINGS) {
            List<String> seen = List.copyOf(WARNINGS);
            WARNINGS.clear();
            return seen;
        }
    }

    private static void failOnWarnings(String during) {
        List<String> seen = take();
        if (!seen.isEmpty()) {
            throw new AssertionError(
                    "Vert.x blocked-thread warnings "
                            + during
                            + " (a task held a thread past its limit):\n"
                            + String.join("\n", seen));
        }
    }
}
