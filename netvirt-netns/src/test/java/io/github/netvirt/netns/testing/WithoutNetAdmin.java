package io.github.netvirt.netns.testing;

import com.sun.jna.Function;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Runs code on a thread of its own whose effective capability set lacks CAP_NET_ADMIN: capset(2)
 * changes the calling thread only, the rest of the JVM keeps the capability. The kernel checks it
 * at each netlink request (in the sender's context, as well as the opener's at socket creation), so
 * that thread's changes through a socket opened elsewhere are refused with EPERM: a refusal of the
 * real kernel a test causes at will, between work done with the capability.
 */
public final class WithoutNetAdmin {
    private static final int CAP_NET_ADMIN = 12;
    private static final int LINUX_CAPABILITY_VERSION_3 = 0x20080522;

    private WithoutNetAdmin() {}

    /** Runs {@code body} on a new thread without CAP_NET_ADMIN, waits for it and rethrows what it threw. */
    public static void run(Runnable body) {
        FutureTask<Void> task = new FutureTask<>(
                () -> {
                    drop();
                    body.run();
                },
                null);
        Thread t = new Thread(task, "without-net-admin");
        t.start();
        try {
            task.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Clears CAP_NET_ADMIN from this thread's effective set (the permitted set keeps it), and checks it is gone. */
    private static void drop() {
        NativeLibrary c = NativeLibrary.getInstance("c");
        Memory header = new Memory(8);
        header.setInt(0, LINUX_CAPABILITY_VERSION_3);
        header.setInt(4, 0); // this thread
        Memory data = new Memory(24); // two struct __user_cap_data_struct: effective, permitted, inheritable
        call(c.getFunction("capget"), header, data);
        data.setInt(0, data.getInt(0) & ~(1 << CAP_NET_ADMIN));
        call(c.getFunction("capset"), header, data);
        try {
            for (String line : Files.readAllLines(Path.of("/proc/thread-self/status"))) {
                if (line.startsWith("CapEff:")
                        && (Long.parseUnsignedLong(line.substring(7).trim(), 16) & (1L << CAP_NET_ADMIN)) != 0) {
                    throw new IllegalStateException("CAP_NET_ADMIN still effective: " + line);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void call(Function f, Memory header, Memory data) {
        if (f.invokeInt(new Object[] {header, data}) != 0) {
            throw new IllegalStateException(f.getName() + " failed, errno " + Native.getLastError());
        }
    }
}
