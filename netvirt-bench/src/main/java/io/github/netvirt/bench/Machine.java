package io.github.netvirt.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the machine is doing besides the bench. */
public final class Machine {
    private Machine() {}

    public static String loadavg() {
        try {
            String[] p = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return p[0] + "," + p[1] + "," + p[2];
        } catch (IOException e) {
            return "?";
        }
    }
}
