package io.github.netvirt.bench;

/** A system timed as whole processes, as a user runs them: the peers' scripts and netvirt's cold start. */
public abstract class WholeProcess implements Topo {
    private final String system;

    protected WholeProcess(String system) {
        this.system = system;
    }

    @Override
    public final String system() {
        return system;
    }

    @Override
    public final boolean wholeProcess() {
        return true;
    }
}
