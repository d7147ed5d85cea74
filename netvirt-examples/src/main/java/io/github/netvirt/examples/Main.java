package io.github.netvirt.examples;

import io.github.netvirt.examples.httpintegration.HttpIntegration;
import io.github.netvirt.examples.sniffer.Sniffer;
import io.github.netvirt.examples.tlsnames.TlsHostName;
import io.github.netvirt.examples.twomachines.TwoMachines;
import io.github.netvirt.examples.userspacehost.UserspaceHost;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/** Dispatches on the first argument to one of the {@link Example}s. */
public final class Main {
    /** Add an example here. */
    static final List<Example> EXAMPLES = List.of(
            new Seed(),
            Example.of(
                    "userspace-host",
                    "[SECONDS]",
                    "a Java host on a TAP answers ARP, ICMP echo and UDP echo for a kernel namespace",
                    UserspaceHost::run),
            Example.of(
                    "sniffer",
                    "[--mirror] [FILE.pcap]",
                    "every frame crossing a TAP wire (or, --mirror, a bridge) into a pcap",
                    Sniffer::run),
            Example.of(
                    "http-integration",
                    "",
                    "HTTP server and two clients in namespaces; one client's cable is cut and restored",
                    HttpIntegration::run),
            Example.of(
                    "two-machines",
                    "",
                    "two machine namespaces, bridges joined by VXLAN over an underlay veth: one L2 segment",
                    TwoMachines::run),
            Example.of(
                    "tls-hostname",
                    "",
                    "TLS between two hosts, the certificate verified against the host name \"server\"",
                    TlsHostName::run));

    private Main() {}

    public static void main(String[] args) throws Exception {
        System.exit(run(args));
    }

    static int run(String... args) throws Exception {
        if (args.length == 0) {
            usage(System.err);
            return 2;
        }
        if (args[0].equals("-h") || args[0].equals("--help")) {
            usage(System.out);
            return 0;
        }
        for (Example e : EXAMPLES) {
            if (e.name().equals(args[0])) {
                String[] rest = Arrays.copyOfRange(args, 1, args.length);
                if (rest.length > 0 && (rest[0].equals("-h") || rest[0].equals("--help"))) {
                    System.out.println(usageLine(e));
                    System.out.println("  " + e.summary());
                    return 0;
                }
                try {
                    return e.run(rest);
                } catch (Example.UsageException u) {
                    System.err.println(e.name() + ": " + u.getMessage());
                    System.err.println(usageLine(e));
                    return 2;
                }
            }
        }
        System.err.println("unknown example \"" + args[0] + "\"");
        usage(System.err);
        return 2;
    }

    private static void usage(PrintStream to) {
        to.println("usage: java -jar netvirt-examples.jar EXAMPLE [ARGS...]");
        for (Example e : EXAMPLES) {
            to.printf("  %-16s %s%n", e.name(), e.summary() + (e.syntax().isEmpty() ? "" : " " + e.syntax()));
        }
    }

    private static String usageLine(Example e) {
        return "usage: java -jar netvirt-examples.jar " + e.name() + (e.syntax().isEmpty() ? "" : " " + e.syntax());
    }
}
