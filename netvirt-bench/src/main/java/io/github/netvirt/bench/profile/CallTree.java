package io.github.netvirt.bench.profile;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * Samples by the path of netvirt frames they ran under, each counted in every frame of its path
 * (inclusive, as a flame graph), for {@link CpuSummary}: where along the apply a thread's Java went.
 * The bench's frames and lambda classes (the hops between a caller and its lambda's body) are left out
 * of the paths.
 */
final class CallTree {
    private final String name;
    private long samples;
    private final Map<String, CallTree> children = new LinkedHashMap<>();

    CallTree() {
        this("");
    }

    private CallTree(String name) {
        this.name = name;
    }

    /** Adds {@code count} samples of a stack, its frames outermost first ({@code io/github/netvirt/core/Applier.run_[0]}). */
    void add(String[] frames, long count) {
        CallTree node = this;
        node.samples += count;
        for (String f : frames) {
            if (CpuSummary.netvirtFrame(f) && !f.contains("$$Lambda")) {
                node = node.children.computeIfAbsent(CpuSummary.method(f), CallTree::new);
                node.samples += count;
            }
        }
    }

    long samples() {
        return samples;
    }

    /**
     * Prints the paths that took at least {@code min} samples, each child under its parent, heaviest
     * first; a frame whose one such child took nearly all its samples (97%) shares its line
     * ({@code a > b}), so that a chain of calls reads as one; {@code format} turns samples into text.
     */
    void print(PrintStream out, long min, LongFunction<String> format) {
        for (CallTree c : heaviest(min)) {
            c.print(out, min, format, 0);
        }
    }

    private void print(PrintStream out, long min, LongFunction<String> format, int depth) {
        StringBuilder line = new StringBuilder(name);
        CallTree node = this;
        List<CallTree> next = node.heaviest(min);
        while (next.size() == 1 && next.get(0).samples * 100 >= node.samples * 97) {
            node = next.get(0);
            line.append(" > ").append(node.name);
            next = node.heaviest(min);
        }
        out.printf("%8s  %s%s%n", format.apply(samples), "  ".repeat(depth), line);
        for (CallTree c : next) {
            c.print(out, min, format, depth + 1);
        }
    }

    private List<CallTree> heaviest(long min) {
        List<CallTree> l = new ArrayList<>();
        for (CallTree c : children.values()) {
            if (c.samples >= min) {
                l.add(c);
            }
        }
        l.sort((a, b) -> Long.compare(b.samples, a.samples));
        return l;
    }
}
