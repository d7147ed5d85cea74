package io.github.netvirt.netns;

/** The outcome of a process run to completion inside a namespace. */
public record ExecResult(int exitCode, String stdout, String stderr) {
    public boolean ok() {
        return exitCode == 0;
    }
}
