package io.github.netvirt.netns.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/** The warnings netvirt-netns logs while some code runs (System.Logger's default backend, java.util.logging). */
public final class Warnings {
    private Warnings() {}

    /** Code that may throw. */
    public interface Code {
        void run() throws Exception;
    }

    /** The messages of the warnings (and worse) logged under {@code io.github.netvirt.netns} while {@code code} runs. */
    public static List<String> during(Code code) throws Exception {
        List<String> out = new ArrayList<>();
        Handler h = new Handler() {
            @Override
            public void publish(LogRecord rec) {
                if (rec.getLevel().intValue() >= Level.WARNING.intValue()) {
                    synchronized (out) {
                        out.add(new SimpleFormatter().formatMessage(rec));
                    }
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Logger l = Logger.getLogger("io.github.netvirt.netns");
        l.addHandler(h);
        try {
            code.run();
        } finally {
            l.removeHandler(h);
        }
        synchronized (out) {
            return List.copyOf(out);
        }
    }
}
