package io.github.netvirt.netns;

import com.sun.jna.LastErrorException;
import io.github.netvirt.netns.internal.LibC;
import io.github.netvirt.netns.testing.NoUnnamedFiles;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

/**
 * A JVM whose kernel makes no unnamed file ({@link NoUnnamedFiles}) that takes names as netvirt does:
 * {@code NoUnnamedFilesChild NAME TAKEN}. Prints what each step gave, {@code attached} once NAME
 * holds a namespace, and deletes it when its stdin says {@code delete}.
 */
public final class NoUnnamedFilesChild {
    private NoUnnamedFilesChild() {}

    public static void main(String[] args) throws Exception {
        String name = args[0];
        String taken = args[1];
        NoUnnamedFiles.install();
        try {
            LibC.close(LibC.open(LibC.path("/run/netns"), LibC.O_TMPFILE | LibC.O_WRONLY | LibC.O_CLOEXEC, 0));
            System.out.println("unnamed made");
        } catch (LastErrorException e) {
            System.out.println("unnamed refused " + e.getErrorCode());
        }
        try {
            NetNamespace.reserveName(taken, f -> {}).close();
            System.out.println("taken reserved");
        } catch (NetnsException e) {
            System.out.println("taken refused " + e.errno() + " " + e.getMessage());
        }
        ReservedName r = NetNamespace.reserveName(
                name, f -> System.out.println("named before told " + Files.exists(NetNamespace.nameFile(name))));
        try (NetNamespace ns = NetNamespace.ephemeral();
                NetNamespace named = ns.attach(r)) {
            System.out.println("attached " + Long.toUnsignedString(ns.cookie()));
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line; (line = in.readLine()) != null && !line.equals("delete"); ) {}
            named.delete();
        }
        System.out.println("deleted");
    }
}
