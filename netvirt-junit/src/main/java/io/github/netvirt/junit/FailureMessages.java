package io.github.netvirt.junit;

import org.opentest4j.AssertionFailedError;

/** Appends a network's description to a test failure, keeping the failure's type, values and stack. */
final class FailureMessages {
    private FailureMessages() {}

    static Throwable withNetwork(Throwable t, String network) {
        String message = (t.getMessage() == null ? t.getClass().getName() : t.getMessage()) + network;
        Throwable out;
        if (t instanceof AssertionFailedError afe) {
            out = afe.isExpectedDefined() || afe.isActualDefined()
                    ? new AssertionFailedError(message, value(afe.getExpected()), value(afe.getActual()), t.getCause())
                    : new AssertionFailedError(message, t.getCause());
        } else if (t.getClass() == AssertionError.class) {
            out = new AssertionError(message, t.getCause());
        } else {
            // other types cannot be rebuilt faithfully: carry the network as a suppressed note
            t.addSuppressed(new NetworkDescription(network.strip()));
            return t;
        }
        out.setStackTrace(t.getStackTrace());
        for (Throwable s : t.getSuppressed()) {
            out.addSuppressed(s);
        }
        return out;
    }

    private static Object value(org.opentest4j.ValueWrapper w) {
        return w == null ? null : w.getValue();
    }

    /** Shown under "Suppressed:" in a failure's stack trace. */
    static final class NetworkDescription extends RuntimeException {
        NetworkDescription(String text) {
            super(text, null, false, false);
        }
    }
}
