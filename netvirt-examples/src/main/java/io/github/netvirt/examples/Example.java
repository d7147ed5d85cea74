package io.github.netvirt.examples;

/** A runnable example: {@code java -jar netvirt-examples.jar NAME ARGS...}. */
public interface Example {
    /** The first command-line argument that selects this example. */
    String name();

    /** One line for the usage message. */
    String summary();

    /** Runs the example; the result is the process's exit code. */
    int run(String... args) throws Exception;
}
