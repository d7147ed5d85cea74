package io.github.netvirt.examples;

import io.github.netvirt.examples.httpintegration.HttpIntegrationExample;
import io.github.netvirt.examples.sniffer.SnifferExample;
import io.github.netvirt.examples.tlsnames.TlsHostNameExample;
import io.github.netvirt.examples.twomachines.TwoMachinesExample;
import io.github.netvirt.examples.userspacehost.UserspaceHostExample;
import java.util.Arrays;
import java.util.List;

/** Dispatches on the first argument to one of the {@link Example}s. */
public final class Main {
    /** Add an example here. */
    static final List<Example> EXAMPLES = List.of(new Seed(), new UserspaceHostExample(), new SnifferExample(),
            new HttpIntegrationExample(), new TwoMachinesExample(), new TlsHostNameExample());

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(args));
    }

    static int run(String... args) throws Exception {
        if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help")) {
            usage();
            return args.length == 0 ? 2 : 0;
        }
        for (Example e : EXAMPLES) {
            if (e.name().equals(args[0])) {
                return e.run(Arrays.copyOfRange(args, 1, args.length));
            }
        }
        System.err.println("unknown example \"" + args[0] + "\"");
        usage();
        return 2;
    }

    private static void usage() {
        System.err.println("usage: java -jar netvirt-examples.jar EXAMPLE [ARGS...]");
        for (Example e : EXAMPLES) {
            System.err.printf("  %-16s %s%n", e.name(), e.summary());
        }
    }
}
