package dev.fusionnode.bench;

import java.util.concurrent.CountDownLatch;

/**
 * A foreign busy load for {@code benchmark model --busy N}: N threads that spin until the process
 * is killed; it prints {@code spinning} once they all run.
 */
public final class Spin {
    private static volatile long sink;

    private Spin() {}

    /** Spins {@code args[0]} threads. */
    public static void main(String[] args) throws InterruptedException {
        int n = Integer.parseInt(args[0]);
        CountDownLatch running = new CountDownLatch(n);
        for (int i = 0; i < n; i++) {
            Thread t =
                    new Thread(
                            () -> {
                                long x = 0;
                                running.countDown();
                                while (true) {
                                    x++;
                                    if ((x & 0xFFFFFFL) == 0) {
                                        sink = x;
                                    }
                                }
                            },
                            "spin-" + i);
            t.start();
        }
        running.await();
        System.out.println("spinning");
        System.out.flush();
        Thread.currentThread().join();
    }
}
