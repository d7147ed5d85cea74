package io.github.netvirt.examples;

/** A runnable example: {@code java -jar netvirt-examples.jar NAME ARGS...}. */
public interface Example {
    /** The first command-line argument that selects this example. */
    String name();

    /** One line for the usage message. */
    String summary();

    /** The arguments it takes, as a usage line shows them ({@code [--mirror] [FILE.pcap]}); empty for none. */
    String syntax();

    /** Runs the example; the result is the process's exit code. */
    int run(String... args) throws Exception;

    /** What an example's {@code main} does with its arguments: the process's exit code. */
    interface Entry {
        int run(String... args) throws Exception;
    }

    /**
     * A mistake on the command line, found before the example builds anything: {@link Main} prints
     * it with the example's usage line and exits with 2.
     */
    final class UsageException extends Exception {
        public UsageException(String problem) {
            super(problem, null, false, false);
        }
    }

    /** Refuses any argument, for an example that takes none. */
    static void noArguments(String... args) throws UsageException {
        if (args.length > 0) {
            throw new UsageException("unexpected argument \"" + args[0] + "\"");
        }
    }

    /** The example {@code name}, taking the arguments {@code syntax}, whose {@code run} is {@code main}. */
    static Example of(String name, String syntax, String summary, Entry main) {
        return new Example() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String summary() {
                return summary;
            }

            @Override
            public String syntax() {
                return syntax;
            }

            @Override
            public int run(String... args) throws Exception {
                return main.run(args);
            }
        };
    }
}
