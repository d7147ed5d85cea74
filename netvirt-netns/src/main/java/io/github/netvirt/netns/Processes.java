package io.github.netvirt.netns;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Processes started inside a namespace through {@code nsenter --net=/proc/PID/fd/FD}. */
final class Processes {
    private static final long PID = ProcessHandle.current().pid();

    private Processes() {
    }

    static Process start(NetNamespace ns, ProcessBuilder builder) throws IOException {
        synchronized (builder) {
            List<String> original = builder.command();
            if (original.isEmpty()) {
                throw new IllegalArgumentException("empty command");
            }
            List<String> wrapped = new ArrayList<>(original.size() + 3);
            wrapped.add("nsenter");
            wrapped.add("--net=/proc/" + PID + "/fd/" + ns.fd());
            wrapped.add("--");
            wrapped.addAll(original);
            builder.command(wrapped);
            try {
                return builder.start();
            } catch (IOException e) {
                throw new IOException("cannot start " + original + " inside " + ns
                        + " (netvirt runs it through nsenter from util-linux)", e);
            } finally {
                builder.command(original);
            }
        }
    }

    static ExecResult exec(NetNamespace ns, ProcessBuilder builder) throws IOException, InterruptedException {
        Process p = start(ns, builder);
        p.getOutputStream().close();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread errReader = new Thread(() -> copy(p.getErrorStream(), err), "netvirt-exec-stderr");
        errReader.setDaemon(true);
        errReader.start();
        byte[] out;
        try (InputStream in = p.getInputStream()) {
            out = in.readAllBytes();
        }
        int code = p.waitFor();
        errReader.join();
        return new ExecResult(code, new String(out, StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        try (in) {
            in.transferTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
