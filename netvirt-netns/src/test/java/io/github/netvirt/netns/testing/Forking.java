package io.github.netvirt.netns.testing;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A thread of this JVM starting {@code true} over and over until closed: a child between its fork and
 * its exec holds every descriptor of the JVM (close-on-exec ones too, until the exec).
 */
public final class Forking implements AutoCloseable {
    private final AtomicBoolean stop = new AtomicBoolean();
    private final Thread thread;

    private Forking() {
        thread = new Thread(() -> {
            while (!stop.get()) {
                try {
                    new ProcessBuilder("true").start().waitFor();
                } catch (Exception e) {
                    return;
                }
            }
        });
    }

    public static Forking start() {
        Forking f = new Forking();
        f.thread.start();
        return f;
    }

    /** Stops forking and waits for the thread's last child. */
    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        thread.join();
    }
}
