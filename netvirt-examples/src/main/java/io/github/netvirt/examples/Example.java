package io.github.netvirt.examples;

/** A runnable example: {@code java -jar netvirt-examples.jar NAME ARGS...}. */
public interface Example {
    /** The first command-line argument that selects this example. */
    String name();

    /** One line for the usage message. */
    String summary();

    /** Runs the example; the result is the process's exit code. */
    int run(String... args) throws Exception;

    /** What an example's {@code main} does with its arguments: the process's exit code. */
    interface Entry {
        int run(String... args) throws Exception;
    }

    /** The example {@code name} whose {@code run} is {@code main}. */
    static Example of(String name, String summary, Entry main) {
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
            public int run(String... args) throws Exception {
                return main.run(args);
            }
        };
    }
}
