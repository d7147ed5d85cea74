package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.core.testing.Topologies;
import io.github.netvirt.netns.testing.RequiresRoot;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** Apply and teardown say what they do through System.Logger (here its default backend, java.util.logging). */
@RequiresRoot
class LoggingTest {

    @Test
    void applyAndTeardownLogTheirStepsAtDebugAndTrace() {
        List<LogRecord> records = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord r) {
                records.add(r);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        handler.setLevel(Level.ALL);
        List<Logger> loggers =
                List.of(Logger.getLogger(Applier.class.getName()), Logger.getLogger(Resources.class.getName()));
        for (Logger l : loggers) {
            l.setLevel(Level.ALL);
            l.addHandler(handler);
        }
        try (Topology t = Topologies.twoHosts("a", "b", "10.77.0").ephemeral().apply()) {
            assertThat(t.isOpen()).isTrue();
        } finally {
            for (Logger l : loggers) {
                l.removeHandler(handler);
                l.setLevel(null);
            }
        }
        List<String> debug = records.stream()
                .filter(r -> r.getLevel() == Level.FINE)
                .map(LogRecord::getMessage)
                .toList();
        List<String> trace = records.stream()
                .filter(r -> r.getLevel() == Level.FINER)
                .map(LogRecord::getMessage)
                .toList();
        assertThat(debug)
                .anyMatch(m -> m.startsWith("apply: 2 namespaces"))
                .anyMatch(m -> m.startsWith("applied in "))
                .anyMatch(m -> m.startsWith("teardown: 2 namespaces"))
                .anyMatch(m -> m.startsWith("teardown done in ") && m.endsWith("0 failure(s)"));
        assertThat(trace)
                .anyMatch(m -> m.contains("LINK_ADD veth") && m.contains("eth0"))
                .anyMatch(m -> m.contains("ADDR_ADD") || m.contains("10.77.0.1/24"));
    }

    /** A thread started inside a host's call() outlives close(): close() names it, in one warning. */
    @Test
    void closeWarnsOfAThreadLeftInsideAHost() throws Exception {
        List<String> warnings = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getLevel() == Level.WARNING) {
                    warnings.add(new java.util.logging.SimpleFormatter().formatMessage(r));
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Logger l = Logger.getLogger("io.github.netvirt.netns");
        l.addHandler(handler);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(1); // then the thread has its own name
        Thread left = null;
        try (Topology t = Topologies.twoHosts("a", "b", "10.78.0").ephemeral().apply()) {
            left = t.namespace("b").call(() -> {
                Thread th = new Thread(
                        () -> {
                            running.countDown();
                            try {
                                release.await();
                            } catch (InterruptedException ignored) {
                                // ends
                            }
                        },
                        "vt-left-3");
                th.setDaemon(true);
                th.start();
                return th;
            });
            running.await();
            t.namespace("a").run(() -> {});
        } finally {
            l.removeHandler(handler);
            release.countDown();
            if (left != null) {
                left.join(5000);
            }
        }
        assertThat(warnings.stream().filter(m -> m.contains("still inside")))
                .singleElement()
                .satisfies(m -> assertThat(m).contains("\"vt-left-3\""));
    }
}
