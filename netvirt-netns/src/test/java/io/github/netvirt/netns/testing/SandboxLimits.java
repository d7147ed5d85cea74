package io.github.netvirt.netns.testing;

import io.github.netvirt.netns.Sandbox;
import io.github.netvirt.netns.sys.Errno;
import io.github.netvirt.netns.sys.SyscallException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.opentest4j.TestAbortedException;

/**
 * In a user-namespace sandbox, a test that fails because {@code /dev/net/tun} refuses this user
 * (mode 0600 on the machine: only its root may open it) is skipped with that reason: the sandbox
 * cannot do TAP there, and README.md says so. Anywhere else, or for any other failure, nothing changes.
 * Registered for every module's tests through JUnit's extension auto-detection (the parent POM turns it on).
 */
public final class SandboxLimits implements TestExecutionExceptionHandler, LifecycleMethodExecutionExceptionHandler {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(SandboxLimits.class);
    private static final String SKIPPED = "skipped";

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable t) throws Throwable {
        throw skip(context, t);
    }

    @Override
    public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable t) throws Throwable {
        throw skip(context, t);
    }

    @Override
    public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable t) throws Throwable {
        throw skip(context, t);
    }

    /** The clean-up of a set-up that never happened (skipped above) fails on its nulls: not a failure. */
    @Override
    public void handleAfterEachMethodExecutionException(ExtensionContext context, Throwable t) throws Throwable {
        if (!skipped(context)) {
            throw t;
        }
    }

    @Override
    public void handleAfterAllMethodExecutionException(ExtensionContext context, Throwable t) throws Throwable {
        if (!skipped(context)) {
            throw t;
        }
    }

    private static Throwable skip(ExtensionContext context, Throwable t) {
        Throwable out = translate(t, Sandbox.current().active());
        if (out != t) {
            context.getStore(NS).put(SKIPPED, Boolean.TRUE);
        }
        return out;
    }

    /** True when this context or one around it (the class, for a test) was skipped for /dev/net/tun. */
    private static boolean skipped(ExtensionContext context) {
        for (ExtensionContext c = context; c != null; c = c.getParent().orElse(null)) {
            if (Boolean.TRUE.equals(c.getStore(NS).get(SKIPPED))) {
                return true;
            }
        }
        return false;
    }

    /**
     * For a test that opens {@code /dev/net/tun} through another program (an iproute2 script), where
     * no netvirt exception tells why: skips it in a sandbox that may not open the device.
     */
    public static void assumeTunUsable() {
        Assumptions.assumeTrue(
                !Sandbox.current().active() || Files.isWritable(Path.of("/dev/net/tun")),
                "SKIPPED: TAP is not available in this user-namespace sandbox: /dev/net/tun is mode 0600 on this "
                        + "machine, so only its root may open it");
    }

    /** {@code t} itself, or a skip when in a sandbox and {@code t} comes from /dev/net/tun's EACCES. */
    static Throwable translate(Throwable t, boolean sandboxed) {
        if (!sandboxed) {
            return t;
        }
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SyscallException se
                    && se.is(Errno.EACCES)
                    && String.valueOf(se.getMessage()).contains("/dev/net/tun")) {
                TestAbortedException skip = new TestAbortedException("SKIPPED: TAP is not available in this "
                        + "user-namespace sandbox: /dev/net/tun is mode 0600 on this machine, so only its root "
                        + "may open it (" + se.getMessage() + ")");
                skip.addSuppressed(t);
                return skip;
            }
        }
        return t;
    }
}
