package io.github.netvirt.core;

import java.util.List;

/** A topology description with mistakes, found before anything touched the kernel: all of them, each named. */
public final class InvalidTopologyException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final transient List<String> problems;

    public InvalidTopologyException(List<String> problems) {
        super(message(problems));
        this.problems = List.copyOf(problems);
    }

    /** One line per problem, in the order they were found. */
    public List<String> problems() {
        return problems;
    }

    private static String message(List<String> problems) {
        StringBuilder s = new StringBuilder(
                "invalid topology (" + problems.size() + " problem" + (problems.size() == 1 ? "" : "s") + "):");
        for (String p : problems) {
            s.append("\n  - ").append(p);
        }
        return s.toString();
    }
}
