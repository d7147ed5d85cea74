package io.github.netvirt.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;

/** state-dump.sh of the reference (IPv4 only), without its header line, which names the prefix. */
public final class StateDump {
    private StateDump() {
    }

    public static String of(String prefix) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("/work/shared/reference/state-dump.sh", "--no-ipv6", prefix)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        return out.lines().filter(l -> !l.strip().startsWith("#")).collect(Collectors.joining("\n"));
    }
}
